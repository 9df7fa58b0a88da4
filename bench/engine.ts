import { fork } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CeilingOptions, CeilingResult } from './engine-ceiling.js';
import type { ChildMessage, Phase } from './engine-child.js';
import type { HoldOptions, HoldResult } from './engine-hold.js';
import type { JobQueueConfig, JobQueueOptions, JobQueueResult } from './engine-job-queue.js';
import type { CpuUse } from './engine-machine.js';
import type { ProfileSummary } from './engine-profile.js';
import { perTask, type ThroughputOptions, type ThroughputResult } from './engine-throughput.js';
import { STAGES, TASKS_PER_STAGE, type DagShape } from './engine-workload.js';
import { round } from './measure.js';

/**
 * `npm run bench -- engine`: the engine's durable task throughput and stage-transition overhead
 * on SQLite and PostgreSQL, against a general-purpose PostgreSQL job queue (pg-boss) and the
 * database's own commit rate on the same server, and how much memory 10,000 concurrent active
 * journeys take in one process. Each measurement runs in a child process of its own, so its
 * memory figures are its own. See docs/benchmarks.md, "Engine".
 */

/** The issue's targets. */
const TARGETS = {
  ratioVsJobQueue: 2,
  ratioVsCeiling: 0.4,
  holdJourneys: 10_000,
  holdRssMb: 300,
} as const;

const DEFAULT_JOB_QUEUE = '8x125,2x500,1x1000,8x125+notify,4x250+notify';

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      journeys: { type: 'string', default: '1000' },
      paced: { type: 'string', default: '20' },
      backends: { type: 'string', default: 'sqlite,postgres' },
      'diamond-journeys': { type: 'string', default: '250' },
      'concurrency-sqlite': { type: 'string', default: '64' },
      'concurrency-postgres': { type: 'string', default: '64' },
      pool: { type: 'string', default: '8' },
      'job-queue': { type: 'string', default: DEFAULT_JOB_QUEUE },
      'ceiling-seconds': { type: 'string', default: '3' },
      hold: { type: 'string', default: '10000' },
      'hold-seconds': { type: 'string', default: '5' },
      profile: { type: 'boolean', default: false },
      postgres: { type: 'string', default: 'postgres://127.0.0.1:5432/test' },
      'sqlite-dir': { type: 'string', default: tmpdir() },
    },
  });
  const journeys = Number(values.journeys);
  const pool = Number(values.pool);
  const backends = list(values.backends);
  const diamondJourneys = Number(values['diamond-journeys']);
  const concurrency = {
    sqlite: Number(values['concurrency-sqlite']),
    postgres: Number(values['concurrency-postgres']),
  };
  const common = {
    postgres: values.postgres,
    sqliteDir: values['sqlite-dir'],
    stallMs: 30_000,
  };

  log(
    `engine bench: ${journeys} journeys, each ${STAGES} stages of a ${TASKS_PER_STAGE}-task setup ` +
      `(${STAGES * TASKS_PER_STAGE} tasks) with in-process agents that answer at once; ` +
      `${availableParallelism()} cores, load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')} before the run`,
  );

  log(
    "  transition overhead: from the commit of a stage setup's UnitOfWorkCompleted to the commit of the next " +
      "stage's first TaskExecutionStarted (after production: of JourneyCompleted), by the events' recordedAt; " +
      'agents answer at once, so it is all engine time: queue waits, loads, the gate, commits. "Under load" is ' +
      'measured in the run of all journeys at once, "unloaded" on journeys run one at a time afterwards.',
  );
  const json: Record<string, unknown> = {
    bench: 'engine',
    loadAverage: round(loadavg()[0] ?? 0, 2),
  };
  const runs: Partial<Record<'sqlite' | 'postgres', ThroughputResult>> = {};
  for (const backend of backends) {
    if (backend !== 'sqlite' && backend !== 'postgres') {
      log(`\n${backend}: skipped: unknown backend (sqlite, postgres)`);
      continue;
    }
    const run = (shape: DagShape, count: number): Promise<ThroughputResult> =>
      child<ThroughputResult>('throughput', {
        ...common,
        backend,
        journeys: count,
        paced: Number(values.paced),
        shape,
        concurrency: concurrency[backend],
        poolSize: pool,
        startParallel: 16,
        profile: values.profile,
      } satisfies ThroughputOptions);
    const chain = await run('chain', journeys);
    printThroughput(chain);
    runs[backend] = chain;
    json[backend] = throughputJson(chain);
    if (diamondJourneys > 0) {
      const diamond = await run('diamond', diamondJourneys);
      printThroughput(diamond);
      json[backend] = {
        ...(json[backend] as object),
        diamondTasksPerSec: diamond.tasksPerSec,
        diamondJourneys: diamond.journeys,
      };
    }
  }

  const postgres = runs.postgres;
  if (postgres !== undefined) {
    const jobQueue = await child<JobQueueResult>('job-queue', {
      ...common,
      chains: journeys,
      steps: TASKS_PER_STAGE,
      poolSize: pool,
      configs: parseJobQueueConfigs(values['job-queue']),
    } satisfies JobQueueOptions);
    printJobQueue(jobQueue);
    const ceiling = await child<CeilingResult>('ceiling', {
      postgres: values.postgres,
      writers: pool,
      seconds: Number(values['ceiling-seconds']),
      rounds: 3,
    } satisfies CeilingOptions);
    const ratioVsJobQueue = round(postgres.tasksPerSec / jobQueue.best.tasksPerSec, 2);
    const ratioVsCeiling = round(postgres.tasksPerSec / ceiling.rawCommitsPerSec, 2);
    const notify = jobQueue.bestNotify;
    const ratioVsNotify =
      notify === null ? null : round(postgres.tasksPerSec / notify.tasksPerSec, 2);
    log(
      [
        `\npostgres ceiling: ${ceiling.rawCommitsPerSec} commits/s (one-row UPDATE transactions, ` +
          `${ceiling.writers} connections, ${ceiling.seconds}s in 3 rounds: ${ceiling.perRoundMin}-${ceiling.perRoundMax}; ` +
          `CPU ${describeCpu(ceiling.cpu)})`,
        `  engine vs job queue: ${postgres.tasksPerSec} / ${jobQueue.best.tasksPerSec} = ${ratioVsJobQueue} ` +
          `(target >= ${TARGETS.ratioVsJobQueue}: ${verdict(ratioVsJobQueue >= TARGETS.ratioVsJobQueue)})`,
        ...(notify === null
          ? []
          : [
              `  engine vs job queue with notifyWorker: ${postgres.tasksPerSec} / ${notify.tasksPerSec} = ${ratioVsNotify} ` +
                `(not the baseline: ${round(notify.tasksPerSec / ceiling.rawCommitsPerSec, 2)}x the commit ceiling, ` +
                `three statements per batch of ${notify.batchSize})`,
            ]),
        `  engine vs ceiling: ${postgres.tasksPerSec} / ${ceiling.rawCommitsPerSec} = ${ratioVsCeiling} ` +
          `(target >= ${TARGETS.ratioVsCeiling}: ${verdict(ratioVsCeiling >= TARGETS.ratioVsCeiling)})`,
      ].join('\n'),
    );
    json.postgres = {
      ...(json.postgres as object),
      jobQueueTasksPerSec: jobQueue.best.tasksPerSec,
      ratioVsJobQueue,
      jobQueue: `${jobQueue.library}, ${describeConfig(jobQueue.best)}`,
      ...(notify === null
        ? {}
        : { jobQueueNotifyTasksPerSec: notify.tasksPerSec, ratioVsJobQueueNotify: ratioVsNotify }),
      rawCommitsPerSec: ceiling.rawCommitsPerSec,
      ratioVsCeiling,
      meetsTargets:
        ratioVsJobQueue >= TARGETS.ratioVsJobQueue && ratioVsCeiling >= TARGETS.ratioVsCeiling,
    };
  }

  const holdJourneys = Number(values.hold);
  if (holdJourneys > 0) {
    const hold = await child<HoldResult>('hold', {
      ...common,
      journeys: holdJourneys,
      holdSeconds: Number(values['hold-seconds']),
      concurrency: concurrency.sqlite,
      startParallel: 64,
    } satisfies HoldOptions);
    printHold(hold);
    json.hold = {
      journeys: hold.activeJourneys,
      peakRssMb: hold.maxRssMb,
      sampledPeakRssMb: hold.peakRssMb,
      baselineRssMb: hold.baselineRssMb,
      heapUsedMb: hold.heapUsedMb,
      startSeconds: hold.startSeconds,
      meetsTarget: hold.activeJourneys >= TARGETS.holdJourneys && hold.maxRssMb < TARGETS.holdRssMb,
    };
  }
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

function throughputJson(result: ThroughputResult): Record<string, unknown> {
  return {
    tasksPerSec: result.tasksPerSec,
    transitionOverheadP50Ms: result.loaded.transitions.p50Ms,
    transitionOverheadP99Ms: result.loaded.transitions.p99Ms,
    unloadedTransitionP50Ms: result.unloaded.transitions.p50Ms,
    unloadedTransitionP99Ms: result.unloaded.transitions.p99Ms,
    peakRssMb: result.maxRssMb,
    concurrency: result.concurrency,
    journeys: result.journeys,
    tasks: result.tasks,
    seconds: result.seconds,
    shape: result.shape,
    writesPerTask: perTask(result.probe, result.tasks).writes,
    readsPerTask: perTask(result.probe, result.tasks).reads,
    nodeCpuMsPerTask: result.nodeCpuMsPerTask,
    nodeCpuPct: result.cpu.nodeCorePct,
    otherProcessesCpuPct: result.cpu.otherCorePct,
  };
}

function printThroughput(result: ThroughputResult): void {
  const { loaded, unloaded, probe, cpu } = result;
  const per = perTask(probe, result.tasks);
  const calls = Object.entries(probe.calls)
    .filter(([, stats]) => stats.count >= result.journeys)
    .sort((a, b) => b[1].totalMs - a[1].totalMs)
    .map(
      ([name, stats]) =>
        `${name} ${round(stats.count / result.tasks, 2)}/task x ${round(stats.totalMs / stats.count, 2)} ms`,
    );
  const errors = Object.entries(probe.calls).flatMap(([name, stats]) =>
    Object.entries(stats.errors).map(([error, count]) => `${name}: ${count} ${error}`),
  );
  const kinds = Object.entries(probe.kinds).map(
    ([kind, stats]) =>
      `${kind} x${stats.claimed}: queued ${round(stats.waitMs / Math.max(1, stats.claimed))} ms, ` +
      `handled ${round(stats.handleMs / Math.max(1, stats.finished), 1)} ms (max ${stats.maxHandleMs})`,
  );
  const row = (label: string, text: string): string => `  ${label.padEnd(28)}${text}`;
  log(
    [
      `\n${result.description}; ${result.shape} setups; worker concurrency ${result.concurrency}`,
      row(
        'tasks/s',
        `${result.tasksPerSec} (${result.tasks} tasks in ${result.seconds} s; the ${result.journeys} journeys were started beforehand in ${result.startSeconds} s)`,
      ),
      row(
        'transition overhead',
        `under load: p50 ${loaded.transitions.p50Ms} ms, p99 ${loaded.transitions.p99Ms} ms, max ${loaded.transitions.maxMs} ms ` +
          `(${loaded.transitions.count} transitions; promotions p50 ${loaded.promotions.p50Ms} / completions p50 ${loaded.completions.p50Ms})`,
      ),
      row(
        '',
        `unloaded: p50 ${unloaded.transitions.p50Ms} ms, p99 ${unloaded.transitions.p99Ms} ms, max ${unloaded.transitions.maxMs} ms ` +
          `(${unloaded.journeys} journeys one at a time, ${unloaded.transitions.count} transitions)`,
      ),
      row('peak RSS', `${result.maxRssMb} MB (sampled during the run: ${result.peakRssMb} MB)`),
      row(
        'CPU (100% = one core)',
        `${describeCpu(cpu)}; node ${result.nodeCpuMsPerTask} ms per task`,
      ),
      row(
        'per task',
        `${per.writes} write transactions (${per.commits} commits, ${per.claims} claims of ` +
          `${per.itemsPerClaim} items on average), ${per.reads} reads`,
      ),
      row('store calls', calls.join('; ')),
      ...(errors.length === 0 ? [] : [row('store calls that threw', errors.join('; '))]),
      row('work items', kinds.join('; ')),
      ...(result.warnings > 0
        ? [row('engine warnings', `${result.warnings}, last: ${result.lastWarning ?? ''}`)]
        : []),
      ...(result.profile === null ? [] : profileLines(result.profile)),
    ].join('\n'),
  );
}

function profileLines(profile: ProfileSummary): string[] {
  return [
    `  CPU profile of the run (${profile.sampledMs} ms sampled), self time by area:`,
    ...profile.areas
      .filter((a) => a.pct >= 0.5)
      .map((a) => `    ${`${a.pct}%`.padStart(6)}  ${a.area}`),
    '  top functions (self time):',
    ...profile.functions.map((f) => `    ${`${f.pct}%`.padStart(6)}  ${f.name}`),
  ];
}

function printJobQueue(result: JobQueueResult): void {
  log(
    [
      `\n${result.description}: ${result.chains} chains of ${result.steps} steps, each step's handler enqueues the next`,
      ...result.runs.map(
        (run) =>
          `  ${describeConfig(run)}: ${run.tasksPerSec} tasks/s (${run.seconds} s; CPU ${describeCpu(run.cpu)})`,
      ),
      `  baseline (best batched polling): ${describeConfig(result.best)}: ${result.best.tasksPerSec} tasks/s`,
    ].join('\n'),
  );
}

function printHold(result: HoldResult): void {
  log(
    [
      `\n${result.description}: ${result.journeys} journeys held active, each with a task running at an agent that never finishes it`,
      `  started in ${result.startSeconds} s (until every first task was running); held ${result.holdSeconds} s, ` +
        `${result.pollsDuringHold} task polls meanwhile`,
      `  active journeys ${result.activeJourneys}, running tasks ${result.runningTasks}`,
      `  RSS: ${result.baselineRssMb} MB before, peak ${result.maxRssMb} MB (sampled ${result.peakRssMb} MB), ` +
        `${result.endRssMb} MB at the end; heap after GC ${result.heapUsedMb} MB ` +
        `(target: ${TARGETS.holdJourneys} journeys under ${TARGETS.holdRssMb} MB: ` +
        `${verdict(result.activeJourneys >= TARGETS.holdJourneys && result.maxRssMb < TARGETS.holdRssMb)})`,
    ].join('\n'),
  );
}

/** `<workers>x<batchSize>[@<polling seconds>][+notify]`, comma-separated. */
function parseJobQueueConfigs(text: string): JobQueueConfig[] {
  return list(text).map((spec) => {
    const match = /^(\d+)x(\d+)(?:@([\d.]+))?(\+notify)?$/.exec(spec);
    if (match === null) {
      throw new Error(`--job-queue "${spec}": expected <workers>x<batch>[@<seconds>][+notify]`);
    }
    return {
      workers: Number(match[1]),
      batchSize: Number(match[2]),
      pollingIntervalSeconds: Number(match[3] ?? '0.5'),
      notify: match[4] !== undefined,
    };
  });
}

/** Where the CPU went during a measurement; "other" is noise from the rest of the machine. */
function describeCpu(cpu: CpuUse): string {
  const known = (value: number | null): string => (value === null ? '?' : `${value}%`);
  return (
    `node ${cpu.nodeCorePct}%, postgres ${known(cpu.postgresCorePct)}, other processes ${known(cpu.otherCorePct)} ` +
    `(machine ${known(cpu.machineCorePct)} of ${cpu.cores * 100}%)`
  );
}

function describeConfig(config: JobQueueConfig): string {
  return (
    `${config.workers} worker${config.workers === 1 ? '' : 's'} x batchSize ${config.batchSize}, ` +
    `polling ${config.pollingIntervalSeconds} s` +
    (config.notify ? ', notifyWorker after each enqueue' : '')
  );
}

/** Runs one phase in a child process (engine-child.ts) and resolves with its result. */
function child<T>(phase: Phase, options: object): Promise<T> {
  const script = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
  return new Promise<T>((resolve, reject) => {
    let message: ChildMessage | undefined;
    const worker = fork(script, [phase, JSON.stringify(options)], { stdio: 'inherit' });
    worker.on('message', (received: ChildMessage) => {
      message = received;
    });
    worker.on('error', reject);
    worker.on('exit', (code, signal) => {
      if (message?.ok === true) {
        resolve(message.result as T);
      } else {
        reject(
          new Error(
            `the ${phase} phase failed: ${message?.ok === false ? message.error : `exit ${code ?? signal}`}`,
          ),
        );
      }
    });
  });
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

function log(text: string): void {
  process.stdout.write(`${text}\n`);
}
