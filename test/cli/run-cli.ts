import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import type { Clock, NewEvent, StreamAppend } from '../../src/application/ports.js';
import { buildProgram } from '../../src/cli/program.js';
import type { Environment } from '../../src/config/env.js';
import type { JourneyEvent } from '../../src/domain/index.js';
import { asClientId, asJourneyId, asWorkId } from '../../src/domain/index.js';
import { openStore } from '../../src/storage/open-store.js';
import { playbook } from '../support/journey-fixtures.js';

export interface CliRun {
  readonly out: string;
  readonly err: string;
  readonly exitCode: number;
}

/** Runs `journey <args>` in-process, with an injected environment and clock. */
export async function runCli(
  args: readonly string[],
  options: { environment?: Environment; now?: string } = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const clock: Clock = { now: () => options.now ?? new Date().toISOString() };
  const program = buildProgram({
    exitOverride: true,
    output: { writeOut: (text) => (out += text), writeErr: (text) => (err += text) },
    environment: options.environment ?? { databaseUrl: undefined },
    clock,
    openStore,
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) {
      return { out, err, exitCode: error.exitCode };
    }
    throw error;
  }
}

/** A fresh directory for one test's SQLite file; `remove` deletes it. */
export async function tempDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'journey-cli-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface SeededJourney {
  readonly journeyId: string;
  readonly startedAt: string;
  /** When it was cancelled; active when absent. */
  readonly endedAt?: string;
}

/** Writes journeys through the store's commit, with real domain events, in one transaction. */
export async function seedJourneys(db: string, journeys: readonly SeededJourney[]): Promise<void> {
  const store = await openStore(db);
  try {
    const appends: StreamAppend[] = journeys.map((journey) => {
      const events: JourneyEvent[] = [
        {
          type: 'JourneyStarted',
          journeyId: asJourneyId(journey.journeyId),
          clientId: asClientId(`client-${journey.journeyId}`),
          playbook,
          stage: 'sandbox',
          setupWorkId: asWorkId(`${journey.journeyId}.sandbox.setup.1`),
          startedBy: 'admin',
          at: journey.startedAt,
        },
      ];
      if (journey.endedAt !== undefined) {
        events.push({
          type: 'JourneyCancelled',
          fromStage: 'sandbox',
          reason: 'client left',
          cancelledBy: 'admin',
          at: journey.endedAt,
        });
      }
      return {
        streamId: journey.journeyId,
        streamType: 'journey',
        journeyId: journey.journeyId,
        expectedVersion: 0,
        events: events.map((event): NewEvent => newEvent(event)),
      };
    });
    await store.commit({ appends });
  } finally {
    await store.close();
  }
}

function newEvent(event: JourneyEvent): NewEvent {
  return {
    eventId: randomUUID(),
    event,
    occurredAt: event.at,
    metadata: { causedBy: 'test', correlationId: randomUUID(), causationId: null },
  };
}
