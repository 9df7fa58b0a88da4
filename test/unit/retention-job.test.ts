import { describe, expect, it } from 'vitest';
import type { PruneReport } from '../../src/application/ports.js';
import { DAY } from '../../src/domain/time.js';
import { startRetentionJob, TWO_YEARS, type Timers } from '../../src/runtime/retention-job.js';
import { StepClock } from '../support/clock.js';

/** Timers the test fires by hand. */
function manualTimers() {
  const callbacks = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setInterval: (callback) => {
      callbacks.set(++next, callback);
      return next;
    },
    clearInterval: (handle) => callbacks.delete(handle as number),
  };
  return {
    timers,
    tick: () => callbacks.forEach((callback) => callback()),
    count: () => callbacks.size,
  };
}

const report = (cutoff: string): PruneReport => ({
  cutoff,
  journeys: 0,
  unitsOfWork: 0,
  events: 0,
  workItems: 0,
  journeyIds: [],
});

describe('the periodic retention job', () => {
  it('prunes on every tick with the cutoff "now minus the retention period"', async () => {
    const clock = new StepClock('2026-11-28T00:00:00.000Z');
    const cutoffs: string[] = [];
    const { timers, tick } = manualTimers();
    const reports: PruneReport[] = [];
    const job = startRetentionJob({
      store: { prune: (cutoff) => (cutoffs.push(cutoff), Promise.resolve(report(cutoff))) },
      clock,
      retention: TWO_YEARS,
      every: DAY,
      timers,
      onReport: (r) => reports.push(r),
    });
    tick();
    await job.runNow();
    clock.advance(DAY);
    tick();
    await job.stop();
    expect(cutoffs).toEqual(['2024-11-28T00:00:00.000Z', '2024-11-29T00:00:00.000Z']);
    expect(reports).toHaveLength(2);
  });

  it('runs one prune at a time, keeps its schedule after a failure, and stops cleanly', async () => {
    const clock = new StepClock('2026-11-28T00:00:00.000Z');
    const { timers, tick, count } = manualTimers();
    let calls = 0;
    let release: () => void = () => undefined;
    const errors: string[] = [];
    const job = startRetentionJob({
      store: {
        prune: () => {
          calls += 1;
          return calls === 1
            ? new Promise((_, reject) => (release = () => reject(new Error('database went away'))))
            : Promise.resolve(report(''));
        },
      },
      clock,
      retention: TWO_YEARS,
      every: DAY,
      timers,
      onError: (error) => errors.push(error.message),
    });
    tick();
    tick(); // still running: skipped
    expect(calls).toBe(1);
    release();
    await job.runNow(); // joins the run in progress, which fails
    expect(errors).toEqual(['database went away']);
    expect(calls).toBe(1);
    await job.runNow(); // the schedule goes on: a new run
    expect(calls).toBe(2);
    await job.stop();
    expect(count()).toBe(0);
  });
});
