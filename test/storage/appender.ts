/**
 * A writer in its own process, for test/storage/concurrency.test.ts:
 * `node --import tsx test/storage/appender.ts <db-url> <journey-id> <writer> <count>`.
 * Prints `{"ready":true}`, waits for a line on stdin, then appends `count` evaluations to the
 * journey's stream, each decided on the version it just read, retrying on a conflict, and
 * prints `{"done":true,"conflicts":N}`.
 */
import { createInterface } from 'node:readline';
import { ConcurrencyConflictError } from '../../src/application/errors.js';
import { DomainError } from '../../src/domain/errors.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { openStore } from '../../src/storage/open-store.js';
import { evaluation } from '../support/journey-fixtures.js';
import { journeyEventsOf, newEvents } from '../support/store-fixtures.js';

const [url, journeyId, writer, count] = process.argv.slice(2);
if (url === undefined || journeyId === undefined || writer === undefined) {
  throw new Error('usage: appender.ts <db-url> <journey-id> <writer> <count>');
}
const store = await openStore(url, { migrate: false, postgres: { poolSize: 2 } });
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const input = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => input.once('line', () => resolve()));
say({ ready: true });
await go;
input.close();

let conflicts = 0;
for (let k = 0; k < Number(count ?? '10'); k++) {
  for (;;) {
    const stream = await store.readStream(journeyId);
    const state = journeyEventsOf(stream).reduce(evolveJourney, initialJourneyState);
    const decision = decideJourney(
      {
        type: 'recordEvaluation',
        stage: 'sandbox',
        evaluation: evaluation([`${writer}-${k}`, 'passed']),
        trigger: 'manual',
        at: new Date(0).toISOString(),
      },
      state,
    );
    if (decision instanceof DomainError) {
      throw decision;
    }
    try {
      await store.commit({
        appends: [
          {
            streamId: journeyId,
            streamType: 'journey',
            journeyId,
            expectedVersion: stream.length,
            events: newEvents(decision),
          },
        ],
      });
      break;
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) {
        throw error;
      }
      conflicts += 1;
    }
  }
}
await store.close();
say({ done: true, conflicts });
