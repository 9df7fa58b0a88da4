import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { OutletPolicy } from '../src/relay/relay-settings.js';
import { Relay } from '../src/relay/relay.js';
import { systemClock } from '../src/runtime/system-clock.js';
import { freshPostgres, freshSqlite, type EngineBackend } from './engine-backends.js';
import { cpuMark, cpuSince, type CpuUse } from './engine-machine.js';
import { StoreProbe } from './engine-probe.js';
import {
  benchEngine,
  benchPlaybook,
  instantAgents,
  startAll,
  TASKS_PER_JOURNEY,
} from './engine-workload.js';
import { helperCpuMark, helperCpuSince, type HelperCpu } from './events-cpu.js';
import {
  caughtUp,
  CommitWatch,
  RelayLog,
  timedForRelay,
  type CallStats,
  type Cleanups,
} from './events-harness.js';
import { outletsFor, type OutletName } from './events-outlets.js';
import type { BenchStreams, ReceiverProcess } from './events-sinks.js';
import { outletFigures, scanLog, since, type LogScan, type OutletFigures } from './events-stats.js';
import { round } from './measure.js';

/**
 * One run of the events bench on one backend. Under load: the engine bench's workload (journeys
 * of three four-task chain setups, in-process agents) with one Relay beside the engine in the
 * same process, as `journey serve` runs it, feeding a webhook outlet (the receiver process) and
 * a NATS outlet (a stream of its own); then `paced` journeys one at a time, the relay's latency
 * when it keeps up. Then, on the same store with the engine stopped, fresh relays deliver the
 * whole log from the beginning ("alone"), one per row.
 */

/** Which outlets an "alone" relay feeds, with which policy. */
export interface AloneRow extends Pick<OutletPolicy, 'concurrency' | 'batchSize'> {
  readonly outlets: 'both' | 'webhook' | 'nats';
}

export interface EventsRunOptions {
  readonly backend: 'sqlite' | 'postgres';
  readonly postgres: string;
  readonly sqliteDir: string;
  readonly nats: string;
  readonly journeys: number;
  readonly paced: number;
  /** The engine worker's concurrency, and the PostgreSQL pool (the engine bench's defaults). */
  readonly concurrency: number;
  readonly poolSize: number;
  /** The relay's poll interval under load; 250 ms is `journey serve`'s. */
  readonly pollInterval: number;
  readonly alone: readonly AloneRow[];
  /** Give up when nothing commits, or nothing is delivered, for this long. */
  readonly stallMs: number;
}

export interface LoopDelay {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** How often the event-loop delay is sampled, in ms; the figures are the delay beyond it. */
const LOOP_RESOLUTION = 5;

/** Event-loop delay (node:perf_hooks): how long the loop was blocked, e.g. by SQLite's fsync. */
function loopDelay(histogram: IntervalHistogram): LoopDelay {
  histogram.disable();
  const ms = (nanos: number): number => Math.max(0, round(nanos / 1e6 - LOOP_RESOLUTION, 1));
  return {
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
  };
}

export interface LoadOutlet extends OutletFigures {
  readonly drainMs: number;
  /** The paced journeys' events: the lag when the relay keeps up. */
  readonly paced: OutletFigures;
}

export interface LoadFigures {
  readonly webhook: LoadOutlet;
  readonly nats: LoadOutlet;
  /** The engine: from the first journey's start to its last commit. */
  readonly engineSeconds: number;
  readonly engineEventsPerSec: number;
  /** Tasks/s from the worker's start to the last completion, as the engine bench counts it. */
  readonly tasksPerSec: number;
  readonly cpu: CpuUse;
  readonly helpers: HelperCpu;
  readonly relayCalls: Readonly<Record<string, CallStats>>;
  /** How late the event loop ran its timers under load, and while paced. */
  readonly loopDelay: LoopDelay;
  readonly pacedLoopDelay: LoopDelay;
  readonly relayWarnings: number;
  readonly lastRelayWarning: string | null;
}

export interface AloneFigures {
  readonly row: AloneRow;
  readonly webhook: OutletFigures | null;
  readonly nats: OutletFigures | null;
  readonly cpu: CpuUse;
  readonly helpers: HelperCpu;
  /** This process's CPU time per delivery (an event to one outlet). */
  readonly nodeCpuMsPerDelivery: number;
}

export interface EventsRunResult {
  readonly backend: 'sqlite' | 'postgres';
  readonly description: string;
  readonly pollInterval: number;
  readonly journeys: number;
  /** Events of the loaded run, and of the whole log (with the paced journeys'). */
  readonly loadEvents: number;
  readonly events: number;
  readonly load: LoadFigures;
  readonly alone: readonly AloneFigures[];
}

export async function runEvents(
  options: EventsRunOptions,
  receiver: ReceiverProcess,
  streams: BenchStreams,
  cleanups: Cleanups,
): Promise<EventsRunResult> {
  const backend: EngineBackend =
    options.backend === 'sqlite'
      ? await freshSqlite(options.sqliteDir)
      : await freshPostgres(options.postgres, options.poolSize);
  const close = cleanups.add(() => backend.close());
  try {
    const probe = new StoreProbe(backend.store);
    const { load, loadLog, log } = await underLoad(options, probe, receiver, streams);
    const alone: AloneFigures[] = [];
    for (const row of options.alone) {
      alone.push(await relayAlone(options, probe, log, row, receiver, streams));
    }
    return {
      backend: options.backend,
      description: backend.description,
      pollInterval: options.pollInterval,
      journeys: options.journeys,
      loadEvents: loadLog.events,
      events: log.events,
      load,
      alone,
    };
  } finally {
    await close();
  }
}

async function underLoad(
  options: EventsRunOptions,
  probe: StoreProbe,
  receiver: ReceiverProcess,
  streams: BenchStreams,
): Promise<{ load: LoadFigures; loadLog: LogScan; log: LogScan }> {
  const agents = instantAgents();
  const playbook = benchPlaybook('chain');
  const bench = benchEngine({
    store: probe.store,
    agents,
    playbook,
    concurrency: options.concurrency,
  });
  const watch = new CommitWatch(probe);
  const relayLog = new RelayLog();
  const relayCalls: Record<string, CallStats> = {};
  // As `journey serve` builds it (src/runtime/service.ts): the outlets' default policies.
  const sinks = await outletsFor(
    ['webhook', 'nats'],
    'load',
    undefined,
    options,
    receiver,
    streams,
  );
  const relay = new Relay({
    store: timedForRelay(probe.inner, relayCalls),
    clock: systemClock,
    log: relayLog,
    owner: bench.engine.worker.owner,
    timings: { pollInterval: options.pollInterval },
    outlets: sinks.outlets,
  });
  const start = (prefix: string, index: number) =>
    bench.engine.orchestrator.startJourney(
      { clientId: `${prefix}-${index}`, playbook: playbook.name },
      { actor: 'bench' },
    );
  try {
    relay.start();
    // A first start at `now` begins at the head: journeys may start once both outlets hold it.
    await relayLog.delivering(sinks.names, options.stallMs);
    const cpu = cpuMark();
    const helpers = helperCpuMark(receiver.pid);
    const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION });
    delay.enable();
    const started = Date.now();
    await startAll(options.journeys, 16, (index) => start('bench', index));
    const workerStarted = performance.now();
    bench.engine.start();
    await watch.completed(options.journeys, options.stallMs, bench);
    const tasksPerSec = round(
      (options.journeys * TASKS_PER_JOURNEY) / ((performance.now() - workerStarted) / 1000),
    );
    const loadLog = await scanLog(probe.store);
    const lastCommit = watch.lastCommitAt;
    await caughtUp(loadLog.events, sinks.counters, options.stallMs);
    const cpuUse = cpuSince(cpu);
    const helperUse = helperCpuSince(helpers, receiver.pid);
    const loadDelay = loopDelay(delay);

    // Paced: one journey at a time, each delivered before the next starts.
    const pacedDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION });
    pacedDelay.enable();
    const pacedStarted = Date.now();
    for (let index = 0; index < options.paced; index += 1) {
      await start('paced', index);
      await watch.completed(options.journeys + index + 1, options.stallMs, bench);
    }
    const pacedLoopDelay = loopDelay(pacedDelay);
    await bench.engine.stop();
    const log = await scanLog(probe.store);
    if (log.journeysCompleted !== options.journeys + options.paced) {
      throw new Error(
        `${log.journeysCompleted} of ${options.journeys + options.paced} journeys completed`,
      );
    }
    await caughtUp(log.events, sinks.counters, options.stallMs);
    check(await sinks.problems('under load', log));
    const pacedEvents = since(log, loadLog);
    const figures = async (kind: OutletName): Promise<LoadOutlet> => {
      const deliveries = await sinks.deliveries(kind);
      const loaded = outletFigures(loadLog.recordedAt, deliveries, started);
      return {
        ...loaded,
        drainMs: Math.max(0, loaded.lastDeliveryAt - lastCommit),
        paced: outletFigures(pacedEvents, deliveries, pacedStarted),
      };
    };
    return {
      loadLog,
      log,
      load: {
        webhook: await figures('webhook'),
        nats: await figures('nats'),
        engineSeconds: round((lastCommit - started) / 1000, 2),
        engineEventsPerSec: round(loadLog.events / ((lastCommit - started) / 1000)),
        tasksPerSec,
        cpu: cpuUse,
        helpers: helperUse,
        relayCalls,
        loopDelay: loadDelay,
        pacedLoopDelay,
        relayWarnings: relayLog.warnings,
        lastRelayWarning: relayLog.lastWarning,
      },
    };
  } finally {
    await bench.engine.stop();
    await relay.stop();
    await agents.close();
  }
}

async function relayAlone(
  options: EventsRunOptions,
  probe: StoreProbe,
  log: LogScan,
  row: AloneRow,
  receiver: ReceiverProcess,
  streams: BenchStreams,
): Promise<AloneFigures> {
  const label = `alone-${row.outlets}-${row.concurrency}x${row.batchSize}`;
  const kinds: OutletName[] = row.outlets === 'both' ? ['webhook', 'nats'] : [row.outlets];
  const policy = {
    concurrency: row.concurrency,
    batchSize: row.batchSize,
    startAt: 'beginning',
  } as const;
  const sinks = await outletsFor(kinds, label, policy, options, receiver, streams);
  const relay = new Relay({
    store: probe.inner,
    clock: systemClock,
    log: new RelayLog(),
    outlets: sinks.outlets,
  });
  try {
    const cpu = cpuMark();
    const helpers = helperCpuMark(receiver.pid);
    const nodeCpu = process.cpuUsage();
    const started = Date.now();
    relay.start();
    await caughtUp(log.events, sinks.counters, options.stallMs);
    const cpuUse = cpuSince(cpu);
    const helperUse = helperCpuSince(helpers, receiver.pid);
    const nodeUsed = process.cpuUsage(nodeCpu);
    check(await sinks.problems(label, log));
    const figures = async (kind: OutletName): Promise<OutletFigures | null> =>
      kinds.includes(kind)
        ? outletFigures(log.recordedAt, await sinks.deliveries(kind), started)
        : null;
    return {
      row,
      webhook: await figures('webhook'),
      nats: await figures('nats'),
      cpu: cpuUse,
      helpers: helperUse,
      nodeCpuMsPerDelivery: round(
        (nodeUsed.user + nodeUsed.system) / 1000 / (kinds.length * log.events),
        3,
      ),
    };
  } finally {
    await relay.stop();
  }
}

function check(problems: readonly string[]): void {
  if (problems.length > 0) {
    throw new Error(`delivery check failed:\n  ${problems.join('\n  ')}`);
  }
}
