import { Session } from 'node:inspector/promises';
import { round } from './measure.js';

/**
 * A CPU profile of this process over one measurement (the V8 sampling profiler through the
 * inspector, so only the window asked for is sampled), summarised: self time by area of the code
 * and the functions that take the most.
 */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface ProfileSummary {
  readonly sampledMs: number;
  /** Self time by area (share of the sampled time, in percent). */
  readonly areas: readonly { readonly area: string; readonly pct: number }[];
  readonly functions: readonly { readonly name: string; readonly pct: number }[];
}

export class CpuProfiler {
  readonly #session = new Session();

  async start(): Promise<void> {
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.setSamplingInterval', { interval: 500 });
    await this.#session.post('Profiler.start');
  }

  async stop(top = 15): Promise<ProfileSummary> {
    const { profile } = (await this.#session.post('Profiler.stop')) as { profile: CpuProfile };
    this.#session.disconnect();
    return summarise(profile, top);
  }
}

/** The first matching rule names a frame's area. */
const AREAS: readonly [RegExp, string][] = [
  [/^\((idle)\)$/, 'idle (waiting for I/O)'],
  [/^\(garbage collector\)$/, 'garbage collection'],
  [/^\(program\)$/, 'V8/native (program)'],
  [/\/src\/storage\/sqlite\//, 'store: SQLite adapter'],
  [/\/src\/storage\/postgres\//, 'store: PostgreSQL adapter'],
  [/\/src\/storage\//, 'store: shared SQL (plans, projections, queue)'],
  [/\/src\/application\//, 'engine: use cases and reactions'],
  [/\/src\/runtime\//, 'engine: worker'],
  [/\/src\/domain\//, 'domain: decide/evolve'],
  [/\/src\/agents\/|\/src\/sources\//, 'agents and metric sources (in-process)'],
  [/\/bench\//, 'bench harness'],
  [/node_modules\/(pg|pg-pool|pg-protocol|pg-types|postgres-[a-z]+)\//, 'pg driver'],
  [/node_modules\/better-sqlite3\//, 'better-sqlite3 (JS side)'],
  [/node_modules\/zod\//, 'zod (payload parsing)'],
  [/node_modules\/uuid\//, 'uuid'],
  [/node_modules\//, 'other packages'],
  [/^node:|^internal\//, 'Node.js internals'],
];

function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  const key = url === '' ? functionName : url;
  for (const [pattern, area] of AREAS) {
    if (pattern.test(key)) {
      return area;
    }
  }
  return url === '' ? 'native (JSON, crypto, bindings...)' : 'other';
}

function summarise(profile: CpuProfile, top: number): ProfileSummary {
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const sampledMs = (profile.endTime - profile.startTime) / 1000;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) {
      continue;
    }
    const area = areaOf(node);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === '' ? '' : ` ${shorten(url)}:${lineNumber + 1}`;
    const name = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const pct = (hits: number): number => round((hits / Math.max(1, totalHits)) * 100, 1);
  return {
    sampledMs: round(sampledMs),
    areas: [...byArea]
      .sort((a, b) => b[1] - a[1])
      .map(([area, hits]) => ({ area, pct: pct(hits) })),
    functions: [...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, pct: pct(hits) })),
  };
}

function shorten(url: string): string {
  const at = url.search(/\/(src|bench|node_modules)\//);
  return at === -1 ? url.replace(/^file:\/\//, '') : url.slice(at + 1);
}
