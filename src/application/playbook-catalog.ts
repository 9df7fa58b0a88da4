import type { PlaybookRef } from '../domain/index.js';
import type { Playbook } from '../playbook/index.js';

/**
 * The playbooks a process knows, by name. A journey records the name and version it started
 * with; the catalog answers with the loaded playbook of that name. A journey whose recorded
 * version differs from the loaded one follows the loaded one (docs/engine.md says why).
 */
export interface PlaybookCatalog {
  readonly defaultName: string;
  find(name: string): Playbook | undefined;
}

export class StaticPlaybookCatalog implements PlaybookCatalog {
  private readonly byName: ReadonlyMap<string, Playbook>;

  constructor(
    playbooks: readonly Playbook[],
    readonly defaultName: string = playbooks[0]?.name ?? 'default',
  ) {
    this.byName = new Map(playbooks.map((playbook) => [playbook.name, playbook]));
  }

  find(name: string): Playbook | undefined {
    return this.byName.get(name);
  }
}

/** The playbook a journey follows, or an error naming what is missing. */
export function playbookFor(catalog: PlaybookCatalog, ref: Pick<PlaybookRef, 'name'>): Playbook {
  const playbook = catalog.find(ref.name);
  if (playbook === undefined) {
    throw new PlaybookMissingError(ref.name);
  }
  return playbook;
}

export class PlaybookMissingError extends Error {
  override readonly name = 'PlaybookMissingError';
  constructor(readonly playbookName: string) {
    super(`no playbook named "${playbookName}" is loaded in this process`);
  }
}
