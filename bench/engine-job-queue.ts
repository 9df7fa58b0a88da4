import { createRequire } from 'node:module';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { freshSchema } from './engine-backends.js';
import { cpuMark, cpuSince, type CpuUse } from './engine-machine.js';
import { round } from './measure.js';

/**
 * The baseline: the same workload as the engine bench's chain (`chains` chains of `steps` steps,
 * every step waiting for the one before) through pg-boss 10.4, a general-purpose job queue on
 * PostgreSQL, on the same server with the same number of connections. Each job's handler
 * enqueues its chain's next step (one batched insert per fetched batch); pg-boss completes a
 * batch in one statement after its handler resolves.
 *
 * pg-boss workers poll: a worker fetches up to `batchSize` jobs, runs the handler, and fetches
 * again after `pollingIntervalSeconds` (at least 0.5 s) unless the batch took longer. Several
 * configurations are run and the best one is the baseline (`best`), so the job queue is given its
 * best shot at its documented way of working, batched polling. Configurations with `notify` also
 * wake every worker after a handler enqueued (pg-boss's `notifyWorker`), which turns polling into
 * a tight in-process loop of three statements per batch; they are reported apart (`bestNotify`):
 * see docs/benchmarks.md for why that is a different kind of system.
 *
 * Not the same guarantees: the handler's enqueue and pg-boss's completion are two commits, so a
 * crash between them runs a step twice; the engine records a task's end, its journey's state and
 * its dependents' work in one commit.
 */

export interface JobQueueConfig {
  readonly workers: number;
  readonly batchSize: number;
  readonly pollingIntervalSeconds: number;
  readonly notify: boolean;
}

export interface JobQueueOptions {
  readonly postgres: string;
  readonly chains: number;
  readonly steps: number;
  readonly poolSize: number;
  readonly configs: readonly JobQueueConfig[];
  readonly stallMs: number;
}

export interface JobQueueRun extends JobQueueConfig {
  readonly seconds: number;
  readonly tasksPerSec: number;
  readonly cpu: CpuUse;
}

export interface JobQueueResult {
  readonly library: string;
  readonly description: string;
  readonly chains: number;
  readonly steps: number;
  readonly poolSize: number;
  readonly runs: readonly JobQueueRun[];
  /** The fastest batched-polling configuration: the baseline. */
  readonly best: JobQueueRun;
  /** The fastest configuration with notifyWorker, if any ran. */
  readonly bestNotify: JobQueueRun | null;
}

interface StepData {
  readonly chain: number;
  readonly step: number;
}

export async function runJobQueue(options: JobQueueOptions): Promise<JobQueueResult> {
  const fresh = await freshSchema(options.postgres, 'bench_pgboss');
  const errors: Error[] = [];
  const boss = new PgBoss({
    connectionString: fresh.connectionString,
    schema: fresh.schema,
    max: options.poolSize,
    // Only the queue: no maintenance, cron or state monitoring running beside the measurement.
    supervise: false,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error) => errors.push(error));
  const counter = new pg.Client({ connectionString: fresh.connectionString });
  try {
    await boss.start();
    await counter.connect();
    const runs: JobQueueRun[] = [];
    for (const [index, config] of options.configs.entries()) {
      runs.push(await runConfig(boss, counter, fresh.schema, `chain_${index}`, config, options));
      if (errors.length > 0) {
        throw new Error(`pg-boss reported: ${errors.map((e) => e.message).join('; ')}`);
      }
    }
    const fastest = (candidates: JobQueueRun[]): JobQueueRun | null =>
      candidates.reduce<JobQueueRun | null>(
        (a, b) => (a === null || b.tasksPerSec > a.tasksPerSec ? b : a),
        null,
      );
    const best = fastest(runs.filter((run) => !run.notify));
    if (best === null) {
      throw new Error('--job-queue needs at least one configuration without +notify');
    }
    return {
      library: `pg-boss ${packageVersion()}`,
      description: `pg-boss on ${fresh.display} (pool of ${options.poolSize})`,
      chains: options.chains,
      steps: options.steps,
      poolSize: options.poolSize,
      runs,
      best,
      bestNotify: fastest(runs.filter((run) => run.notify)),
    };
  } finally {
    await counter.end().catch(() => undefined);
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await fresh.drop();
  }
}

async function runConfig(
  boss: PgBoss,
  counter: pg.Client,
  schema: string,
  queue: string,
  config: JobQueueConfig,
  options: JobQueueOptions,
): Promise<JobQueueRun> {
  await boss.createQueue(queue);
  const total = options.chains * options.steps;
  await boss.insert(
    Array.from({ length: options.chains }, (_, chain) => ({
      name: queue,
      data: { chain, step: 1 } satisfies StepData,
    })),
  );
  let handled = 0;
  let lastProgress = performance.now();
  const workerIds: string[] = [];
  let allHandled: () => void = () => undefined;
  const handledAll = new Promise<void>((resolve) => {
    allHandled = resolve;
  });
  const handler = async (jobs: PgBoss.Job<StepData>[]): Promise<void> => {
    const next = jobs
      .filter((job) => job.data.step < options.steps)
      .map((job) => ({ name: queue, data: { chain: job.data.chain, step: job.data.step + 1 } }));
    if (next.length > 0) {
      await boss.insert(next);
      if (config.notify) {
        for (const id of workerIds) {
          boss.notifyWorker(id);
        }
      }
    }
    handled += jobs.length;
    lastProgress = performance.now();
    if (handled >= total) {
      allHandled();
    }
  };

  const cpu = cpuMark();
  const started = performance.now();
  for (let worker = 0; worker < config.workers; worker += 1) {
    workerIds.push(
      await boss.work<StepData>(
        queue,
        { batchSize: config.batchSize, pollingIntervalSeconds: config.pollingIntervalSeconds },
        handler,
      ),
    );
  }
  const stalled = setInterval(() => {
    if (performance.now() - lastProgress > options.stallMs) {
      allHandled();
    }
  }, 1000);
  await handledAll;
  clearInterval(stalled);
  if (handled < total) {
    throw new Error(`pg-boss stalled: ${handled} of ${total} jobs handled`);
  }
  // The last batch's completion is pg-boss's next statement: count it in.
  for (;;) {
    const { rows } = await counter.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${schema}".job WHERE name = $1 AND state = 'completed'`,
      [queue],
    );
    if ((rows[0]?.n ?? 0) >= total) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuUse = cpuSince(cpu);
  await boss.offWork(queue);
  return {
    ...config,
    seconds: round(seconds, 2),
    tasksPerSec: round(total / seconds),
    cpu: cpuUse,
  };
}

function packageVersion(): string {
  const manifest = createRequire(import.meta.url)('pg-boss/package.json') as { version: string };
  return manifest.version;
}
