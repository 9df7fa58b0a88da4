import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How many operations ran in how long. */
export interface Sample {
  readonly operations: number;
  readonly seconds: number;
}

export const rate = (sample: Sample): number =>
  sample.seconds === 0 ? 0 : sample.operations / sample.seconds;

/** Adds up samples of one measurement taken in several interleaved rounds. */
export function total(samples: readonly Sample[]): Sample {
  return {
    operations: samples.reduce((sum, sample) => sum + sample.operations, 0),
    seconds: samples.reduce((sum, sample) => sum + sample.seconds, 0),
  };
}

/** The lowest and highest per-round rates: how noisy a figure is. */
export function spread(samples: readonly Sample[]): { min: number; max: number } {
  const rates = samples.map(rate);
  return { min: Math.min(...rates), max: Math.max(...rates) };
}

/**
 * Runs `writers` concurrent loops of `operation` until `millis` have passed; each loop waits for
 * its operation before starting the next, so `writers` is the concurrency.
 */
export async function runFor(
  millis: number,
  writers: number,
  operation: (writer: number) => Promise<void>,
): Promise<Sample> {
  const started = performance.now();
  const deadline = started + millis;
  let operations = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (performance.now() < deadline) {
        await operation(writer);
        operations += 1;
      }
    }),
  );
  return { operations, seconds: (performance.now() - started) / 1000 };
}

let collect: (() => void) | undefined;

/** A full garbage collection, so memory deltas measure what is retained. */
export function collectGarbage(): void {
  if (collect === undefined) {
    // Why: the bench runs under tsx, where passing --expose-gc to node is awkward.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

export const megabytes = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
export const round = (value: number, digits = 0): number => Number(value.toFixed(digits));
