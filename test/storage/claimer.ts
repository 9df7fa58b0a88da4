/**
 * A claiming worker in its own process, for test/storage/concurrency.test.ts:
 * `node --import tsx test/storage/claimer.ts <db-url> <owner> <now> <max-batch>`.
 * Prints `{"ready":true}`, waits for a line on stdin, then claims in small batches with a long
 * lease until nothing is left, printing each batch as a JSON line, and `{"done":true}` at the end.
 * Between batches it pauses a millisecond, as a worker busy with its items would: without it,
 * on SQLite one process re-takes the write lock at once and the other never gets a turn.
 */
import { createInterface } from 'node:readline';
import { setTimeout as pause } from 'node:timers/promises';
import { openStore } from '../../src/storage/open-store.js';

const [url, owner, now, maxBatch] = process.argv.slice(2);
if (url === undefined || owner === undefined || now === undefined) {
  throw new Error('usage: claimer.ts <db-url> <owner> <now> [max-batch]');
}
const batch = Number(maxBatch ?? '5');
const store = await openStore(url, { migrate: false, postgres: { poolSize: 2 } });
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const input = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => input.once('line', () => resolve()));
say({ ready: true });
await go;
input.close();

let empty = 0;
let round = 0;
while (empty < 2) {
  round += 1;
  const items = await store.claim({
    owner,
    limit: 1 + (round % batch),
    leaseFor: 3_600_000,
    now,
  });
  empty = items.length === 0 ? empty + 1 : 0;
  if (items.length > 0) {
    say({ claimed: items.map((item) => item.id), owners: items.map((item) => item.leaseOwner) });
  }
  await pause(1);
}
await store.close();
say({ done: true });
