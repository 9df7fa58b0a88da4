import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  committedSchemaFiles,
  DATA_DIR,
  ENVELOPE_FILE,
  EVENT_TYPES,
  eventSchemaFiles,
  ROOT,
} from '../../scripts/event-schemas.js';
import type { Store, StoredEvent } from '../../src/application/ports.js';
import {
  asCriterionId,
  decideJourney,
  DomainError,
  type ExitCriterion,
  type JourneyEvent,
} from '../../src/domain/index.js';
import type { Playbook } from '../../src/playbook/index.js';
import { toCloudEvent, type CloudEventJson } from '../../src/relay/cloud-event.js';
import { forEachBackend } from '../support/backends.js';
import type { StepClock } from '../support/clock.js';
import { playbookWith, startTestEngine, testPlaybook } from '../support/engine-harness.js';
import { allEvents } from '../support/relay-harness.js';
import { newEvents } from '../support/store-fixtures.js';

/**
 * The schemas in docs/events/ describe what really leaves the service: real journeys run
 * through the engine until every one of the event types has happened, and each stored event,
 * turned into its CloudEvent, validates against the committed envelope schema (which checks
 * `data` with the event type's own schema). One backend is enough: the schemas are about the
 * events, which do not depend on the store.
 */

const admin = { actor: 'alice' };
const HOUR = 60 * 60_000;
const approveDemo = { criterionId: 'demo_approved', role: 'client' } as const;

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

async function envelopeValidator(): Promise<ValidateFunction> {
  // Union types (`["number", "boolean"]`) are standard JSON Schema; Ajv's strict mode asks to opt in.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  const read = async (file: string): Promise<object> =>
    JSON.parse(await readFile(path.join(ROOT, file), 'utf8')) as object;
  for (const eventType of EVENT_TYPES) {
    // The key is the relative $ref the envelope uses (the files carry no $id).
    const file = `${DATA_DIR}/${eventType}.schema.json`;
    ajv.addSchema(await read(file), `data/${eventType}.schema.json`);
  }
  return ajv.compile(await read(ENVELOPE_FILE));
}

/**
 * No use case revokes an approval yet (the domain decides `revokeApproval`; neither the
 * orchestrator nor the API offers it), so the test decides it and commits it as the engine would.
 */
async function revokeApproval(store: Store, clock: StepClock, journeyId: string): Promise<void> {
  const record = await store.findJourney(journeyId);
  if (record === null) {
    throw new Error(`journey ${journeyId} not found`);
  }
  const decision = decideJourney(
    {
      type: 'revokeApproval',
      criterionId: asCriterionId('demo_approved'),
      approverId: admin.actor,
      revokedBy: admin.actor,
      reason: 'asked by mistake',
      at: clock.now(),
    },
    record.state,
  );
  if (decision instanceof DomainError) {
    throw decision;
  }
  await store.commit({
    appends: [
      {
        streamId: journeyId,
        streamType: 'journey',
        journeyId,
        expectedVersion: record.version,
        stateBefore: record.state,
        events: newEvents<JourneyEvent>(decision, {
          causedBy: admin.actor,
          correlationId: 'revoke',
          causationId: null,
        }),
      },
    ],
  });
}

/**
 * The default playbook with the sandbox's timers set: demo_approved reminds after an hour,
 * an undecided inconclusive search quality escalates after four.
 */
async function timedPlaybook(): Promise<Playbook> {
  const exitCriteria = (await testPlaybook()).stages.sandbox.exitCriteria.map(
    (criterion): ExitCriterion =>
      criterion.kind === 'approval'
        ? { ...criterion, reminder: { after: HOUR } }
        : criterion.id === 'search_quality'
          ? { ...criterion, inconclusiveDeadline: { after: 4 * HOUR, onDeadline: 'escalate' } }
          : criterion,
  );
  return playbookWith('sandbox', { exitCriteria });
}

/**
 * Five journeys that between them raise every event type:
 * - a journey paused and resumed; approvals rejected, revoked and granted, an inconclusive
 *   criterion accepted, promotions through to completion;
 * - a pilot task failing through its retries, the automatic rollback's teardown failing, the
 *   rollback retried;
 * - a hanging agent timing out past the stage deadline, the failed setup retried;
 * - a journey cancelled while its setup runs;
 * - a journey left waiting: reminded of its approval, its inconclusive criterion escalated.
 */
async function runJourneys(store: Store, clock: StepClock): Promise<StoredEvent[]> {
  const { engine, agents, settle } = await startTestEngine(store, clock, {
    playbook: await timedPlaybook(),
  });
  const { orchestrator } = engine;

  const { journeyId: approved } = await orchestrator.startJourney({ clientId: 'approved' }, admin);
  await orchestrator.pauseJourney('approved', { reason: 'client asked to wait' }, admin);
  await settle();
  await orchestrator.resumeJourney('approved', { reason: 'client is ready' }, admin);
  await settle();
  await orchestrator.approve('approved', { ...approveDemo, decision: 'rejected' }, admin);
  await revokeApproval(store, clock, approved);
  // Its search quality source errs: an operator accepts the inconclusive reading.
  agents.failMetric('measure_search_quality');
  await orchestrator.approve('approved', approveDemo, admin);
  await settle();
  await orchestrator.resolveInconclusive(
    'approved',
    { criterionId: 'search_quality', decision: 'accept', reason: 'known outage' },
    admin,
  );
  agents.healMetric('measure_search_quality');
  await settle({ maxAdvance: HOUR });

  agents.fail('invite_pilot_users');
  agents.fail('teardown_dataset', Number.POSITIVE_INFINITY, false);
  const { journeyId: rolledBack } = await orchestrator.startJourney(
    { clientId: 'rolled-back' },
    admin,
  );
  await settle();
  await orchestrator.approve('rolled-back', approveDemo, admin);
  await settle({ maxAdvance: HOUR });
  agents.heal('invite_pilot_users').heal('teardown_dataset');
  const rollbackWorkId = (await store.findJourney(rolledBack))?.state.rollback?.workId;
  await orchestrator.retryFailedTasks(rollbackWorkId ?? 'no rollback', admin);
  await settle({ maxAdvance: HOUR });

  agents.hang('provision_test_dataset');
  const { setups } = await orchestrator.startJourney({ clientId: 'overdue' }, admin);
  await settle({ maxAdvance: 3 * HOUR });
  agents.heal('provision_test_dataset');
  await orchestrator.retryFailedTasks(setups.sandbox?.workId ?? 'no setup', admin);
  await settle();

  agents.hang('install_connectors');
  await orchestrator.startJourney({ clientId: 'cancelled' }, admin);
  await settle({ maxAdvance: 5_000 });
  await orchestrator.cancelJourney('cancelled', { reason: 'client left' }, admin);
  await settle({ maxAdvance: HOUR });
  agents.heal('install_connectors');

  agents.failMetric('measure_search_quality');
  await orchestrator.startJourney({ clientId: 'waiting' }, admin);
  await settle({ maxAdvance: 5 * HOUR });
  agents.healMetric('measure_search_quality');
  await orchestrator.approve('waiting', approveDemo, admin);
  await settle();

  return allEvents(store);
}

/**
 * Every stored event as it leaves, serialized: the subject is its journey's client id. The JSON
 * round trip drops the attributes the SDK's `toJSON` leaves `undefined` (`dataschema`,
 * `data_base64`...), as every outlet's `JSON.stringify` does.
 */
function asCloudEvents(stored: readonly StoredEvent[]): CloudEventJson[] {
  const clients = new Map<string, string>();
  for (const { event, journeyId } of stored) {
    if (event.type === 'JourneyStarted') {
      clients.set(journeyId, event.clientId);
    }
  }
  return stored.map(
    (event) =>
      JSON.parse(
        JSON.stringify(toCloudEvent(event, clients.get(event.journeyId) ?? '?')),
      ) as CloudEventJson,
  );
}

function problems(validate: ValidateFunction, event: unknown): string[] {
  return validate(event)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

const REMOVED = Symbol('removed');

/** A deep copy of `event` with one attribute, or one field of its data, set or removed. */
function tampered(
  event: CloudEventJson,
  key: string,
  inner: string | undefined,
  value: unknown,
): unknown {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  const target = inner === undefined ? copy : (copy[key] as Record<string, unknown>);
  const name = inner ?? key;
  if (value === REMOVED) {
    delete target[name];
  } else {
    target[name] = value;
  }
  return copy;
}

/** Changes to a real StagePromoted CloudEvent, and the problem the schemas must report. */
const TAMPERINGS: readonly {
  readonly what: string;
  readonly path: readonly [string, string?];
  readonly value: unknown;
  readonly problem: string;
}[] = [
  {
    what: 'misses a required attribute',
    path: ['subject'],
    value: REMOVED,
    problem: "/ must have required property 'subject'",
  },
  {
    what: 'misses a required data field',
    path: ['data', 'at'],
    value: REMOVED,
    problem: "/data must have required property 'at'",
  },
  {
    what: 'has an attribute of the wrong type',
    path: ['streamversion'],
    value: '3',
    problem: '/streamversion must be integer',
  },
  {
    what: 'has a data field of the wrong type',
    path: ['data', 'exitCriteriaResults'],
    value: 'all passed',
    problem: '/data/exitCriteriaResults must be array',
  },
  {
    what: 'names a stage that does not exist',
    path: ['data', 'toStage'],
    value: 'staging',
    problem: '/data/toStage must be equal to one of the allowed values',
  },
  {
    what: 'carries the data of another event type',
    path: ['data', 'type'],
    value: 'JourneyCompleted',
    problem: '/data/type must be equal to constant',
  },
  {
    what: 'has a data field the event type does not have',
    path: ['data', 'promotedTo'],
    value: 'pilot',
    problem: '/data must NOT have additional properties',
  },
  {
    what: 'has a type outside the naming scheme',
    path: ['type'],
    value: 'StagePromoted',
    problem: '/type must match pattern "^journey-orchestrator\\.[A-Z][A-Za-z0-9]*\\.v[1-9][0-9]*$"',
  },
  {
    what: 'has an attribute name CloudEvents forbids',
    path: ['journey_id'],
    value: 'j-1',
    problem: '/ property name must be valid',
  },
  {
    what: 'has a time that is not a timestamp',
    path: ['time'],
    value: 'yesterday',
    problem: '/time must match format "date-time"',
  },
];

describe('the committed schemas', () => {
  it('are what `npm run schemas` generates from the current types', async () => {
    const [generated, committed] = await Promise.all([eventSchemaFiles(), committedSchemaFiles()]);
    expect([...committed.keys()], 'run npm run schemas').toEqual([...generated.keys()].sort());
    for (const [file, content] of generated) {
      expect(committed.get(file), `${file} is stale: run npm run schemas`).toBe(content);
    }
  }, 60_000);
});

forEachBackend(
  (backend) => {
    let validate: ValidateFunction;
    let events: CloudEventJson[];

    beforeAll(async () => {
      validate = await envelopeValidator();
      events = asCloudEvents(await runJourneys(backend.store, backend.clock));
    }, 60_000);

    describe('events from real journeys', () => {
      it('raise every event type at least once', () => {
        const seen = new Set(events.map((event) => (event.data as { type: string }).type));
        expect(EVENT_TYPES.filter((type) => !seen.has(type))).toEqual([]);
        expect(EVENT_TYPES).toHaveLength(32);
        expect(events.filter((event) => event.subject === '?')).toEqual([]);
      });

      it('each validate against the envelope schema and its event type’s data schema', () => {
        const invalid = events.flatMap((event) => {
          const found = problems(validate, event);
          return found.length === 0 ? [] : [{ type: event.type, id: event.id, problems: found }];
        });
        expect(invalid).toEqual([]);
      });
    });

    describe('a tampered event', () => {
      const promoted = (): CloudEventJson => {
        const event = events.find((e) => e.type === 'journey-orchestrator.StagePromoted.v1');
        if (event === undefined) {
          throw new Error('no StagePromoted event');
        }
        return event;
      };

      it.each(TAMPERINGS)('is rejected when it $what', ({ path: [key, inner], value, problem }) => {
        expect(problems(validate, promoted())).toEqual([]);
        expect(problems(validate, tampered(promoted(), key, inner, value))).toContain(problem);
      });
    });
  },
  { only: ['sqlite'] },
);
