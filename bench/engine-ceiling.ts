import { freshSchema } from './engine-backends.js';
import { cpuMark, cpuSince, type CpuUse } from './engine-machine.js';
import { rate, round, spread, total, type Sample } from './measure.js';
import { postgresRawCommits } from './raw-commits.js';

/**
 * The database's own commit rate on the same server: one-row UPDATE transactions from
 * `writers` connections, each on its own row (bench/raw-commits.ts), in a fresh schema.
 */

export interface CeilingOptions {
  readonly postgres: string;
  readonly writers: number;
  readonly seconds: number;
  readonly rounds: number;
}

export interface CeilingResult {
  readonly rawCommitsPerSec: number;
  readonly writers: number;
  readonly seconds: number;
  readonly perRoundMin: number;
  readonly perRoundMax: number;
  readonly cpu: CpuUse;
}

export async function runCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const fresh = await freshSchema(options.postgres, 'bench_engine_raw');
  try {
    const raw = await postgresRawCommits(fresh.connectionString, fresh.schema);
    try {
      await raw.run(options.writers, 300);
      const samples: Sample[] = [];
      const cpu = cpuMark();
      for (let index = 0; index < options.rounds; index += 1) {
        samples.push(await raw.run(options.writers, (options.seconds * 1000) / options.rounds));
      }
      const { min, max } = spread(samples);
      return {
        rawCommitsPerSec: round(rate(total(samples))),
        writers: options.writers,
        seconds: options.seconds,
        perRoundMin: round(min),
        perRoundMax: round(max),
        cpu: cpuSince(cpu),
      };
    } finally {
      await raw.close();
    }
  } finally {
    await fresh.drop();
  }
}
