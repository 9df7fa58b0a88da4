import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlaybookFile, type PlaybookResult } from './load.js';
import type { Playbook } from './playbook.js';
import { PlaybookInvalidError } from './problems.js';

/** Where the shipped playbook lives inside the package. */
const DEFAULT_PLAYBOOK = join('playbooks', 'default.yaml');

/**
 * The path of the playbook that ships with the package. Found by walking up from this module to
 * the package root (the directory with package.json and playbooks/), so it works from `src/`
 * (tests) and from `dist/` (installed).
 */
export function defaultPlaybookPath(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, DEFAULT_PLAYBOOK);
    if (existsSync(join(directory, 'package.json')) && existsSync(candidate)) {
      return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error(`cannot find ${DEFAULT_PLAYBOOK} above ${fileURLToPath(import.meta.url)}`);
    }
    directory = parent;
  }
}

/** Loads the shipped playbook; it is tested, so a problem here is a packaging bug and throws. */
export async function loadDefaultPlaybook(): Promise<Playbook> {
  const path = defaultPlaybookPath();
  const result: PlaybookResult = await loadPlaybookFile(path);
  if (!result.ok) {
    throw new PlaybookInvalidError(path, result.problems);
  }
  return result.playbook;
}
