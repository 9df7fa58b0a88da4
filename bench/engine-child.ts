import { runCeiling, type CeilingOptions } from './engine-ceiling.js';
import { runHold, type HoldOptions } from './engine-hold.js';
import { runJobQueue, type JobQueueOptions } from './engine-job-queue.js';
import { runThroughput, type ThroughputOptions } from './engine-throughput.js';

/**
 * One phase of `npm run bench -- engine`, run in a process of its own so that its memory figures
 * are its own: `tsx bench/engine-child.ts <phase> <options as JSON>`. The result goes back to the
 * parent over IPC (or to stdout when run by hand).
 */

const PHASES = {
  throughput: (options: unknown) => runThroughput(options as ThroughputOptions),
  'job-queue': (options: unknown) => runJobQueue(options as JobQueueOptions),
  ceiling: (options: unknown) => runCeiling(options as CeilingOptions),
  hold: (options: unknown) => runHold(options as HoldOptions),
} as const;

export type Phase = keyof typeof PHASES;

export type ChildMessage =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

const [phase = '', json = '{}'] = process.argv.slice(2);
let message: ChildMessage;
try {
  if (!Object.hasOwn(PHASES, phase)) {
    throw new Error(`unknown phase "${phase}" (${Object.keys(PHASES).join(', ')})`);
  }
  const result = await PHASES[phase as Phase](JSON.parse(json) as unknown);
  message = { ok: true, result };
} catch (error) {
  message = {
    ok: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  };
}
if (process.send === undefined) {
  process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
  process.exitCode = message.ok ? 0 : 1;
} else {
  // Exit once the message is out: a pool or timer left open must not keep the child alive.
  process.send(message, () => process.exit(0));
}
