import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { journeyWriter, STREAM_LENGTH } from './journey-events.js';
import { rate, round, runFor, spread, total, type Sample } from './measure.js';
import { postgresBackend, sqliteBackend, type BenchBackend } from './store-backends.js';
import { measureLoad, type LoadResult } from './store-load.js';

/**
 * `npm run bench -- store`: how fast the store commits single-event appends, against the raw
 * commit rate of the same driver on the same database, and what loading 10,000 active
 * journeys' read model costs. See docs/storage.md, "Benchmark".
 */

/** Appends should cost at most two raw commits: the store's own target (issue 3). */
const TARGET_RATIO = 0.5;
const ROUNDS = 3;
const WARM_UP_MS = 300;

type Phase = 'appends1' | 'raw1' | 'appends8' | 'raw8';

interface BackendResult extends LoadResult {
  readonly appendsPerSec: number;
  readonly rawCommitsPerSec: number;
  readonly ratio: number;
  /** Which writer count the three figures above are for. */
  readonly headlineWriters: 1 | 8;
  readonly appendsPerSec1: number;
  readonly appendsPerSec8: number;
  readonly rawCommitsPerSec1: number;
  readonly rawCommitsPerSec8: number;
  readonly ratio1: number;
  readonly ratio8: number;
  /**
   * 1 writer: what an append costs beyond a raw commit, in µs (1/appends - 1/raw). The ratio
   * moves with the machine's fsync latency, which both sides pay once per commit; this is the
   * store's own share (statements, extra WAL pages, JSON, Node) and moves much less.
   */
  readonly extraMicrosPerAppend1: number;
  readonly meetsTarget: boolean;
  readonly seconds: number;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '3' },
      journeys: { type: 'string', default: '10000' },
      backends: { type: 'string', default: 'sqlite,postgres' },
      postgres: { type: 'string', default: 'postgres://127.0.0.1:5432/test' },
      'sqlite-dir': { type: 'string', default: tmpdir() },
    },
  });
  const seconds = Number(values.seconds);
  const journeys = Number(values.journeys);
  const backends = values.backends.split(',').map((name) => name.trim());
  const results: Record<string, BackendResult | { skipped: string }> = {};

  for (const name of backends) {
    const backend =
      name === 'sqlite'
        ? await sqliteBackend(values['sqlite-dir'])
        : name === 'postgres'
          ? await postgresBackend(values.postgres)
          : { skipped: `unknown backend "${name}" (sqlite, postgres)` };
    if ('skipped' in backend) {
      log(`\n${name}: skipped: ${backend.skipped}`);
      results[name] = backend;
      continue;
    }
    try {
      results[name] = await benchBackend(backend, seconds, journeys);
    } finally {
      await backend.close();
    }
  }
  process.stdout.write(`${JSON.stringify({ bench: 'store', ...results })}\n`);
}

async function benchBackend(
  backend: BenchBackend,
  seconds: number,
  journeys: number,
): Promise<BackendResult> {
  log(`\n${backend.description}`);
  const load = await measureLoad(backend.store, journeys);
  const samples = await measureCommits(backend, seconds);
  const perSec = (phase: Phase): number => round(rate(total(samples[phase])));
  const appendsPerSec1 = perSec('appends1');
  const appendsPerSec8 = perSec('appends8');
  const rawCommitsPerSec1 = perSec('raw1');
  const rawCommitsPerSec8 = perSec('raw8');
  const ratio1 = round(appendsPerSec1 / rawCommitsPerSec1, 2);
  const ratio8 = round(appendsPerSec8 / rawCommitsPerSec8, 2);
  const extraMicrosPerAppend1 = round(1e6 / appendsPerSec1 - 1e6 / rawCommitsPerSec1);
  // SQLite has one writer at a time, so its figure is the 1-writer one; PostgreSQL is there to
  // serve several writers, so its figure is the 8-writer one.
  const headlineWriters = backend.name === 'sqlite' ? 1 : 8;
  const headline =
    headlineWriters === 1
      ? { appendsPerSec: appendsPerSec1, rawCommitsPerSec: rawCommitsPerSec1, ratio: ratio1 }
      : { appendsPerSec: appendsPerSec8, rawCommitsPerSec: rawCommitsPerSec8, ratio: ratio8 };

  const range = (phase: Phase): string => {
    const { min, max } = spread(samples[phase]);
    return `${Math.round(min)}-${Math.round(max)}`;
  };
  const row = (label: string, one: string, eight: string): string =>
    `  ${label.padEnd(30)}${one.padStart(18)}${eight.padStart(18)}`;
  log(
    [
      row('', '1 writer', '8 writers'),
      row('appends/s (store.commit)', `${appendsPerSec1}`, `${appendsPerSec8}`),
      row('  per-round range', range('appends1'), range('appends8')),
      row('raw commits/s (1-row UPDATE)', `${rawCommitsPerSec1}`, `${rawCommitsPerSec8}`),
      row('  per-round range', range('raw1'), range('raw8')),
      row(`ratio (target >= ${TARGET_RATIO})`, `${ratio1}`, `${ratio8}`),
      row('raw commit, µs', `${round(1e6 / rawCommitsPerSec1)}`, ''),
      row('append beyond it, µs', `${extraMicrosPerAppend1}`, ''),
      `  headline: ${headlineWriters} writer${headlineWriters === 1 ? '' : 's'}${
        backend.name === 'sqlite'
          ? ' (SQLite has one writer at a time: 8 writers take turns on its write lock)'
          : ' (PostgreSQL serves concurrent writers: 8 connections)'
      }; ratio ${headline.ratio} ${headline.ratio >= TARGET_RATIO ? 'meets' : 'MISSES'} the target`,
      `  each figure: ${seconds}s in ${ROUNDS} interleaved rounds; one event per transaction;` +
        ` a stream holds ${STREAM_LENGTH} events, then the writer starts a new journey`,
      `  read model: ${load.journeys} active journeys written in ${load.insertMs} ms;` +
        ` paged (${load.pages} pages of 500) in ${load.loadMs} ms, heap ${signed(load.loadHeapMB)} MB,` +
        ` rss ${signed(load.loadRssMB)} MB; findJourney ${load.findJourneyMicros} µs each`,
    ].join('\n'),
  );
  return {
    ...headline,
    headlineWriters,
    appendsPerSec1,
    appendsPerSec8,
    rawCommitsPerSec1,
    rawCommitsPerSec8,
    ratio1,
    ratio8,
    extraMicrosPerAppend1,
    meetsTarget: headline.ratio >= TARGET_RATIO,
    seconds,
    ...load,
  };
}

/**
 * Interleaves the four measurements over ROUNDS rounds (alternating their order), so a noisy
 * neighbour or a checkpoint hits all of them alike rather than one.
 */
async function measureCommits(
  backend: BenchBackend,
  seconds: number,
): Promise<Record<Phase, Sample[]>> {
  const tag = `bench-${process.pid}`;
  const single = [journeyWriter(`${tag}-1w`)];
  const eight = Array.from({ length: 8 }, (_, writer) => journeyWriter(`${tag}-8w${writer}`));
  const append =
    (writers: typeof single) =>
    async (writer: number): Promise<void> => {
      const journey = writers[writer];
      if (journey === undefined) {
        throw new Error(`no writer ${writer}`);
      }
      await backend.store.commit({ appends: [journey.next()] });
      journey.committed();
    };
  const run: Record<Phase, (millis: number) => Promise<Sample>> = {
    appends1: (millis) => runFor(millis, 1, append(single)),
    raw1: (millis) => backend.raw.run(1, millis),
    appends8: (millis) => runFor(millis, 8, append(eight)),
    raw8: (millis) => backend.raw.run(8, millis),
  };
  const order: Phase[] = ['appends1', 'raw1', 'appends8', 'raw8'];
  for (const phase of order) {
    await run[phase](WARM_UP_MS);
  }
  const samples: Record<Phase, Sample[]> = { appends1: [], raw1: [], appends8: [], raw8: [] };
  const millis = (seconds * 1000) / ROUNDS;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const phase of round % 2 === 0 ? order : [...order].reverse()) {
      samples[phase].push(await run[phase](millis));
    }
  }
  return samples;
}

const signed = (value: number): string => (value < 0 ? `${value}` : `+${value}`);

function log(text: string): void {
  process.stdout.write(`${text}\n`);
}
