import { spawn } from 'node:child_process';
import { setTimeout as pause } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/application/ports.js';
import { DAY } from '../../src/domain/time.js';
import { forEachBackend } from '../support/backends.js';
import {
  byStream,
  expectedJourneyRecord,
  expectedUnitRecord,
  readEverything,
  unitEventsOf,
  withoutUpdatedAt,
} from '../support/store-fixtures.js';
import type { Ack } from './writer.js';

const KILLS = 12;

/** A small seeded generator, so a failing run can be replayed from the printed seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs test/crash/writer.ts until it has acknowledged something, then SIGKILLs it after
 * `delayMs` of real time (a real process has to die: this is the one place that waits).
 * Returns the commits it acknowledged: only whole lines count.
 */
async function runAndKill(url: string, tag: string, delayMs: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/crash/writer.ts', url, tag], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let firstAck: () => void = () => undefined;
  const acked = new Promise<void>((resolve) => (firstAck = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('"ack"')) {
      firstAck();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await Promise.race([acked, exited]);
  await Promise.race([pause(delayMs), exited]);
  child.kill('SIGKILL');
  const { code, signal } = await exited;
  if (signal !== 'SIGKILL') {
    throw new Error(`writer ${tag} died by itself (code ${code}): ${stderr}`);
  }
  const whole = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  return whole
    .split('\n')
    .filter((line) => line.includes('"ack"'))
    .map((line) => JSON.parse(line) as Ack);
}

forEachBackend((backend) => {
  describe('a writer killed with SIGKILL again and again', () => {
    it('loses no acknowledged commit, leaves streams and read models whole, and loses no work', async () => {
      const { url } = await backend.freshDatabase();
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
      const next = random(seed);
      const acks: Ack[] = [];
      for (let run = 0; run < KILLS; run++) {
        acks.push(...(await runAndKill(url, `r${run}`, Math.floor(next() * 400))));
      }
      const context = `seed ${seed} (CRASH_SEED=${seed} replays the kill times), ${backend.name} ${url}`;

      const store = await backend.open({}, url);
      const events = await readEverything(store, 500);
      const byId = new Map<string, StoredEvent>(events.map((e) => [e.eventId, e]));
      expect(byId.size, context).toBe(events.length);

      // Every acknowledged commit is there, whole.
      const starts = acks.filter((a) => a.ack === 'start');
      const completions = acks.filter((a) => a.ack === 'complete');
      expect(starts.length, context).toBeGreaterThan(KILLS);
      expect(completions.length, context).toBeGreaterThan(0);
      for (const ack of acks) {
        for (const eventId of ack.eventIds) {
          expect(byId.has(eventId), `${context}: acknowledged event ${eventId}`).toBe(true);
        }
        for (const [streamId, version] of Object.entries(ack.streams)) {
          const stream = await store.readStream(streamId);
          expect(stream.length, context).toBeGreaterThanOrEqual(version);
        }
      }

      // Every stream folds cleanly from version 1, and its read model is that fold.
      for (const [streamId, stream] of byStream(events)) {
        expect(
          stream.map((e) => e.version),
          `${context}: ${streamId}`,
        ).toEqual(stream.map((_, i) => i + 1));
        expect(await store.readStream(streamId)).toEqual(stream);
        if (stream[0]!.streamType === 'journey') {
          expect(withoutUpdatedAt(await store.findJourney(streamId)), context).toEqual(
            expectedJourneyRecord(stream),
          );
        } else {
          expect(withoutUpdatedAt(await store.findUnitOfWork(streamId)), context).toEqual(
            expectedUnitRecord(stream),
          );
        }
      }

      // No queued work is lost: each item an acknowledged commit queued is still queued, or was
      // completed by a commit that also recorded its task's result (acknowledged or not).
      const far = new Date(Date.now() + 3650 * DAY).toISOString();
      const queued = (
        await store.claim({ owner: 'inspector', limit: 100_000, leaseFor: DAY, now: far })
      ).map((item) => item.key ?? item.id);
      expect(new Set(queued).size, context).toBe(queued.length);
      const streams = byStream(events);
      const taskDone = (key: string): boolean => {
        const [, workId, taskId] = key.split(':');
        const stream = streams.get(workId ?? '') ?? [];
        return unitEventsOf(stream).some(
          (e) => e.type === 'TaskExecutionCompleted' && e.taskId === taskId,
        );
      };
      const completedKeys = new Set(completions.map((a) => a.completed));
      const queuedKeys = new Set(queued);
      for (const key of starts.flatMap((a) => a.enqueued ?? [])) {
        if (queuedKeys.has(key)) {
          expect(completedKeys.has(key), `${context}: ${key} completed yet queued`).toBe(false);
          expect(taskDone(key), `${context}: ${key} has a result yet is queued`).toBe(false);
        } else {
          expect(taskDone(key), `${context}: ${key} vanished without its result`).toBe(true);
        }
      }
    }, 90_000);
  });
});
