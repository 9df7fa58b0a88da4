import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { stringify } from 'yaml';
import type { ExampleAgents } from '../../examples/agents/index.js';
import { A2AAgentGateway } from '../../src/agents/a2a/index.js';
import { attemptMessageId } from '../../src/application/engine/task-attempt.js';
import { StaticPlaybookCatalog } from '../../src/application/playbook-catalog.js';
import type { JourneyRecord, Store, StoredEvent } from '../../src/application/ports.js';
import { parseDatabaseUrl } from '../../src/config/database-url.js';
import {
  evolveUnitOfWork,
  initialUnitOfWorkState,
  type WorkingStage,
} from '../../src/domain/index.js';
import {
  loadDefaultPlaybook,
  loadPlaybookFileOrThrow,
  toPlaybookDocument,
  type Playbook,
  type StagePlaybook,
} from '../../src/playbook/index.js';
import { Engine } from '../../src/runtime/engine.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { MetricSourceRouter } from '../../src/sources/index.js';
import {
  byStream,
  expectedJourneyRecord,
  expectedUnitRecord,
  readEverything,
  unitEventsOf,
  withoutUpdatedAt,
} from './store-fixtures.js';

/**
 * Helpers for the tests that run the engine the way it is deployed: `journey serve` as a real
 * child process (killed with SIGKILL, restarted, or two of them sharing PostgreSQL), the example
 * A2A agents on loopback in the test process, and the test process driving the orchestrator's
 * use cases on its own store connection. Used by test/crash/engine-crash.test.ts and
 * test/engine/multi-process.test.ts.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A small seeded generator, so a failing run can be replayed from the printed seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `variable` when set (to replay a run), else a new one. */
export function seedFrom(variable: string): number {
  const given = process.env[variable];
  return given === undefined || given === '' ? Date.now() % 1_000_000 : Number(given);
}

// ---------------------------------------------------------------------------------------------
// The playbook both sides load

/**
 * Writes the default playbook with its agents at the example agents' URLs (same name and
 * version, so it replaces the shipped one in `serve`), optionally without the sandbox's
 * approval criterion, and returns the file and the playbook as loaded back from it.
 *
 * `recheckInterval` replaces every stage's (5 min): a gate whose reading was inconclusive (an
 * agent slow to answer on a loaded CI machine) is judged again within the test's time, not
 * after it. Such evaluations are reported by `unpassedEvaluations`.
 */
export async function writeServePlaybook(
  directory: string,
  urls: ExampleAgents['urls'],
  options: { readonly approval: 'keep' | 'drop'; readonly recheckInterval: number },
): Promise<{ readonly path: string; readonly playbook: Playbook }> {
  const shipped = await loadDefaultPlaybook();
  const stage = (name: WorkingStage): StagePlaybook => {
    const { exitCriteria } = shipped.stages[name];
    return {
      ...shipped.stages[name],
      recheckInterval: options.recheckInterval,
      exitCriteria:
        name === 'sandbox' && options.approval === 'drop'
          ? exitCriteria.filter((criterion) => criterion.kind !== 'approval')
          : exitCriteria,
    };
  };
  const playbook: Playbook = {
    ...shipped,
    agents: Object.fromEntries(
      Object.entries(shipped.agents).map(([id, agent]) => {
        const url = (urls as Readonly<Record<string, string>>)[id];
        if (url === undefined) {
          throw new Error(`no example agent "${id}" for the playbook's agents`);
        }
        return [id, { ...agent, url }];
      }),
    ),
    stages: { sandbox: stage('sandbox'), pilot: stage('pilot'), production: stage('production') },
  };
  const path = join(directory, `playbook-${randomUUID().slice(0, 8)}.yaml`);
  await writeFile(path, stringify(toPlaybookDocument(playbook)));
  return { path, playbook: await loadPlaybookFileOrThrow(path) };
}

/** Every (agent, intent) of the playbook's setup and rollback tasks. */
export function taskIntents(playbook: Playbook): { agentId: string; intent: string }[] {
  const seen = new Map<string, { agentId: string; intent: string }>();
  for (const stage of Object.values(playbook.stages)) {
    for (const task of [...stage.setup.tasks, ...stage.rollback.tasks]) {
      const agentId = task.agentId ?? '';
      seen.set(`${agentId}/${task.intent}`, { agentId, intent: task.intent });
    }
  }
  return [...seen.values()];
}

/** Tasks per journey that runs sandbox -> completed without a rollback. */
export function setupTaskCount(playbook: Playbook): number {
  return Object.values(playbook.stages).reduce((sum, stage) => sum + stage.setup.tasks.length, 0);
}

// ---------------------------------------------------------------------------------------------
// The test process's side: use cases on its own store connection, no worker

export interface Driver {
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * An Engine in the test process, for its orchestrator's use cases only: its worker is never
 * started, so every reaction and task attempt is left to the `serve` processes.
 */
export function testDriver(store: Store, playbook: Playbook): Driver {
  const agents = new A2AAgentGateway(
    Object.fromEntries(Object.entries(playbook.agents).map(([id, a]) => [id, { url: a.url }])),
  );
  const engine = new Engine({
    store,
    clock: systemClock,
    ids: { next: randomUUID },
    agents,
    metrics: new MetricSourceRouter({ clock: systemClock, agents }),
    playbooks: new StaticPlaybookCatalog([playbook]),
  });
  return { engine, close: () => agents.close() };
}

// ---------------------------------------------------------------------------------------------
// `journey serve` as a child process

interface LogLine {
  readonly level?: number;
  readonly msg?: string;
  readonly owner?: string;
  readonly [field: string]: unknown;
}

export class ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The worker owner it logged once running (`host:pid:id`). */
  owner: string | undefined;
  /** The HTTP API's address it logged once running. */
  api: string | undefined;
  readonly startedAt = Date.now();
  readyAt: number | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Warnings and errors it logged (level >= 40), and anything on stderr. */
  readonly problems: string[] = [];
  #stdout = '';
  #stderr = '';
  #ready: Promise<void>;

  constructor(
    readonly name: string,
    args: readonly string[],
  ) {
    this.child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'serve',
        ...args,
        '--port',
        '0',
        '--log-level',
        'info',
      ],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let becameReady: () => void = () => undefined;
    this.#ready = new Promise<void>((resolve, reject) => {
      becameReady = resolve;
      void this.exited.then(({ code, signal }) =>
        reject(
          new Error(
            `${name} exited before it was running (code ${code}, signal ${signal}):\n${this.tail()}`,
          ),
        ),
      );
    });
    // Rejections after readiness are expected (the process is killed): keep them quiet.
    this.#ready.catch(() => undefined);
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.#stdout += chunk.toString();
      let newline: number;
      while ((newline = this.#stdout.indexOf('\n')) >= 0) {
        const text = this.#stdout.slice(0, newline);
        this.#stdout = this.#stdout.slice(newline + 1);
        const line = parseLine(text);
        if (line.msg === 'journey serve: engine running') {
          this.owner = typeof line.owner === 'string' ? line.owner : undefined;
          this.api = typeof line.api === 'string' ? line.api : undefined;
          this.readyAt = Date.now();
          becameReady();
        } else if ((line.level ?? 0) >= 40) {
          this.problems.push(text);
        }
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
  }

  /** Spawns `journey serve --db <url> --playbook <file> --concurrency <n>` from the repository. */
  static start(
    name: string,
    options: { readonly url: string; readonly playbook: string; readonly concurrency: number },
  ): ServeProcess {
    return new ServeProcess(name, [
      '--db',
      options.url,
      '--playbook',
      options.playbook,
      '--concurrency',
      String(options.concurrency),
    ]);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /**
   * Resolves once it logged that its engine runs; rejects if it exits first. Generous: tsx
   * compiles the whole service at each start, which takes many seconds on a loaded machine.
   */
  ready(timeoutMs = 60_000): Promise<void> {
    return withTimeout(
      this.#ready,
      timeoutMs,
      () => `${this.name} not running after ${timeoutMs} ms:\n${this.tail()}`,
    );
  }

  /** SIGKILL, and wait until it is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  /** SIGTERM (a graceful stop); resolves with how it ended. */
  async stop(timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill('SIGTERM');
    return withTimeout(this.exited, timeoutMs, () => `${this.name} did not stop on SIGTERM`);
  }

  /** Its last log lines and stderr, for a failure message. */
  tail(lines = 15): string {
    const stderr = this.#stderr.split('\n').filter((l) => l.trim() !== '');
    const all = [
      ...this.problems.slice(-lines).map((l) => `  ${l}`),
      ...stderr.slice(-lines).map((l) => `  stderr: ${l}`),
    ];
    return all.length === 0 ? '  (none)' : all.join('\n');
  }
}

/**
 * The `serve` processes of one test, so that a failing test kills what it left running (its
 * own only: the tests of a file may run concurrently).
 */
export class ServeProcesses {
  readonly #all: ServeProcess[] = [];

  start(
    name: string,
    options: { readonly url: string; readonly playbook: string; readonly concurrency: number },
  ): ServeProcess {
    const serve = ServeProcess.start(name, options);
    this.#all.push(serve);
    return serve;
  }

  /** How long each took from spawn to running, in ms. */
  startupTimes(): number[] {
    return this.#all.flatMap((p) => (p.readyAt === undefined ? [] : [p.readyAt - p.startedAt]));
  }

  /** SIGKILLs every one still running. */
  async killAll(): Promise<void> {
    await Promise.all(this.#all.map((p) => p.kill()));
  }
}

function parseLine(text: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as LogLine) : {};
  } catch {
    return { level: 50, msg: text };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, why: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(why())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `ENGINE_TEST_REAL_LEASES=1`: the tests wait for a killed process's leases to expire (30 s)
 * instead of ending them with expireLeasesOf.
 */
export const REAL_LEASES = /^(1|true|yes)$/i.test(process.env.ENGINE_TEST_REAL_LEASES ?? '');

/**
 * Ends the leases of a `serve` that is known dead (killed, and its exit seen) as their expiry
 * would, `leaseFor` (30 s) later: its items become claimable now, exactly as an expired lease
 * leaves them (owner kept, `available_at` passed; the next claim counts one more attempt). The
 * engine reads the wall clock, so a test cannot move time for it; this is the one place the
 * tests write the queue table behind the store's back. Returns how many items it freed.
 */
export async function expireLeasesOf(url: string, owner: string): Promise<number> {
  const target = parseDatabaseUrl(url);
  const now = new Date().toISOString();
  if (target.backend === 'sqlite') {
    const db = new Database(target.path);
    try {
      db.pragma('busy_timeout = 5000');
      return db
        .prepare(
          'UPDATE work_items SET available_at = ?, lease_expires_at = ? WHERE lease_owner = ? AND lease_expires_at > ?',
        )
        .run(now, now, owner, now).changes;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    const result = await client.query(
      `UPDATE "${target.schema}".work_items SET available_at = $1, lease_expires_at = $1
        WHERE lease_owner = $2 AND lease_expires_at > $1`,
      [now, owner],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * Who holds work items right now, read from PostgreSQL's queue table (read only): lets a test
 * show that several `serve` processes really shared the work. PostgreSQL only.
 */
export class LeaseWatcher {
  /** Per owner: how many samples saw it hold at least one item, and the most it held at once. */
  readonly seen = new Map<string, { samples: number; most: number }>();

  private constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
  ) {}

  static async open(url: string): Promise<LeaseWatcher> {
    const target = parseDatabaseUrl(url);
    if (target.backend !== 'postgres') {
      throw new Error('LeaseWatcher reads PostgreSQL only');
    }
    const client = new pg.Client({ connectionString: target.connectionString });
    await client.connect();
    return new LeaseWatcher(client, target.schema);
  }

  /** Takes one sample: the live leases per owner. */
  async sample(): Promise<void> {
    const { rows } = await this.client.query<{ owner: string; held: string }>(
      `SELECT lease_owner AS owner, count(*) AS held FROM "${this.schema}".work_items
        WHERE lease_owner IS NOT NULL AND lease_expires_at > now() GROUP BY lease_owner`,
    );
    for (const { owner, held } of rows) {
      const entry = this.seen.get(owner) ?? { samples: 0, most: 0 };
      entry.samples += 1;
      entry.most = Math.max(entry.most, Number(held));
      this.seen.set(owner, entry);
    }
  }

  /** How many live leases `owner` holds now. */
  async heldBy(owner: string): Promise<number> {
    const { rows } = await this.client.query<{ held: string }>(
      `SELECT count(*) AS held FROM "${this.schema}".work_items
        WHERE lease_owner = $1 AND lease_expires_at > now()`,
      [owner],
    );
    return Number(rows[0]?.held ?? 0);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Waiting and diagnosing

/**
 * Polls `check` every `everyMs` until it returns true; after `timeoutMs` throws an error whose
 * message is `explain()` (what is stuck and why), so a stall reads as a diagnosis.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: {
    readonly timeoutMs: number;
    readonly everyMs?: number;
    readonly explain: () => Promise<string>;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) {
      return;
    }
    if (Date.now() >= deadline) {
      throw new Error(`not reached within ${options.timeoutMs} ms:\n${await options.explain()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
  }
}

/** Every journey of the store (read model), by id. */
export async function allJourneys(store: Store): Promise<Map<string, JourneyRecord>> {
  const journeys = new Map<string, JourneyRecord>();
  let cursor: string | null = null;
  do {
    const page = await store.listJourneys({ limit: 500, cursor });
    for (const record of page.items) {
      journeys.set(record.journeyId, record);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return journeys;
}

/**
 * Whether every journey of `journeyIds` completed, cheaply: while any journey of the store is
 * active, no (one row read); then all of the store's journeys are read once.
 */
export async function allCompleted(store: Store, journeyIds: readonly string[]): Promise<boolean> {
  const active = await store.listJourneys({ active: true, limit: 1 });
  if (active.items.length > 0) {
    return false;
  }
  const journeys = await allJourneys(store);
  return journeyIds.every((id) => journeys.get(id)?.stage === 'completed');
}

/** How many of `journeyIds` are in each stage, e.g. `completed: 18, pilot: 2`. */
export async function stageCounts(store: Store, journeyIds: readonly string[]): Promise<string> {
  const journeys = await allJourneys(store);
  const counts = new Map<string, number>();
  for (const id of journeyIds) {
    const stage = journeys.get(id)?.stage ?? 'missing';
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
  }
  return [...counts].map(([stage, n]) => `${stage}: ${n}`).join(', ');
}

/**
 * The journeys of `journeyIds` not in `stage`, each with its current unit's tasks and the last
 * events of both streams: what a reader needs to see where it stopped.
 */
export async function describeStuck(
  store: Store,
  journeyIds: readonly string[],
  stage = 'completed',
  limit = 5,
): Promise<string> {
  const journeys = await allJourneys(store);
  const stuck = journeyIds.filter((id) => journeys.get(id)?.stage !== stage);
  const lines = [
    `${stuck.length} of ${journeyIds.length} journeys not ${stage} (${await stageCounts(store, journeyIds)}); ` +
      `queued items: ${await store.countQueued()}, next due: ${(await store.nextDueAt()) ?? 'none'}`,
  ];
  for (const journeyId of stuck.slice(0, limit)) {
    const record = journeys.get(journeyId);
    if (record === undefined) {
      lines.push(`- ${journeyId}: no read model`);
      continue;
    }
    const { state } = record;
    const workId =
      state.stage === 'rollback'
        ? state.rollback?.workId
        : state.stage === 'sandbox' || state.stage === 'pilot' || state.stage === 'production'
          ? state.setups[state.stage]?.workId
          : undefined;
    lines.push(`- ${record.clientId} (${journeyId}): ${record.stage}, ${record.status}`);
    const journeyEvents = await store.readStream(journeyId);
    lines.push(`  journey events: ${lastEvents(journeyEvents)}`);
    const evaluation = journeyEvents.findLast((e) => e.type === 'ExitCriteriaEvaluated')?.event;
    if (evaluation?.type === 'ExitCriteriaEvaluated') {
      const unmet = evaluation.evaluation.results.filter((r) => r.outcome !== 'passed');
      lines.push(
        `  last evaluation (${evaluation.stage}, ${evaluation.trigger}, ${evaluation.at}): ${
          unmet.length === 0
            ? 'all passed'
            : unmet
                .map(
                  (r) =>
                    `${r.criterionId}=${r.outcome} (${r.reason}${r.error === undefined ? '' : `: ${r.error}`})`,
                )
                .join('; ')
        }`,
      );
    }
    if (workId !== undefined) {
      const unit = await store.findUnitOfWork(workId);
      lines.push(
        `  unit ${workId}: ${unit?.status ?? 'missing'}; tasks ${
          unit?.state.tasks
            .map((t) => `${t.taskId}=${t.execution.status}#${t.attempts}`)
            .join(' ') ?? '-'
        }`,
      );
      lines.push(`  unit events: ${lastEvents(await store.readStream(workId))}`);
    }
  }
  return lines.join('\n');
}

function lastEvents(events: readonly StoredEvent[], n = 6): string {
  return events
    .slice(-n)
    .map((e) => `${e.version}:${e.type}@${e.occurredAt.slice(11, 23)}`)
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// Checking the store after the run

/** The store's whole history: every stream's events in order, by stream id. */
export type History = ReadonlyMap<string, readonly StoredEvent[]>;

export async function readHistory(store: Store): Promise<History> {
  return byStream(await readEverything(store, 1000));
}

/**
 * Problems with the store's consistency: every stream numbered 1..n, and every journey and unit
 * read model equal to the fold of its events. Empty when whole.
 */
export async function readModelProblems(store: Store, history: History): Promise<string[]> {
  const problems: string[] = [];
  const check = async (streamId: string, stream: readonly StoredEvent[]): Promise<void> => {
    const versions = stream.map((e) => e.version);
    if (versions.some((v, i) => v !== i + 1)) {
      problems.push(`${streamId}: versions ${versions.join(',')}`);
    }
    if (stream[0]?.streamType === 'journey') {
      const actual = withoutUpdatedAt(await store.findJourney(streamId));
      if (!sameJson(actual, expectedJourneyRecord(stream))) {
        problems.push(`journey ${streamId}: read model differs from the fold of its events`);
      }
    } else {
      const actual = withoutUpdatedAt(await store.findUnitOfWork(streamId));
      if (!sameJson(actual, expectedUnitRecord(stream))) {
        problems.push(`unit ${streamId}: read model differs from the fold of its events`);
      }
    }
  };
  const streams = [...history];
  for (let from = 0; from < streams.length; from += 20) {
    await Promise.all(streams.slice(from, from + 20).map(([id, stream]) => check(id, stream)));
  }
  return problems;
}

/** Equal as JSON documents (key order aside: PostgreSQL's jsonb does not keep it). */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** Gate evaluations that did not pass, each as `stage: criterion=outcome (why)`. */
export function unpassedEvaluations(history: History): string[] {
  const found: string[] = [];
  for (const stream of history.values()) {
    for (const { event } of stream) {
      if (event.type === 'ExitCriteriaEvaluated' && !event.evaluation.allPassed) {
        const unmet = event.evaluation.results.filter((r) => r.outcome !== 'passed');
        found.push(
          `${event.stage}: ${unmet.map((r) => `${r.criterionId}=${r.outcome} (${r.reason})`).join(', ')}`,
        );
      }
    }
  }
  return found;
}

/** `workId|taskId|attempt`: one task attempt. */
export type AttemptKey = string;
export const attemptKey = (workId: string, taskId: string, attempt: number): AttemptKey =>
  `${workId}|${taskId}|${attempt}`;

/** The task attempts the history records as started (TaskExecutionStarted), and as ended. */
export function recordedAttempts(history: History): {
  started: Set<AttemptKey>;
  ended: Set<AttemptKey>;
} {
  const started = new Set<AttemptKey>();
  const ended = new Set<AttemptKey>();
  for (const [workId, stream] of history) {
    for (const event of unitEventsOf(stream)) {
      if (event.type === 'TaskExecutionStarted') {
        started.add(attemptKey(workId, event.taskId, event.attempt));
      } else if (event.type === 'TaskExecutionCompleted' || event.type === 'TaskExecutionFailed') {
        ended.add(attemptKey(workId, event.taskId, event.attempt));
      }
    }
  }
  return { started, ended };
}

/** The task messages the agents received (metric readings left out), by attempt. */
export function messagesByAttempt(
  agents: ExampleAgents,
): Map<AttemptKey, { messageIds: string[]; workId: string; taskId: string; attempt: number }> {
  const byAttempt = new Map<
    AttemptKey,
    { messageIds: string[]; workId: string; taskId: string; attempt: number }
  >();
  for (const message of agents.counters.messages()) {
    const { workId, taskId, attempt } = message;
    // Exit-criterion readings are asked with workId `criterion:...`: not task attempts.
    if (workId === undefined || taskId === undefined || attempt === undefined) {
      continue;
    }
    if (workId.startsWith('criterion:')) {
      continue;
    }
    const key = attemptKey(workId, taskId, attempt);
    const entry = byAttempt.get(key) ?? { messageIds: [], workId, taskId, attempt };
    entry.messageIds.push(message.messageId);
    byAttempt.set(key, entry);
  }
  return byAttempt;
}

/**
 * Problems with the attempts the agents received against what the store recorded: per task,
 * attempts numbered 1..n with no gap (n = the task's attempts in the fold of its unit's events),
 * every attempt sent with its deterministic message id and no message id used for two attempts,
 * and every attempt the store started received by an agent. Empty when all is well.
 */
export function attemptProblems(history: History, agents: ExampleAgents): string[] {
  const problems: string[] = [];
  const received = messagesByAttempt(agents);
  const owners = new Map<string, AttemptKey>();
  const byTask = new Map<string, number[]>();
  for (const [key, { messageIds, workId, taskId, attempt }] of received) {
    const expected = attemptMessageId(workId, taskId, attempt);
    for (const id of new Set(messageIds)) {
      if (id !== expected) {
        problems.push(`${key}: message id ${id}, expected the deterministic ${expected}`);
      }
      const other = owners.get(id);
      if (other !== undefined && other !== key) {
        problems.push(`message id ${id} used for ${other} and ${key}`);
      }
      owners.set(id, key);
    }
    const task = `${workId}|${taskId}`;
    byTask.set(task, [...(byTask.get(task) ?? []), attempt]);
  }
  for (const [task, attempts] of byTask) {
    const sorted = [...attempts].sort((a, b) => a - b);
    if (sorted.some((a, i) => a !== i + 1)) {
      problems.push(`${task}: attempts received ${sorted.join(',')} (a gap)`);
    }
    const [workId = '', taskId = ''] = task.split('|');
    const unit = unitEventsOf(history.get(workId) ?? []).reduce(
      evolveUnitOfWork,
      initialUnitOfWorkState,
    );
    const recorded =
      unit.status === 'none' ? undefined : unit.tasks.find((t) => t.taskId === taskId)?.attempts;
    if (recorded !== sorted.length) {
      problems.push(
        `${task}: agents received attempts 1..${sorted.length}, the store has ${recorded}`,
      );
    }
  }
  for (const key of recordedAttempts(history).started) {
    if (!received.has(key)) {
      problems.push(`${key}: started in the store, never received by an agent`);
    }
  }
  return problems;
}

/** How many attempts were received once, twice...: `{1: 240}` when nothing was re-sent. */
export function sendHistogram(agents: ExampleAgents): Record<number, number> {
  const histogram: Record<number, number> = {};
  for (const { messageIds } of messagesByAttempt(agents).values()) {
    histogram[messageIds.length] = (histogram[messageIds.length] ?? 0) + 1;
  }
  return histogram;
}

/**
 * The queue after the run: claims everything (as an inspector, far in the future) and returns
 * what is left that is not a timer due later (a deadline or a re-check). Call it with no engine
 * running: it takes the items.
 */
const TIMER_KINDS: ReadonlySet<string> = new Set([
  'deadline',
  'recheck',
  'approval_reminder',
  'inconclusive_deadline',
]);

export async function leftoverWork(
  store: Store,
): Promise<{ timers: number; unexpected: string[] }> {
  const now = Date.now();
  const far = new Date(now + 3650 * 24 * 60 * 60_000).toISOString();
  const items = await store.claim({
    owner: 'inspector',
    limit: 100_000,
    leaseFor: 60_000,
    now: far,
  });
  const unexpected: string[] = [];
  let timers = 0;
  for (const item of items) {
    const isTimer = TIMER_KINDS.has(item.kind);
    if (isTimer && Date.parse(item.dueAt) > now) {
      timers += 1;
    } else {
      unexpected.push(
        `${item.kind} ${item.key ?? item.id} due ${item.dueAt} (attempts ${item.attempts})`,
      );
    }
  }
  return { timers, unexpected };
}
