import { afterEach, describe, expect, it, vi } from 'vitest';
import { reconnectDelay } from '../../src/web/live/backoff.js';
import { coalesced } from '../../src/web/live/coalesced.js';
import { parseLiveEvent } from '../../src/web/live/live-event.js';
import { counted, formatDuration, formatPercent } from '../../src/web/model/format.js';

describe('parseLiveEvent', () => {
  it('reads the domain event type, client, journey and unit from a CloudEvent', () => {
    const data = JSON.stringify({
      specversion: '1.0',
      type: 'journey-orchestrator.TaskExecutionStarted.v1',
      subject: 'acme',
      journeyid: 'j-1',
      data: { type: 'TaskExecutionStarted', workId: 'w-1', taskId: 't' },
    });
    expect(parseLiveEvent(data)).toEqual({
      eventType: 'TaskExecutionStarted',
      clientId: 'acme',
      journeyId: 'j-1',
      workId: 'w-1',
    });
  });

  it('ignores what is not such an event', () => {
    for (const data of ['', 'not json', '[]', '{"type":"other.Thing.v1"}', '{}', 'null']) {
      expect(parseLiveEvent(data)).toBeNull();
    }
  });
});

describe('reconnectDelay', () => {
  it('doubles up to the cap, with up to a fifth taken off at random', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => reconnectDelay(n, 1_000, 15_000, () => 0))).toEqual([
      1_000, 2_000, 4_000, 8_000, 15_000, 15_000,
    ]);
    expect(reconnectDelay(2, 1_000, 15_000, () => 1)).toBe(1_600);
  });
});

describe('coalesced', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once for a burst, once more for requests during a run, never closer than the interval', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let finish: () => void = () => undefined;
    const task = coalesced(
      () =>
        new Promise<void>((resolve) => {
          runs += 1;
          finish = resolve;
        }),
      1_000,
      () => undefined,
    );
    task.request();
    task.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    task.request();
    task.request();
    finish();
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    finish();
    task.stop();
    task.request();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(2);
  });

  it('reports a failed run and keeps running later ones', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    const task = coalesced(
      () => {
        runs += 1;
        return Promise.reject(new Error(`run ${runs}`));
      },
      0,
      (error) => errors.push(error),
    );
    task.request();
    await vi.advanceTimersByTimeAsync(0);
    task.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map((e) => (e as Error).message)).toEqual(['run 1', 'run 2']);
  });
});

describe('format', () => {
  it('shows durations by their two largest units and rates as percentages', () => {
    expect([0, 9_400, 252_000, 7_500_000, 277_200_000].map(formatDuration)).toEqual([
      '0s',
      '9s',
      '4m 12s',
      '2h 5m',
      '3d 5h',
    ]);
    expect(formatDuration(3_600_000)).toBe('1h');
    expect([null, 0, 0.0425, 1].map(formatPercent)).toEqual(['–', '0 %', '4.3 %', '100 %']);
    expect([0, 1, 2].map((n) => counted(n, 'rollback'))).toEqual([
      '0 rollbacks',
      '1 rollback',
      '2 rollbacks',
    ]);
  });
});
