import type {
  ExitCriteriaView,
  JourneyPage,
  JourneyView,
  TaskView,
  UnitOfWorkView,
} from '../client/views.js';
import { between, clip, formatInstant, formatValue } from './format.js';
import { toneOf, type Style } from './style.js';
import { fields, table } from './table.js';

/** `status` without a client id: one row per journey. */
export function renderJourneyList(page: JourneyPage, style: Style): string {
  if (page.items.length === 0) {
    return 'no journeys\n';
  }
  const rows = page.items.map((j) => [
    style.bold(j.clientId),
    toneOf(style, j.currentStage)(j.currentStage),
    toneOf(style, j.status)(j.status),
    formatInstant(j.stageEnteredAt),
    formatInstant(j.startedAt),
    `${j.playbook.name} v${j.playbook.version}`,
    clip(statusNote(j.statusDetail), 60),
  ]);
  const more =
    page.nextCursor === null ? '' : 'more journeys match: raise --limit or narrow the filters\n';
  return (
    table(['CLIENT', 'STAGE', 'STATUS', 'IN STAGE SINCE', 'STARTED', 'PLAYBOOK', 'NOTE'], rows) +
    more
  );
}

/** `status <clientId>`: the journey, its stage history, its unit of work and its gate. */
export function renderJourney(journey: JourneyView, style: Style): string {
  const sections = [
    fields([
      ['client', style.bold(journey.clientId)],
      ['journey', journey.journeyId],
      ['playbook', `${journey.playbook.name} v${journey.playbook.version}`],
      [
        'stage',
        `${toneOf(style, journey.currentStage)(journey.currentStage)} since ${formatInstant(journey.stageEnteredAt)} (UTC)`,
      ],
      ['status', `${toneOf(style, journey.status)(journey.status)}${noteSuffix(journey)}`],
      ...(journey.paused === null
        ? []
        : [
            [
              'paused',
              style.yellow(
                `by ${journey.paused.pausedBy} since ${formatInstant(journey.paused.at)}: ${journey.paused.reason}`,
              ),
            ] as const,
          ]),
      ['started', formatInstant(journey.startedAt)],
      ...(journey.endedAt === null ? [] : [['ended', formatInstant(journey.endedAt)] as const]),
      ...(journey.overdueSince === null
        ? []
        : [['overdue', style.red(`since ${formatInstant(journey.overdueSince)}`)] as const]),
    ]),
    section(style, 'Stage history', renderHistory(journey)),
    journey.currentUnitOfWork === null
      ? ''
      : section(
          style,
          unitTitle(journey.currentUnitOfWork),
          renderTasks(journey.currentUnitOfWork.tasks, style),
        ),
    journey.exitCriteria === null
      ? ''
      : section(
          style,
          evaluationTitle(journey.exitCriteria),
          renderCriteria(journey.exitCriteria, style),
        ),
  ];
  return sections.filter((text) => text !== '').join('\n');
}

/** A unit of work on its own (`retry`). */
export function renderUnit(unit: UnitOfWorkView, style: Style): string {
  return section(style, unitTitle(unit), renderTasks(unit.tasks, style));
}

function unitTitle(unit: UnitOfWorkView): string {
  return `${unit.stage} ${unit.purpose} unit ${unit.workId}: ${unit.status}`;
}

function evaluationTitle(evaluation: ExitCriteriaView): string {
  const passed = evaluation.results.filter((r) => r.outcome === 'passed').length;
  return `Exit criteria of ${evaluation.stage} at ${formatInstant(evaluation.evaluatedAt)}: ${passed} of ${evaluation.results.length} passed`;
}

function renderTasks(tasks: readonly TaskView[], style: Style): string {
  const rows = tasks.map((task) => {
    const last = task.attempts.at(-1);
    return [
      task.taskId,
      toneOf(style, task.status)(task.status),
      String(task.attemptCount),
      task.agentId ?? '-',
      last === undefined ? '-' : between(last.startedAt, last.finishedAt),
      clip(
        task.error?.message ??
          (task.dependsOn.length === 0 ? '' : `after ${task.dependsOn.join(', ')}`),
        60,
      ),
    ];
  });
  return table(['TASK', 'STATUS', 'ATTEMPTS', 'AGENT', 'TOOK', 'NOTE'], rows);
}

function renderCriteria(evaluation: ExitCriteriaView, style: Style): string {
  const rows = evaluation.results.map((r) => [
    r.criterionId,
    toneOf(style, r.outcome)(r.outcome),
    r.source === 'approval' ? `${r.approvedBy?.length ?? 0} approved` : formatValue(r.observed),
    r.comparator === undefined ? '-' : `${r.comparator} ${formatValue(r.threshold)}`,
    clip(r.reason, 60),
  ]);
  return table(['CRITERION', 'OUTCOME', 'OBSERVED', 'THRESHOLD', 'REASON'], rows);
}

function renderHistory(journey: JourneyView): string {
  if (journey.stageHistory.length === 0) {
    return `  (still in its first stage since ${formatInstant(journey.startedAt)})\n`;
  }
  const rows = journey.stageHistory.map((t) => [
    formatInstant(t.transitionedAt),
    t.kind,
    `${t.fromStage} -> ${t.toStage}`,
    t.by,
    clip(t.reason, 60),
  ]);
  return table(['WHEN (UTC)', 'KIND', 'STAGES', 'BY', 'REASON'], rows);
}

function section(style: Style, title: string, body: string): string {
  return `${style.bold(title)}\n${body}`;
}

function noteSuffix(journey: JourneyView): string {
  const note = statusNote(journey.statusDetail);
  return note === '' ? '' : `: ${note}`;
}

/** What the status depends on, in a few words. */
export function statusNote(status: JourneyView['statusDetail']): string {
  switch (status.kind) {
    case 'blocked':
      return status.summary;
    case 'ready_to_promote':
      return `may be promoted to ${status.to}`;
    case 'rolling_back':
      return `${status.from} -> ${status.to}`;
    case 'setting_up':
      return `${status.stage} setup running`;
    default:
      return '';
  }
}
