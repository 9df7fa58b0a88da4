import { readdirSync, readFileSync } from 'node:fs';
import { round } from './measure.js';

/**
 * CPU taken by the events bench's other processes during a measurement, from /proc (Linux; null
 * elsewhere): the webhook receiver (by pid) and the NATS server (by name, `nats-server`), so the
 * "other processes" of engine-machine.ts can be told apart from this bench's own helpers.
 */

/** USER_HZ: the unit of /proc CPU times on Linux. */
const TICKS_PER_SECOND = 100;

export interface HelperCpuMark {
  readonly wall: number;
  readonly receiver: number | null;
  readonly nats: number | null;
}

/** 100 = one core busy over the whole measurement. */
export interface HelperCpu {
  readonly receiverCorePct: number | null;
  readonly natsCorePct: number | null;
}

export function helperCpuMark(receiverPid: number | undefined): HelperCpuMark {
  return {
    wall: performance.now(),
    receiver: receiverPid === undefined ? null : ticksOf((pid) => pid === String(receiverPid)),
    nats: ticksOf((_pid, name) => name === 'nats-server'),
  };
}

export function helperCpuSince(mark: HelperCpuMark, receiverPid: number | undefined): HelperCpu {
  const now = helperCpuMark(receiverPid);
  const wallMs = Math.max(1, now.wall - mark.wall);
  const pct = (before: number | null, after: number | null): number | null =>
    before === null || after === null
      ? null
      : round((((after - before) * (1000 / TICKS_PER_SECOND)) / wallMs) * 100);
  return {
    receiverCorePct: pct(mark.receiver, now.receiver),
    natsCorePct: pct(mark.nats, now.nats),
  };
}

/** User + system ticks of the processes that match, or null when /proc cannot be read. */
function ticksOf(matches: (pid: string, name: string) => boolean): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) {
      continue;
    }
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // The process ended meanwhile.
    }
    const close = stat.lastIndexOf(')');
    if (!matches(pid, stat.slice(stat.indexOf('(') + 1, close))) {
      continue;
    }
    // Fields after the command: utime is field 14 and stime 15 (1-based).
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks;
}
