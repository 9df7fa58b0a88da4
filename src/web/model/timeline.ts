import type { StoredEventView } from '../api/types.js';
import { humanize } from './format.js';
import type { Label } from './labels.js';

/** One line of a journey's timeline: what happened, who did it and why. */
export interface TimelineEntry {
  readonly eventId: string;
  readonly at: string;
  readonly eventType: string;
  readonly title: string;
  /** The actor: a token's name, or `system` for the engine. */
  readonly who: string;
  /** The reason, comment or error given, when there is one. */
  readonly why: string | null;
  readonly tone: Label['tone'];
}

type Data = Readonly<Record<string, unknown>>;
type Describe = (data: Data) => Omit<TimelineEntry, 'eventId' | 'at' | 'eventType' | 'who'> & {
  readonly who?: string;
};

const text = (data: Data, field: string): string =>
  typeof data[field] === 'string' ? data[field] : '';
const list = (data: Data, field: string): string => {
  const value = data[field];
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : '';
};
const stage = (data: Data, field: string): string => humanize(text(data, field));
const optional = (value: string): string | null => (value === '' ? null : value);

/** `2 more needed from client, admin; missing: carol`, for an approval reminder. */
function reminderText(data: Data): string {
  const needed = typeof data['approvalsNeeded'] === 'number' ? data['approvalsNeeded'] : 0;
  const roles = list(data, 'allowedRoles');
  const missing = list(data, 'missingApprovers');
  return [
    needed > 0 ? `${needed} more needed${roles === '' ? '' : ` from ${roles}`}` : '',
    missing === '' ? '' : `missing: ${missing}`,
  ]
    .filter((part) => part !== '')
    .join('; ');
}

/** `freeze overridden: why (freezes a, b)`, when an admin promoted through freezes. */
function overrideText(data: Data): string {
  const override = data['freezeOverride'];
  if (typeof override !== 'object' || override === null) {
    return '';
  }
  const fields = override as Data;
  const freezes = Array.isArray(fields['freezes']) ? (fields['freezes'] as Data[]) : [];
  const ids = freezes.map((f) => text(f, 'freezeId')).filter((id) => id !== '');
  return `freeze overridden: ${text(fields, 'reason')}${ids.length === 0 ? '' : ` (${ids.join(', ')})`}`;
}

/**
 * The journey-level events a person reads in an audit trail. Task attempts are left out: the
 * unit of work's graph shows them, with every attempt.
 */
const DESCRIBE: Readonly<Record<string, Describe>> = {
  JourneyStarted: (d) => ({
    title: `Journey started in ${stage(d, 'stage')}`,
    who: text(d, 'startedBy'),
    why: null,
    tone: 'neutral',
  }),
  StageSetupCompleted: (d) => ({ title: `${stage(d, 'stage')} set up`, why: null, tone: 'good' }),
  StageSetupFailed: (d) => ({
    title: `${stage(d, 'stage')} setup failed`,
    why: `failed tasks: ${list(d, 'failedTaskIds')}`,
    tone: 'bad',
  }),
  StageSetupRetried: (d) => ({
    title: `${stage(d, 'stage')} setup retried`,
    who: text(d, 'retriedBy'),
    why: null,
    tone: 'neutral',
  }),
  ExitCriteriaEvaluated: (d) => {
    const evaluation = (d['evaluation'] ?? {}) as Data;
    const results = Array.isArray(evaluation['results']) ? (evaluation['results'] as Data[]) : [];
    const passed = results.filter((r) => r['outcome'] === 'passed').length;
    const allPassed = evaluation['allPassed'] === true;
    return {
      title: `Exit criteria of ${stage(d, 'stage')}: ${passed} of ${results.length} passed`,
      why: `checked on ${humanize(text(d, 'trigger')).toLowerCase()}`,
      tone: allPassed ? 'good' : 'warn',
    };
  },
  ApprovalGranted: (d) => ({
    title: `Approved ${text(d, 'criterionId')}`,
    who: text(d, 'approverId'),
    why: optional(text(d, 'comment')),
    tone: 'good',
  }),
  ApprovalRejected: (d) => ({
    title: `Rejected ${text(d, 'criterionId')}`,
    who: text(d, 'approverId'),
    why: optional(text(d, 'comment')),
    tone: 'bad',
  }),
  ApprovalRevoked: (d) => ({
    title: `Approval of ${text(d, 'criterionId')} by ${text(d, 'approverId')} revoked`,
    who: text(d, 'revokedBy'),
    why: optional(text(d, 'reason')),
    tone: 'warn',
  }),
  StagePromoted: (d) => ({
    title: `Promoted from ${stage(d, 'fromStage')} to ${stage(d, 'toStage')}`,
    who: text(d, 'promotedBy'),
    why: optional([text(d, 'reason'), overrideText(d)].filter((t) => t !== '').join('; ')),
    tone: 'good',
  }),
  JourneyCompleted: (d) => ({
    title: 'Journey completed',
    who: text(d, 'completedBy'),
    why: optional(overrideText(d)),
    tone: 'good',
  }),
  JourneyPaused: (d) => ({
    title: `Paused in ${stage(d, 'stage')}`,
    who: text(d, 'pausedBy'),
    why: optional(text(d, 'reason')),
    tone: 'warn',
  }),
  JourneyResumed: (d) => ({
    title: `Resumed in ${stage(d, 'stage')}`,
    who: text(d, 'resumedBy'),
    why: optional(text(d, 'reason')),
    tone: 'neutral',
  }),
  InconclusiveResolved: (d) => ({
    title: `${text(d, 'decision') === 'accept' ? 'Accepted' : 'Rejected'} inconclusive ${text(d, 'criterionId')}`,
    who: text(d, 'decidedBy'),
    why: optional(text(d, 'reason')),
    tone: text(d, 'decision') === 'accept' ? 'good' : 'bad',
  }),
  ApprovalReminderDue: (d) => ({
    title: `Reminder ${typeof d['reminder'] === 'number' ? d['reminder'] : ''}: approval ${text(d, 'criterionId')} still pending`,
    why: optional(reminderText(d)),
    tone: 'warn',
  }),
  InconclusiveEscalated: (d) => ({
    title: `Inconclusive ${text(d, 'criterionId')} undecided past its deadline`,
    why: optional(text(d, 'inconclusiveReason')),
    tone: 'bad',
  }),
  RollbackInitiated: (d) => ({
    title: `Rollback from ${stage(d, 'fromStage')} to ${stage(d, 'toStage')} started`,
    who: text(d, 'initiatedBy'),
    why: optional(text(d, 'reason')),
    tone: 'warn',
  }),
  RollbackFailed: (d) => ({
    title: 'Rollback failed',
    why: optional(text(d, 'error')),
    tone: 'bad',
  }),
  RollbackRetried: (d) => ({
    title: 'Rollback retried',
    who: text(d, 'retriedBy'),
    why: null,
    tone: 'neutral',
  }),
  RollbackCompleted: (d) => ({
    title: `Rolled back from ${stage(d, 'fromStage')} to ${stage(d, 'toStage')}`,
    why: null,
    tone: 'warn',
  }),
  StageTransitionOverdue: (d) => ({
    title: `${stage(d, 'stage')} transition overdue`,
    why: null,
    tone: 'bad',
  }),
  JourneyCancelled: (d) => ({
    title: `Cancelled in ${stage(d, 'fromStage')}`,
    who: text(d, 'cancelledBy'),
    why: optional(text(d, 'reason')),
    tone: 'neutral',
  }),
  UnitOfWorkCancelled: (d) => ({
    title: 'Unit of work cancelled',
    why: optional(text(d, 'reason')),
    tone: 'neutral',
  }),
};

/** The timeline of a journey's events (oldest first, as the API lists them). */
export function timelineOf(events: readonly StoredEventView[]): TimelineEntry[] {
  return events.flatMap((event) => {
    const describe = DESCRIBE[event.type];
    if (describe === undefined) {
      return [];
    }
    const { who, ...entry } = describe(event.data);
    return [
      {
        eventId: event.eventId,
        at: event.occurredAt,
        eventType: event.type,
        who: who === undefined || who === '' ? event.metadata.causedBy : who,
        ...entry,
      },
    ];
  });
}
