import type { BlockerView, ReadinessView } from '../client/views.js';
import { clip, formatInstant, formatMillis, formatValue } from './format.js';
import { toneOf, type Style } from './style.js';
import { fields, table } from './table.js';

/** `journey readiness <clientId>`: what blocks the promotion now, then every criterion. */
export function renderReadiness(readiness: ReadinessView, style: Style): string {
  const next = readiness.nextStage === null ? 'nothing to promote' : `-> ${readiness.nextStage}`;
  const verdict = readiness.ready
    ? style.green('ready to promote')
    : style.red(
        `not ready (${readiness.blockers.length} blocker${readiness.blockers.length === 1 ? '' : 's'})`,
      );
  const sections = [
    fields([
      ['client', style.bold(readiness.clientId)],
      [
        'stage',
        `${readiness.stage} since ${formatInstant(readiness.stageEnteredAt)} (UTC), ${next}`,
      ],
      ['readiness', `${verdict}: ${readiness.summary}`],
      ['evaluated', `${formatInstant(readiness.evaluatedAt)} (UTC), now; nothing recorded`],
      ...(readiness.setup === null
        ? []
        : [['setup', `${readiness.setup.status} (unit ${readiness.setup.workId})`] as const]),
    ]),
    readiness.blockers.length === 0
      ? ''
      : `${style.bold('Blockers')}\n${renderBlockers(readiness.blockers, style)}`,
    readiness.criteria.length === 0
      ? ''
      : `${style.bold('Criteria')}\n${renderReadinessCriteria(readiness, style)}`,
  ];
  return sections.filter((text) => text !== '').join('\n');
}

/** One line per blocker: `✗ CODE  criterion  message (until …)`. */
export function renderBlockers(blockers: readonly BlockerView[], style: Style): string {
  if (blockers.length === 0) {
    return '  none: ready to promote\n';
  }
  const rows = blockers.map((b) => [
    style.red('✗'),
    b.code,
    b.criterionId ?? '-',
    `${b.message}${b.until === undefined ? '' : ` (until ${formatInstant(b.until)} UTC)`}`,
  ]);
  return table(['', 'BLOCKER', 'CRITERION', 'WHY'], rows)
    .split('\n')
    .slice(1)
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');
}

function renderReadinessCriteria(readiness: ReadinessView, style: Style): string {
  const rows = readiness.criteria.map((c) => [
    c.criterionId,
    c.kind,
    toneOf(style, c.outcome)(c.outcome),
    c.source === 'approval'
      ? `${c.approvedBy?.length ?? 0} approved`
      : formatValue(c.observed, c.unit),
    c.comparator === undefined ? '-' : `${c.comparator} ${formatValue(c.threshold, c.unit)}`,
    clip(criterionNote(c), 70),
  ]);
  return table(['CRITERION', 'KIND', 'OUTCOME', 'OBSERVED', 'THRESHOLD', 'NOTE'], rows);
}

function criterionNote(c: ReadinessView['criteria'][number]): string {
  const notes = [c.reason];
  if (c.window !== null && c.window.remainingMs > 0) {
    notes.push(
      c.window.holdingSince === null
        ? `must hold for ${formatMillis(c.window.windowMs)}`
        : `holds; ${formatMillis(c.window.remainingMs)} to go`,
    );
  }
  if (c.approval !== null) {
    if (c.approval.approvalsNeeded > 0) {
      notes.push(
        `${c.approval.approvalsNeeded} more needed (${c.approval.policy.roles.join(', ')})`,
      );
    }
    if (c.approval.missingApprovers.length > 0) {
      notes.push(`waiting for ${c.approval.missingApprovers.join(', ')}`);
    }
    if (c.approval.openSignOffLinks.length > 0) {
      notes.push(`${c.approval.openSignOffLinks.length} open sign-off link(s)`);
    }
    const next = c.approval.reminder?.nextReminderAt ?? null;
    if (next !== null) {
      notes.push(`next reminder ${formatInstant(next)}`);
    }
  }
  const deadline = c.inconclusiveDeadline;
  if (deadline?.at != null) {
    notes.push(
      deadline.escalatedAt === null
        ? `${deadline.onDeadline} at ${formatInstant(deadline.at)}`
        : `escalated ${formatInstant(deadline.escalatedAt)}`,
    );
  }
  return notes.join('; ');
}
