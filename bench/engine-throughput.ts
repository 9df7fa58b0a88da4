import type { StoredEvent } from '../src/application/ports.js';
import { freshPostgres, freshSqlite, type EngineBackend } from './engine-backends.js';
import { cpuMark, cpuSince, maxRssMb, RssSampler, type CpuUse } from './engine-machine.js';
import { StoreProbe, WRITE_CALLS, type ProbeReport } from './engine-probe.js';
import { CpuProfiler, type ProfileSummary } from './engine-profile.js';
import { auditRun, type RunAudit } from './engine-transitions.js';
import {
  benchEngine,
  benchPlaybook,
  instantAgents,
  startAll,
  TASKS_PER_JOURNEY,
  type DagShape,
} from './engine-workload.js';
import { round } from './measure.js';

/**
 * One throughput run, in its own process (so its peak memory is its own): `journeys` journeys
 * are started up front, then the engine's worker runs until every one has completed all three
 * stages, each stage a four-task setup. Then `paced` more journeys run one at a time, which
 * measures a transition with nothing else queued. Everything is read back from the event log.
 */

export interface ThroughputOptions {
  readonly backend: 'sqlite' | 'postgres';
  readonly postgres: string;
  readonly sqliteDir: string;
  readonly journeys: number;
  readonly paced: number;
  readonly shape: DagShape;
  /** The engine worker's concurrency (items in hand at once). */
  readonly concurrency: number;
  /** PostgreSQL connections. */
  readonly poolSize: number;
  /** How many startJourney calls run at once while the journeys are started. */
  readonly startParallel: number;
  /** Give up when nothing commits for this long. */
  readonly stallMs: number;
  /** Sample a CPU profile of the measured window (it slows the run a little). */
  readonly profile: boolean;
}

export interface ThroughputResult {
  readonly backend: 'sqlite' | 'postgres';
  readonly description: string;
  readonly shape: DagShape;
  readonly concurrency: number;
  readonly journeys: number;
  readonly tasks: number;
  /** Starting the journeys (not in the throughput figure). */
  readonly startSeconds: number;
  readonly seconds: number;
  readonly tasksPerSec: number;
  readonly loaded: RunAudit;
  readonly unloaded: RunAudit;
  readonly peakRssMb: number;
  readonly maxRssMb: number;
  readonly cpu: CpuUse;
  readonly nodeCpuMsPerTask: number;
  readonly probe: ProbeReport;
  readonly warnings: number;
  readonly lastWarning: string | null;
  readonly profile: ProfileSummary | null;
}

export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const backend: EngineBackend =
    options.backend === 'sqlite'
      ? await freshSqlite(options.sqliteDir)
      : await freshPostgres(options.postgres, options.poolSize);
  try {
    return await measure(backend, options);
  } finally {
    await backend.close();
  }
}

async function measure(
  backend: EngineBackend,
  options: ThroughputOptions,
): Promise<ThroughputResult> {
  const probe = new StoreProbe(backend.store);
  const agents = instantAgents();
  const playbook = benchPlaybook(options.shape);
  const bench = benchEngine({
    store: probe.store,
    agents,
    playbook,
    concurrency: options.concurrency,
  });
  const { engine } = bench;
  const completion = new CompletionWatch(probe);

  const startStarted = performance.now();
  await startAll(options.journeys, options.startParallel, (index) =>
    engine.orchestrator.startJourney(
      { clientId: `bench-${index}`, playbook: playbook.name },
      { actor: 'bench' },
    ),
  );
  const startSeconds = (performance.now() - startStarted) / 1000;

  probe.reset();
  const profiler = options.profile ? new CpuProfiler() : undefined;
  await profiler?.start();
  const rss = new RssSampler();
  const cpu = cpuMark();
  const started = performance.now();
  engine.start();
  await completion.waitFor(options.journeys, options.stallMs, bench);
  const seconds = (performance.now() - started) / 1000;
  const cpuUse = cpuSince(cpu);
  const nodeCpuMs = process.cpuUsage(cpu.node);
  const peakRssMb = rss.stop();
  const maxRss = maxRssMb();
  const report = probe.report();
  const profile = (await profiler?.stop()) ?? null;

  // Unloaded: one journey at a time, nothing else queued.
  for (let index = 0; index < options.paced; index += 1) {
    const target = completion.count + 1;
    await engine.orchestrator.startJourney(
      { clientId: `paced-${index}`, playbook: playbook.name },
      { actor: 'bench' },
    );
    await completion.waitFor(target, options.stallMs, bench);
  }
  await engine.stop();
  await agents.close();

  const loaded = await auditRun(backend.store, 'bench-');
  const unloaded = await auditRun(backend.store, 'paced-');
  const tasks = options.journeys * TASKS_PER_JOURNEY;
  if (loaded.tasksCompleted !== tasks || loaded.completedJourneys !== options.journeys) {
    throw new Error(
      `expected ${options.journeys} completed journeys and ${tasks} completed tasks, found ${loaded.completedJourneys} and ${loaded.tasksCompleted}`,
    );
  }
  return {
    backend: backend.name,
    description: backend.description,
    shape: options.shape,
    concurrency: options.concurrency,
    journeys: options.journeys,
    tasks,
    startSeconds: round(startSeconds, 2),
    seconds: round(seconds, 2),
    tasksPerSec: round(tasks / seconds),
    loaded,
    unloaded,
    peakRssMb,
    maxRssMb: maxRss,
    cpu: cpuUse,
    nodeCpuMsPerTask: round((nodeCpuMs.user + nodeCpuMs.system) / 1000 / tasks, 3),
    probe: report,
    warnings: bench.warnings(),
    lastWarning: bench.lastWarning() ?? null,
    profile,
  };
}

/** Counts JourneyCompleted events as their commits return, and waits for a number of them. */
class CompletionWatch {
  count = 0;
  #lastCommit = performance.now();
  #waiter: { target: number; resolve: () => void } | undefined;

  constructor(probe: StoreProbe) {
    probe.onCommitted((events: readonly StoredEvent[]) => {
      this.#lastCommit = performance.now();
      for (const { type } of events) {
        if (type === 'JourneyCompleted') {
          this.count += 1;
        }
      }
      if (this.#waiter !== undefined && this.count >= this.#waiter.target) {
        this.#waiter.resolve();
      }
    });
  }

  async waitFor(
    target: number,
    stallMs: number,
    bench: { warnings(): number; lastWarning(): string | undefined },
  ): Promise<void> {
    if (this.count >= target) {
      return;
    }
    this.#lastCommit = performance.now();
    let watchdog: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.#waiter = { target, resolve };
        watchdog = setInterval(() => {
          if (performance.now() - this.#lastCommit > stallMs) {
            reject(
              new Error(
                `no commit for ${stallMs} ms with ${this.count} of ${target} journeys completed; ` +
                  `${bench.warnings()} engine warnings, last: ${bench.lastWarning() ?? 'none'}`,
              ),
            );
          }
        }, 1000);
      });
    } finally {
      clearInterval(watchdog);
      this.#waiter = undefined;
    }
  }
}

/** Write transactions and store calls per task, from a probe report. */
export function perTask(
  report: ProbeReport,
  tasks: number,
): {
  writes: number;
  commits: number;
  claims: number;
  itemsPerClaim: number;
  reads: number;
} {
  let writes = 0;
  let reads = 0;
  for (const [name, stats] of Object.entries(report.calls)) {
    if (WRITE_CALLS.has(name)) {
      writes += stats.count;
    } else {
      reads += stats.count;
    }
  }
  return {
    writes: round(writes / tasks, 2),
    commits: round((report.calls.commit?.count ?? 0) / tasks, 2),
    claims: round((report.calls.claim?.count ?? 0) / tasks, 2),
    itemsPerClaim: round(
      Object.values(report.kinds).reduce((sum, kind) => sum + kind.claimed, 0) /
        Math.max(1, report.calls.claim?.count ?? 0),
      1,
    ),
    reads: round(reads / tasks, 2),
  };
}
