import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Playbook } from './playbook.js';
import {
  formatPath,
  PlaybookInvalidError,
  type PathProblem,
  type PlaybookProblem,
} from './problems.js';
import { resolvePlaybook } from './resolve.js';
import { schemaProblems } from './schema-issues.js';
import { playbookSchema } from './schema.js';
import { locate } from './source-map.js';
import { semanticProblems } from './validate.js';

export type PlaybookResult =
  | { readonly ok: true; readonly playbook: Playbook }
  | { readonly ok: false; readonly problems: readonly PlaybookProblem[] };

/**
 * Parses and checks a playbook written in YAML. Never throws for a bad playbook: it returns every
 * problem found (YAML syntax, schema, then the rules across fields), each with its path and its
 * line and column in `text`, in source order. `sourceName` names the text in messages.
 */
export function parsePlaybook(text: string, sourceName = '<playbook>'): PlaybookResult {
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml would otherwise print warnings (e.g. collection keys) to stderr.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const syntax = [...document.errors, ...document.warnings].map((error): PlaybookProblem => ({
    kind: 'syntax',
    source: sourceName,
    path: '',
    ...linePos(lineCounter, error.pos[0]),
    message: error.message,
  }));
  if (syntax.length > 0) {
    return { ok: false, problems: sortBySource(syntax) };
  }
  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ kind: 'syntax', source: sourceName, path: '', message }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const what = data === null || data === undefined ? 'empty' : 'not a mapping';
    return {
      ok: false,
      problems: [
        {
          kind: 'schema',
          source: sourceName,
          path: '',
          ...linePos(lineCounter, document.contents?.range[0]),
          message: `the playbook is ${what}: expected a mapping with apiVersion, kind, name, version and stages`,
        },
      ],
    };
  }
  const parsed = playbookSchema.safeParse(data);
  const found = [
    ...(parsed.success ? [] : schemaProblems(playbookSchema, data, parsed.error.issues)),
    ...semanticProblems(data),
  ];
  if (found.length > 0 || !parsed.success) {
    return {
      ok: false,
      problems: sortBySource(found.map((p) => place(document, lineCounter, sourceName, p))),
    };
  }
  return { ok: true, playbook: resolvePlaybook(parsed.data) };
}

/** Reads and parses a playbook file; a file that cannot be read is a problem like any other. */
export async function loadPlaybookFile(path: string): Promise<PlaybookResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'file not found'
        : error instanceof Error
          ? error.message
          : String(error);
    return {
      ok: false,
      problems: [
        { kind: 'file', source: path, path: '', message: `cannot read ${path}: ${reason}` },
      ],
    };
  }
  return parsePlaybook(text, path);
}

/** Like `loadPlaybookFile`, for callers that prefer an exception: throws `PlaybookInvalidError`. */
export async function loadPlaybookFileOrThrow(path: string): Promise<Playbook> {
  const result = await loadPlaybookFile(path);
  if (!result.ok) {
    throw new PlaybookInvalidError(path, result.problems);
  }
  return result.playbook;
}

function place(
  document: Document,
  lineCounter: LineCounter,
  source: string,
  problem: PathProblem,
): PlaybookProblem {
  const position = locate(document, lineCounter, problem.path, problem.at);
  return {
    kind: problem.kind,
    source,
    path: formatPath(problem.path),
    ...(position === undefined ? {} : { line: position.line, column: position.column }),
    message: problem.message,
  };
}

function linePos(
  lineCounter: LineCounter,
  offset: number | undefined,
): { line?: number; column?: number } {
  if (offset === undefined) {
    return {};
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Source order reads best; problems without a position (whole file) come first. */
function sortBySource(problems: readonly PlaybookProblem[]): PlaybookProblem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
