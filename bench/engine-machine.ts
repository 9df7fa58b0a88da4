import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { megabytes } from './measure.js';

/**
 * What the machine did during a measurement: this process's peak memory, and where the CPU went
 * (this Node process against the whole machine, so on a local database the rest is mostly the
 * database server).
 */

/** Samples this process's RSS every `everyMs` until stopped; `peakMb` is the highest seen. */
export class RssSampler {
  #peak = process.memoryUsage.rss();
  readonly #timer: NodeJS.Timeout;

  constructor(everyMs = 50) {
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.#timer.unref();
  }

  sample(): number {
    const rss = process.memoryUsage.rss();
    this.#peak = Math.max(this.#peak, rss);
    return rss;
  }

  get peakMb(): number {
    this.sample();
    return megabytes(this.#peak);
  }

  stop(): number {
    clearInterval(this.#timer);
    return this.peakMb;
  }
}

/** The OS's own high-water mark of this process's resident memory, in MB. */
export const maxRssMb = (): number => megabytes(process.resourceUsage().maxRSS * 1024);

export interface CpuMark {
  readonly wall: number;
  readonly node: NodeJS.CpuUsage;
  readonly machine: { busy: number; total: number } | undefined;
  readonly postgres: ReadonlyMap<string, number> | undefined;
}

export interface CpuUse {
  /** This process's CPU time over the wall time: 100 is one core busy all along. */
  readonly nodeCorePct: number;
  /** Every core's busy time over the wall time (Linux only), same scale. */
  readonly machineCorePct: number | null;
  /**
   * The local PostgreSQL server's processes (every connection's, not only ours), same scale;
   * null where they cannot be seen.
   */
  readonly postgresCorePct: number | null;
  /** What is left: other processes on the machine (noise), same scale. */
  readonly otherCorePct: number | null;
  readonly cores: number;
}

export function cpuMark(): CpuMark {
  return {
    wall: performance.now(),
    node: process.cpuUsage(),
    machine: machineTicks(),
    postgres: postgresTicks(),
  };
}

export function cpuSince(mark: CpuMark): CpuUse {
  const wallMs = performance.now() - mark.wall;
  const node = process.cpuUsage(mark.node);
  const now = machineTicks();
  const machine =
    now === undefined || mark.machine === undefined
      ? null
      : ((now.busy - mark.machine.busy) / Math.max(1, now.total - mark.machine.total)) *
        availableParallelism() *
        100;
  const postgresNow = postgresTicks();
  const postgres =
    postgresNow === undefined || mark.postgres === undefined
      ? null
      : (ticksSince(mark.postgres, postgresNow) * (1000 / TICKS_PER_SECOND) * 100) /
        Math.max(1, wallMs);
  const nodeCorePct = ((node.user + node.system) / 1000 / Math.max(1, wallMs)) * 100;
  return {
    nodeCorePct: Math.round(nodeCorePct),
    machineCorePct: machine === null ? null : Math.round(machine),
    postgresCorePct: postgres === null ? null : Math.round(postgres),
    otherCorePct:
      machine === null || postgres === null
        ? null
        : Math.max(0, Math.round(machine - postgres - nodeCorePct)),
    cores: availableParallelism(),
  };
}

/** USER_HZ: the unit of /proc CPU times on Linux. */
const TICKS_PER_SECOND = 100;

/**
 * CPU used between two readings by the processes of the second: a process that ended meanwhile
 * is not counted (its time is unknown), one that started counts from zero.
 */
function ticksSince(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): number {
  let ticks = 0;
  for (const [pid, now] of after) {
    ticks += Math.max(0, now - (before.get(pid) ?? 0));
  }
  return ticks;
}

/** CPU time (user + system, in ticks) of each process named `postgres`, by pid, from /proc. */
function postgresTicks(): Map<string, number> | undefined {
  try {
    const ticks = new Map<string, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) {
        continue;
      }
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // The process ended meanwhile.
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') {
        continue;
      }
      // Fields after the command: state is field 3, utime 14 and stime 15 (1-based).
      const fields = stat.slice(close + 2).split(' ');
      ticks.set(entry, Number(fields[11] ?? 0) + Number(fields[12] ?? 0));
    }
    return ticks;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of all cores, from /proc/stat; undefined where there is none. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...fields] = line.trim().split(/\s+/);
    const ticks = fields.map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    // idle and iowait
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}
