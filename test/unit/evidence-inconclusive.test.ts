import { describe, expect, it } from 'vitest';
import { StreamType, type StoredEvent } from '../../src/application/ports.js';
import { evidenceMarkdown } from '../../src/application/queries/evidence-markdown.js';
import { journeyEvidence } from '../../src/application/queries/evidence.js';
import { asCriterionId } from '../../src/domain/ids.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import { EvidenceSchema } from '../../src/http/schemas/evidence.js';
import {
  evaluation,
  journeyId,
  later,
  result,
  setupCompleted,
  started,
} from '../support/journey-fixtures.js';

/** The evidence keeps a person's decision on an inconclusive criterion (InconclusiveResolved). */

function stored(events: readonly JourneyEvent[], causedBy: string): StoredEvent[] {
  return events.map((event, index) => ({
    eventId: `e-${index + 1}`,
    streamId: journeyId,
    streamType: StreamType.journey,
    version: index + 1,
    position: String(index + 1),
    journeyId,
    type: event.type,
    event,
    occurredAt: event.at,
    recordedAt: event.at,
    metadata: { causedBy, correlationId: 'c-1', causationId: null },
  }));
}

const inconclusiveReason = 'source error: quality service unavailable';

const history = (decision: 'accept' | 'reject'): JourneyEvent[] => [
  started,
  setupCompleted('sandbox'),
  {
    type: 'ExitCriteriaEvaluated',
    stage: 'sandbox',
    evaluation: {
      ...evaluation(['demo_approved', 'passed']),
      results: [result('search_quality', 'inconclusive', inconclusiveReason)],
      allPassed: false,
    },
    trigger: 'recheck',
    at: later(5),
  },
  {
    type: 'InconclusiveResolved',
    stage: 'sandbox',
    criterionId: asCriterionId('search_quality'),
    decision,
    reason: 'outage | <b>91%</b> last week',
    decidedBy: 'otto',
    inconclusiveReason,
    at: later(10),
  },
  {
    type: 'ExitCriteriaEvaluated',
    stage: 'sandbox',
    evaluation: evaluation(['search_quality', decision === 'accept' ? 'passed' : 'failed']),
    trigger: 'inconclusive_resolved',
    at: later(10),
  },
];

describe('evidence of inconclusive decisions', () => {
  it('records who decided, when, the decision, the reason and what the criterion showed', () => {
    const evidence = journeyEvidence(stored(history('accept'), 'otto'), later(20));
    const records = evidence?.visits[0]?.records ?? [];
    expect(
      records.map((r) => (r.kind === 'evaluation' ? `evaluation:${r.trigger}` : r.kind)),
    ).toEqual(['evaluation:recheck', 'inconclusive_resolved', 'evaluation:inconclusive_resolved']);
    expect(records[1]).toEqual({
      kind: 'inconclusive_resolved',
      at: later(10),
      criterionId: 'search_quality',
      decision: 'accept',
      reason: 'outage | <b>91%</b> last week',
      by: 'otto',
      inconclusiveReason,
    });
    // The API's schema accepts it (the server validates its answers with it).
    expect(EvidenceSchema.parse(evidence).visits[0]?.records[1]).toMatchObject({
      kind: 'inconclusive_resolved',
    });
  });

  it('renders a sentence in the Markdown report, escaped', () => {
    for (const decision of ['accept', 'reject'] as const) {
      const evidence = journeyEvidence(stored(history(decision), 'otto'), later(20));
      if (evidence === null) {
        throw new Error('no evidence');
      }
      const markdown = evidenceMarkdown(evidence);
      const verb = decision === 'accept' ? 'accepted' : 'rejected';
      const counted = decision === 'accept' ? 'passed' : 'failed';
      expect(markdown).toContain(
        `- ${later(10)}: **search\\_quality** ${verb} by otto while inconclusive (counted as ${counted}): "outage \\| \\<b\\>91%\\</b\\> last week"; it showed: source error: quality service unavailable`,
      );
      expect(markdown).toContain('exit criteria evaluated (inconclusive resolved)');
    }
  });
});

describe('evidence of an inconclusive deadline that passed', () => {
  const escalated: JourneyEvent[] = [
    ...history('accept').slice(0, 3),
    {
      type: 'InconclusiveEscalated',
      stage: 'sandbox',
      criterionId: asCriterionId('search_quality'),
      inconclusiveSince: later(5),
      inconclusiveReason,
      deadline: later(8),
      at: later(8),
    },
  ];

  it('records the escalation with what the criterion showed, in JSON and Markdown', () => {
    const evidence = journeyEvidence(stored(escalated, 'system'), later(20));
    if (evidence === null) {
      throw new Error('no evidence');
    }
    const record = evidence.visits[0]?.records.at(-1);
    expect(record).toEqual({
      kind: 'inconclusive_escalated',
      at: later(8),
      criterionId: 'search_quality',
      inconclusiveSince: later(5),
      deadline: later(8),
      inconclusiveReason,
    });
    expect(EvidenceSchema.parse(evidence).visits[0]?.records.at(-1)).toEqual(record);
    expect(evidenceMarkdown(evidence)).toContain(
      `- ${later(8)}: **search\\_quality** escalated: inconclusive since ${later(5)} and undecided at its deadline ${later(8)}; it showed: source error: quality service unavailable`,
    );
  });
});
