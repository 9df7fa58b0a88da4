import { formatJsonPath, type JsonPath } from '../domain/unit-of-work/input-template.js';

/** What kind of check found a problem. */
export const ProblemKind = {
  /** The file could not be read. */
  file: 'file',
  /** The text is not valid YAML. */
  syntax: 'syntax',
  /** A value has the wrong shape, type or format, or a key is unknown or missing. */
  schema: 'schema',
  /** The values are well-formed but do not fit together (DAG, references, comparators). */
  semantic: 'semantic',
  /** A live agent cannot serve a task (`validate --check-agents` reads their A2A cards). */
  agents: 'agents',
} as const;
export type ProblemKind = (typeof ProblemKind)[keyof typeof ProblemKind];

/** One thing wrong with a playbook, located so a person can go and fix it. */
export interface PlaybookProblem {
  readonly kind: ProblemKind;
  /** The file (or the name given to the text) the problem is in. */
  readonly source: string;
  /** Where in the playbook, e.g. `stages.pilot.setup.tasks[2].dependsOn[0]`; `""` for the whole. */
  readonly path: string;
  /** 1-based line in the YAML source, when known. */
  readonly line?: number;
  /** 1-based column in the YAML source, when known. */
  readonly column?: number;
  readonly message: string;
}

/**
 * A problem before it is placed in the source: its path as segments, and whether it is about a
 * key itself (unknown key: point at the key) or the value under it.
 * @internal
 */
export interface PathProblem {
  readonly kind: ProblemKind;
  readonly path: JsonPath;
  readonly message: string;
  readonly at?: 'key' | 'value';
}

/** `stages.pilot.setup.tasks[2].dependsOn[0]` from its segments. */
export function formatPath(path: JsonPath): string {
  return formatJsonPath(path);
}

/** `stages.pilot.setup.tasks[2].dependsOn[0] (line 34, col 9): unknown task "x"` */
export function formatProblem(problem: PlaybookProblem): string {
  const position =
    problem.line === undefined
      ? ''
      : `line ${problem.line}${problem.column === undefined ? '' : `, col ${problem.column}`}`;
  if (problem.path === '') {
    return position === '' ? problem.message : `${position}: ${problem.message}`;
  }
  return position === ''
    ? `${problem.path}: ${problem.message}`
    : `${problem.path} (${position}): ${problem.message}`;
}

/** Thrown by callers that prefer an exception; the message lists every problem. */
export class PlaybookInvalidError extends Error {
  override name = 'PlaybookInvalidError';
  readonly source: string;
  readonly problems: readonly PlaybookProblem[];

  constructor(source: string, problems: readonly PlaybookProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      [
        `playbook ${source} is invalid (${count}):`,
        ...problems.map((p) => `  ${formatProblem(p)}`),
      ].join('\n'),
    );
    this.source = source;
    this.problems = problems;
  }
}

/** The closest candidate to a mistyped word, if one is close enough to be what was meant. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed && bestDistance < word.length ? best : undefined;
}

/** ` (did you mean "x"?)` or nothing. */
export function suggestion(word: string, candidates: Iterable<string>, quote = '"'): string {
  const best = didYouMean(word, candidates);
  return best === undefined ? '' : ` (did you mean ${quote}${best}${quote}?)`;
}

/** Levenshtein distance, with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
