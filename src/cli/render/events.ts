import type { CriterionResult, JourneyEvent, UnitOfWorkEvent } from '../../domain/index.js';
import { clip } from './format.js';

/** A domain event as the API carries it: the server's, so any type it may add later too. */
export type DomainEventData = JourneyEvent | UnitOfWorkEvent | { readonly type: string };

/** One line saying what happened, in the spec's words, for timelines and live progress. */
export function describeEvent(data: DomainEventData): string {
  const event = data as JourneyEvent | UnitOfWorkEvent;
  switch (event.type) {
    case 'JourneyStarted':
      return `journey started for ${event.clientId} (playbook ${event.playbook.name} v${event.playbook.version}) by ${event.startedBy}`;
    case 'StageSetupCompleted':
      return `${event.stage} set up`;
    case 'StageSetupFailed':
      return `${event.stage} setup failed (${event.failedTaskIds.join(', ')})`;
    case 'StageSetupRetried':
      return `${event.stage} setup retried by ${event.retriedBy}`;
    case 'ExitCriteriaEvaluated':
      return `${event.stage} exit criteria ${event.evaluation.allPassed ? 'passed' : 'not met'} (${event.trigger}): ${summarizeResults(event.evaluation.results)}`;
    case 'ApprovalGranted':
      return `${event.criterionId} approved by ${event.approverId} (${event.role})${commentOf(event.comment)}`;
    case 'ApprovalRejected':
      return `${event.criterionId} rejected by ${event.approverId} (${event.role})${commentOf(event.comment)}`;
    case 'ApprovalRevoked':
      return `${event.approverId}'s decision on ${event.criterionId} revoked by ${event.revokedBy}`;
    case 'InconclusiveResolved':
      return `${event.criterionId} ${event.decision === 'accept' ? 'accepted' : 'rejected'} by ${event.decidedBy}: ${clip(event.reason)}`;
    case 'ApprovalReminderDue':
      return `REMINDER ${event.reminder}: ${event.criterionId} pending since ${event.pendingSince} (${event.approvalsNeeded} more approvals needed)`;
    case 'InconclusiveEscalated':
      return `ALERT: ${event.criterionId} inconclusive since ${event.inconclusiveSince}, undecided past its deadline`;
    case 'StagePromoted':
      return `promoted ${event.fromStage} -> ${event.toStage} by ${event.promotedBy}: ${clip(event.reason)}`;
    case 'JourneyCompleted':
      return `journey completed by ${event.completedBy}`;
    case 'RollbackInitiated':
      return `rollback ${event.fromStage} -> ${event.toStage} initiated by ${event.initiatedBy}: ${clip(event.reason)}`;
    case 'SnapshotTaken':
      return `snapshot of ${event.stage} taken (${Object.keys(event.outputs).length} task outputs)`;
    case 'RollbackFailed':
      return `rollback failed: ${clip(event.error)}`;
    case 'RollbackRetried':
      return `rollback retried by ${event.retriedBy}`;
    case 'RollbackCompleted':
      return `rolled back ${event.fromStage} -> ${event.toStage}`;
    case 'StageTransitionOverdue':
      return `ALERT: ${event.stage} transition overdue (deadline ${Math.round(event.deadline / 1000)}s)`;
    case 'JourneyCancelled':
      return `journey cancelled by ${event.cancelledBy}: ${clip(event.reason)}`;
    case 'UnitOfWorkCreated':
      return `${event.stage} ${event.purpose} unit created`;
    case 'TaskAdded':
      return `task ${event.task.taskId} added (${event.task.intent})`;
    case 'UnitOfWorkStarted':
      return 'unit of work started';
    case 'TaskExecutionStarted':
      return `task ${event.taskId} attempt ${event.attempt} started${event.agentId === undefined ? '' : ` at ${event.agentId}`}`;
    case 'TaskExecutionCompleted':
      return `task ${event.taskId} attempt ${event.attempt} succeeded`;
    case 'TaskExecutionFailed':
      return `task ${event.taskId} attempt ${event.attempt} failed: ${clip(event.error.message, 60)}${event.willRetry ? ' (will retry)' : ''}`;
    case 'UnitOfWorkCompleted':
      return 'unit of work completed';
    case 'UnitOfWorkFailed':
      return `unit of work failed (${event.failedTaskIds.join(', ')})`;
    case 'UnitOfWorkRetried':
      return `unit of work retried (${event.taskIds.join(', ')})`;
    case 'UnitOfWorkCancelled':
      return `unit of work cancelled: ${clip(event.reason)}`;
    default:
      return data.type;
  }
}

/** `3 of 4 passed; user_satisfaction failed: 3.2 is not > 4`. */
function summarizeResults(results: readonly CriterionResult[]): string {
  const passed = results.filter((r) => r.outcome === 'passed').length;
  const others = results
    .filter((r) => r.outcome !== 'passed')
    .map((r) => `${r.criterionId} ${r.outcome}: ${r.reason}`);
  return [`${passed} of ${results.length} passed`, ...others].join('; ');
}

function commentOf(comment: string | undefined): string {
  return comment === undefined || comment === '' ? '' : `: "${clip(comment, 60)}"`;
}
