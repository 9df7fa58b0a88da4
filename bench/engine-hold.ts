import { freshSqlite } from './engine-backends.js';
import { maxRssMb, RssSampler } from './engine-machine.js';
import { StoreProbe } from './engine-probe.js';
import { benchEngine, benchPlaybook, BusyAgents, startAll } from './engine-workload.js';
import { collectGarbage, megabytes, round } from './measure.js';

/**
 * Many concurrent active journeys in one process, on SQLite: `journeys` journeys are started and
 * each one's first setup task is sent to an agent that answers `running` and never finishes
 * (BusyAgents: a remote agent holding the work), so every journey stays active with a running
 * task that the engine polls (first after 20 s, then backing off to every 60 s: long-running
 * agent work). Once every task is running, the process holds them for `holdSeconds` while its
 * RSS is sampled. The engine keeps no journey in memory: this checks that it stays so.
 */

export interface HoldOptions {
  readonly sqliteDir: string;
  readonly journeys: number;
  readonly holdSeconds: number;
  readonly concurrency: number;
  readonly startParallel: number;
  readonly stallMs: number;
}

export interface HoldResult {
  readonly description: string;
  readonly journeys: number;
  readonly activeJourneys: number;
  readonly runningTasks: number;
  /** Starting every journey until its first task was running at its agent. */
  readonly startSeconds: number;
  readonly holdSeconds: number;
  /** RSS with the store open and the engine built, before any journey. */
  readonly baselineRssMb: number;
  /** Highest RSS sampled (every 50 ms) from the first start to the end of the hold. */
  readonly peakRssMb: number;
  /** The OS's high-water mark for the whole process. */
  readonly maxRssMb: number;
  readonly endRssMb: number;
  /** Heap in use after a full GC at the end of the hold (what is retained). */
  readonly heapUsedMb: number;
  /** Polls of running tasks the engine made during the hold. */
  readonly pollsDuringHold: number;
  /** Work items claimed while the journeys were being started, by kind. */
  readonly startClaims: Readonly<Record<string, number>>;
  readonly warnings: number;
}

export async function runHold(options: HoldOptions): Promise<HoldResult> {
  const backend = await freshSqlite(options.sqliteDir);
  try {
    const agents = new BusyAgents();
    const probe = new StoreProbe(backend.store);
    const bench = benchEngine({
      store: probe.store,
      agents,
      // Long enough that no attempt times out (and is sent again) during the measurement.
      playbook: benchPlaybook('chain', 24 * 60 * 60_000),
      concurrency: options.concurrency,
      // Long-running agent work: polled after 20 s, then backing off to every 60 s.
      settings: { pollInitial: 20_000, pollMax: 60_000 },
    });
    const { engine } = bench;
    collectGarbage();
    const baselineRssMb = megabytes(process.memoryUsage.rss());
    const rss = new RssSampler();
    const started = performance.now();
    engine.start();
    await startAll(options.journeys, options.startParallel, (index) =>
      engine.orchestrator.startJourney(
        { clientId: `hold-${index}`, playbook: 'bench-chain' },
        { actor: 'bench' },
      ),
    );
    let lastCount = agents.dispatched;
    let lastChange = performance.now();
    while (agents.dispatched < options.journeys) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (agents.dispatched !== lastCount) {
        lastCount = agents.dispatched;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > options.stallMs) {
        throw new Error(
          `only ${lastCount} of ${options.journeys} first tasks were sent; last engine warning: ${bench.lastWarning() ?? 'none'}`,
        );
      }
    }
    const startSeconds = (performance.now() - started) / 1000;
    const startWork = probe.report().kinds;

    probe.reset();
    const pollsBefore = agents.polls;
    await new Promise((resolve) => setTimeout(resolve, options.holdSeconds * 1000));
    const peakRssMb = rss.stop();
    const endRssMb = megabytes(process.memoryUsage.rss());
    collectGarbage();
    const heapUsedMb = megabytes(process.memoryUsage().heapUsed);
    const pollsDuringHold = agents.polls - pollsBefore;
    await engine.stop();
    const maxRss = maxRssMb();

    let activeJourneys = 0;
    let cursor: string | null = null;
    do {
      const page = await backend.store.listJourneys({ active: true, limit: 500, cursor });
      activeJourneys += page.items.length;
      cursor = page.nextCursor;
    } while (cursor !== null);
    await agents.close();
    return {
      description: backend.description,
      journeys: options.journeys,
      activeJourneys,
      runningTasks: agents.dispatched,
      startSeconds: round(startSeconds, 1),
      holdSeconds: options.holdSeconds,
      baselineRssMb,
      peakRssMb,
      maxRssMb: maxRss,
      endRssMb,
      heapUsedMb,
      pollsDuringHold,
      startClaims: Object.fromEntries(
        Object.entries(startWork).map(([kind, stats]) => [kind, stats.claimed]),
      ),
      warnings: bench.warnings(),
    };
  } finally {
    await backend.close();
  }
}
