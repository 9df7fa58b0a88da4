import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { CpuUse } from './engine-machine.js';
import { STAGES, TASKS_PER_STAGE } from './engine-workload.js';
import type { HelperCpu } from './events-cpu.js';
import { Cleanups } from './events-harness.js';
import { runEvents, type AloneRow, type EventsRunResult, type LoadOutlet } from './events-run.js';
import { BenchStreams, ReceiverProcess } from './events-sinks.js';
import type { OutletFigures } from './events-stats.js';
import { round } from './measure.js';

/**
 * `npm run bench -- events`: how fast the event relay gets events from the store to a loopback
 * webhook receiver and to NATS JetStream, and how long after its commit an event arrives, while
 * the engine runs the engine bench's load in the same process (as `journey serve` does); then
 * the relay alone on the same events, so the ratio says what the engine's load costs it. Every
 * event must arrive exactly once per id at the receiver and in the stream, or the bench fails.
 * See docs/benchmarks.md, "Events".
 */

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      journeys: { type: 'string', default: '200' },
      paced: { type: 'string', default: '10' },
      backends: { type: 'string', default: 'sqlite,postgres' },
      'poll-intervals': { type: 'string', default: '250' },
      alone: { type: 'string', default: '16x200,64x1000,webhook:16x200,nats:16x200' },
      concurrency: { type: 'string', default: '64' },
      pool: { type: 'string', default: '8' },
      postgres: { type: 'string', default: 'postgres://127.0.0.1:5432/test' },
      nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
      'sqlite-dir': { type: 'string', default: tmpdir() },
      'stall-seconds': { type: 'string', default: '30' },
    },
  });
  const backends = list(values.backends).filter(
    (name): name is 'sqlite' | 'postgres' => name === 'sqlite' || name === 'postgres',
  );
  const pollIntervals = list(values['poll-intervals']).map(Number);
  const alone = list(values.alone).map(parseAloneRow);
  const journeys = Number(values.journeys);
  log(
    `events bench: ${journeys} journeys of ${STAGES} stages of a ${TASKS_PER_STAGE}-task chain (the engine bench's ` +
      `workload) with one relay in the same process feeding a webhook outlet (receiver: node:http in a child ` +
      `process on 127.0.0.1, 204 at once) and a NATS outlet (a JetStream stream of its own); ${availableParallelism()} ` +
      `cores, load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')} before the run`,
  );
  log(
    "  lag: arrival at the receiver (webhook) or PubAck at the relay (NATS) minus the event's recordedAt " +
      "(the store's clock at its commit); drain: last delivery minus the engine's last commit; " +
      'events/s: all events over first journey start -> last delivery ("alone": relay start -> last delivery)',
  );

  const warnings = tallyWarnings();
  const cleanups = new Cleanups();
  const receiver = await ReceiverProcess.start();
  cleanups.add(() => receiver.stop());
  // Ctrl-C skips the finally blocks: the schema, the streams and the receiver go anyway.
  const interrupted = (): void => {
    void cleanups.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  const results: EventsRunResult[] = [];
  try {
    const streams = await BenchStreams.open(values.nats);
    cleanups.add(() => streams.close());
    for (const backend of backends) {
      for (const [index, pollInterval] of pollIntervals.entries()) {
        const result = await runEvents(
          {
            backend,
            postgres: values.postgres,
            sqliteDir: values['sqlite-dir'],
            nats: values.nats,
            journeys,
            paced: Number(values.paced),
            concurrency: Number(values.concurrency),
            poolSize: Number(values.pool),
            pollInterval,
            // The "alone" rows read the same log: once per backend is enough.
            alone: index === 0 ? alone : [],
            stallMs: Number(values['stall-seconds']) * 1000,
          },
          receiver,
          streams,
          cleanups,
        );
        print(result, warnings.take());
        results.push(result);
      }
    }
  } finally {
    process.removeListener('SIGINT', interrupted);
    await cleanups.run();
  }
  process.stdout.write(`${JSON.stringify(summary(results, journeys))}\n`);
}

/**
 * The JSON line: `webhook` and `nats` at the top are PostgreSQL's (the backend several
 * `journey serve` processes share), or SQLite's when PostgreSQL did not run (`backend` says
 * which); each backend's figures are also under its name, extra poll intervals in `variants`.
 */
function summary(results: readonly EventsRunResult[], journeys: number): Record<string, unknown> {
  const json: Record<string, unknown> = { bench: 'events' };
  const main = (backend: string) =>
    results.find((result) => result.backend === backend && result.alone.length > 0) ??
    results.find((result) => result.backend === backend);
  const headline = main('postgres') ?? main('sqlite');
  if (headline !== undefined) {
    const figures = backendJson(headline);
    json.webhook = figures.webhook;
    json.nats = figures.nats;
    json.backend = headline.backend;
  }
  json.journeys = journeys;
  json.loadAverage = round(loadavg()[0] ?? 0, 2);
  for (const backend of ['sqlite', 'postgres'] as const) {
    const result = main(backend);
    if (result === undefined) {
      continue;
    }
    const variants = results
      .filter((other) => other.backend === backend && other !== result)
      .map((other) => ({ pollInterval: other.pollInterval, ...backendJson(other) }));
    json[backend] = {
      ...backendJson(result),
      ...(variants.length === 0 ? {} : { variants }),
    };
  }
  return json;
}

function backendJson(result: EventsRunResult): {
  webhook: Record<string, unknown>;
  nats: Record<string, unknown>;
  [key: string]: unknown;
} {
  const { load } = result;
  const both = result.alone.filter((alone) => alone.row.outlets === 'both');
  const first = both[0];
  const outlet = (name: 'webhook' | 'nats') => {
    const figures = load[name];
    const alone = first?.[name] ?? null;
    const single = result.alone.find((row) => row.row.outlets === name);
    return {
      eventsPerSec: figures.eventsPerSec,
      lagP50Ms: figures.lagP50Ms,
      lagP99Ms: figures.lagP99Ms,
      lagMaxMs: figures.lagMaxMs,
      drainMs: figures.drainMs,
      pacedLagP50Ms: figures.paced.lagP50Ms,
      pacedLagP99Ms: figures.paced.lagP99Ms,
      ...(alone === null
        ? {}
        : {
            aloneEventsPerSec: alone.eventsPerSec,
            aloneVsLoad: round(alone.eventsPerSec / Math.max(1, figures.eventsPerSec), 2),
            aloneByPolicy: Object.fromEntries(
              both.map((row) => [policyLabel(row.row), row[name]?.eventsPerSec ?? null]),
            ),
          }),
      ...(single === undefined
        ? {}
        : {
            onlyOutletEventsPerSec: single[name]?.eventsPerSec ?? null,
            onlyOutletNodeCpuMsPerEvent: single.nodeCpuMsPerDelivery,
          }),
    };
  };
  return {
    webhook: outlet('webhook'),
    nats: outlet('nats'),
    events: result.loadEvents,
    pollIntervalMs: result.pollInterval,
    engineEventsPerSec: load.engineEventsPerSec,
    tasksPerSec: load.tasksPerSec,
    loopDelayP99Ms: load.loopDelay.p99Ms,
    pacedLoopDelayP99Ms: load.pacedLoopDelay.p99Ms,
    nodeCpuPct: load.cpu.nodeCorePct,
    receiverCpuPct: load.helpers.receiverCorePct,
    natsServerCpuPct: load.helpers.natsCorePct,
    otherProcessesCpuPct: restCpu(load.cpu, load.helpers),
  };
}

function print(result: EventsRunResult, warnings: ReadonlyMap<string, number>): void {
  const { load } = result;
  const row = (label: string, text: string): string => `  ${label.padEnd(30)}${text}`;
  const lag = (figures: OutletFigures): string =>
    `lag p50 ${figures.lagP50Ms} ms, p99 ${figures.lagP99Ms} ms, max ${figures.lagMaxMs} ms`;
  const outletRow = (figures: LoadOutlet): string =>
    `${String(figures.eventsPerSec).padStart(6)} events/s   ${lag(figures)}   drain ${figures.drainMs} ms`;
  const calls = Object.entries(load.relayCalls).map(
    ([name, stats]) =>
      `${name} ${stats.count} x ${round(stats.totalMs / Math.max(1, stats.count), 2)} ms`,
  );
  const reads = load.relayCalls.readAll?.count ?? 0;
  log(
    [
      `\n${result.description}; relay pollInterval ${result.pollInterval} ms, the outlets' default policy (batchSize 200, concurrency 16)`,
      row(
        'engine',
        `${result.loadEvents} events in ${load.engineSeconds} s (${load.engineEventsPerSec} events/s committed; ` +
          `${load.tasksPerSec} tasks/s with the relay running)`,
      ),
      row('webhook under load', outletRow(load.webhook)),
      row('NATS under load', outletRow(load.nats)),
      row(
        `paced (${result.events - result.loadEvents} events)`,
        `webhook ${lag(load.webhook.paced)}; NATS ${lag(load.nats.paced)}`,
      ),
      row(
        'delivered',
        `every one of the ${result.events} events once per id to the receiver and to the stream (0 duplicates)`,
      ),
      row('CPU (100% = one core)', describeCpu(load.cpu, load.helpers)),
      row(
        'event-loop delay',
        `under load p50 ${load.loopDelay.p50Ms} ms, p99 ${load.loopDelay.p99Ms} ms, max ${load.loopDelay.maxMs} ms; ` +
          `paced p50 ${load.pacedLoopDelay.p50Ms} ms, p99 ${load.pacedLoopDelay.p99Ms} ms, max ${load.pacedLoopDelay.maxMs} ms`,
      ),
      row(
        'relay store calls',
        `${calls.join('; ')} (${round((2 * result.events) / Math.max(1, reads), 1)} events per read)`,
      ),
      ...(load.relayWarnings > 0
        ? [row('relay warnings', `${load.relayWarnings}, last: ${load.lastRelayWarning ?? ''}`)]
        : []),
      ...[...warnings].map(([warning, count]) =>
        row('process warnings', `${count} x ${warning} (printed once above)`),
      ),
      ...result.alone.flatMap((alone) => {
        const rate = (name: 'webhook' | 'nats'): string[] => {
          const figures = alone[name];
          return figures === null
            ? []
            : [
                `${name === 'nats' ? 'NATS' : name} ${figures.eventsPerSec} events/s ` +
                  `(${round(figures.eventsPerSec / Math.max(1, load[name].eventsPerSec), 2)}x under load, ${figures.seconds} s)`,
              ];
        };
        return [
          row(
            `alone: ${alone.row.outlets}, ${policyLabel(alone.row)}`,
            `${[...rate('webhook'), ...rate('nats')].join(', ')}; node ${alone.nodeCpuMsPerDelivery} ms CPU per delivery`,
          ),
          row('', `CPU ${describeCpu(alone.cpu, alone.helpers)}`),
        ];
      }),
    ].join('\n'),
  );
}

const policyLabel = (row: Pick<AloneRow, 'concurrency' | 'batchSize'>): string =>
  `${row.concurrency}x${row.batchSize}`;

/**
 * Node prints a process warning each time it is emitted; the relay's MaxListenersExceededWarning
 * comes once per batch under load (one abort listener per delivery in flight on the batch's
 * signal, 16 > 10), which would bury the table. Each kind is printed once here and counted.
 */
function tallyWarnings(): { take(): Map<string, number> } {
  let counts = new Map<string, number>();
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    const key = `${warning.name}: ${warning.message.split('. ')[0] ?? warning.message}`;
    if (!counts.has(key)) {
      process.stderr.write(`${warning.name}: ${warning.message}\n`);
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return {
    take() {
      const taken = counts;
      counts = new Map();
      return taken;
    },
  };
}

/** `[webhook:|nats:]<concurrency>x<batchSize>`: one outlet, or both. */
function parseAloneRow(spec: string): AloneRow {
  const match = /^(?:(webhook|nats):)?(\d+)x(\d+)$/.exec(spec);
  if (match === null) {
    throw new Error(`--alone "${spec}": expected [webhook:|nats:]<concurrency>x<batchSize>`);
  }
  return {
    outlets: (match[1] ?? 'both') as AloneRow['outlets'],
    concurrency: Number(match[2]),
    batchSize: Number(match[3]),
  };
}

function restCpu(cpu: CpuUse, helpers: HelperCpu): number | null {
  return cpu.otherCorePct === null
    ? null
    : Math.max(0, cpu.otherCorePct - (helpers.receiverCorePct ?? 0) - (helpers.natsCorePct ?? 0));
}

/** "other" less the receiver and the NATS server is the rest of the machine: noise. */
function describeCpu(cpu: CpuUse, helpers: HelperCpu): string {
  const known = (value: number | null): string => (value === null ? '?' : `${value}%`);
  const rest = restCpu(cpu, helpers);
  return (
    `node ${cpu.nodeCorePct}%, postgres ${known(cpu.postgresCorePct)}, receiver ${known(helpers.receiverCorePct)}, ` +
    `nats-server ${known(helpers.natsCorePct)}, other processes ${known(rest)} ` +
    `(machine ${known(cpu.machineCorePct)} of ${cpu.cores * 100}%)`
  );
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function log(text: string): void {
  process.stdout.write(`${text}\n`);
}
