import { describeComparison, type CriterionResult } from '../../domain/index.js';
import type { EvidenceRecord, JourneyEvidence, StageVisitEvidence } from './evidence.js';

/**
 * The evidence as a Markdown report a client could be shown: a heading per stage visit, a
 * table per evaluation, plain sentences for decisions. Every value from the events is escaped,
 * so a comment cannot break a table or inject markup.
 */
export function evidenceMarkdown(evidence: JourneyEvidence): string {
  const lines = [
    `# Evidence: ${text(evidence.clientId)}`,
    '',
    `- Journey: \`${text(evidence.journeyId)}\``,
    `- Playbook: ${text(evidence.playbook.name)} v${evidence.playbook.version}`,
    `- Started: ${evidence.startedAt} by ${text(evidence.startedBy)}`,
    `- Current stage: ${evidence.currentStage}`,
    `- Report generated: ${evidence.generatedAt}`,
    '',
  ];
  for (const visit of evidence.visits) {
    lines.push(...visitSection(visit), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function visitSection(visit: StageVisitEvidence): string[] {
  const title = visit.visit === 1 ? visit.stage : `${visit.stage} (visit ${visit.visit})`;
  const span =
    visit.leftAt === null ? `since ${visit.enteredAt}` : `${visit.enteredAt} to ${visit.leftAt}`;
  const lines = [`## ${capitalize(title)}`, '', `_${span}_`, ''];
  if (visit.records.length === 0) {
    lines.push('No gate evaluations or decisions in this stage.');
    return lines;
  }
  for (const record of visit.records) {
    lines.push(...recordLines(record), '');
  }
  return lines;
}

function recordLines(record: EvidenceRecord): string[] {
  switch (record.kind) {
    case 'evaluation':
      return [
        `### ${record.at}: exit criteria evaluated (${record.trigger.replaceAll('_', ' ')}): ${record.allPassed ? 'all passed' : 'not all passed'}`,
        '',
        ...resultsTable(record.results),
      ];
    case 'approval': {
      const role = record.role === null ? '' : ` (${text(record.role)})`;
      const verb =
        record.decision === 'revoked'
          ? `withdrawn by ${text(record.by)}`
          : `${record.decision} by ${text(record.approverId)}${role}`;
      const comment = record.comment === null ? '' : `: "${text(record.comment)}"`;
      const whose =
        record.decision === 'revoked' ? ` (the decision of ${text(record.approverId)})` : '';
      return [`- ${record.at}: **${text(record.criterionId)}** ${verb}${whose}${comment}`];
    }
    case 'inconclusive_resolved': {
      const counted = record.decision === 'accept' ? 'counted as passed' : 'counted as failed';
      return [
        `- ${record.at}: **${text(record.criterionId)}** ${record.decision === 'accept' ? 'accepted' : 'rejected'} by ${text(record.by)} while inconclusive (${counted}): "${text(record.reason)}"; it showed: ${text(record.inconclusiveReason)}`,
      ];
    }
    case 'inconclusive_escalated':
      return [
        `- ${record.at}: **${text(record.criterionId)}** escalated: inconclusive since ${record.inconclusiveSince} and undecided at its deadline ${record.deadline}; it showed: ${text(record.inconclusiveReason)}`,
      ];
    case 'promotion':
    case 'completion': {
      const what =
        record.kind === 'completion'
          ? 'Journey completed'
          : `Promoted from ${record.fromStage} to ${record.toStage}`;
      return [
        `### ${record.at}: ${what} by ${text(record.by)}`,
        '',
        `Reason: ${text(record.reason)}. Promoted on these results:`,
        '',
        ...resultsTable(record.results),
      ];
    }
    case 'rollback_initiated':
      return [
        `### ${record.at}: Rollback from ${record.fromStage} to ${record.toStage} started by ${text(record.by)}`,
        '',
        `Reason: ${text(record.reason)}.`,
      ];
    case 'rollback_completed':
      return [`- ${record.at}: rollback completed; back in ${record.toStage}`];
    case 'rollback_failed':
      return [`- ${record.at}: rollback failed: ${text(record.reason)}`];
    case 'cancellation':
      return [
        `### ${record.at}: Journey cancelled by ${text(record.by)}`,
        '',
        `Reason: ${text(record.reason)}.`,
      ];
  }
}

function resultsTable(results: readonly CriterionResult[]): string[] {
  if (results.length === 0) {
    return ['No exit criteria.'];
  }
  return [
    '| Criterion | Source | Observed | Threshold | Outcome | Why |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results
      .map((r) =>
        [
          text(r.description),
          r.source,
          r.source === 'approval' ? approvers(r) : cell(r.observed),
          r.comparator === undefined
            ? ''
            : `${describeComparison(r.comparator)} ${cell(r.threshold)}`,
          r.outcome,
          text(r.reason),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
}

function approvers(result: CriterionResult): string {
  const approved = result.approvedBy ?? [];
  return approved.length === 0 ? 'none' : `approved by ${approved.map(text).join(', ')}`;
}

function cell(value: number | boolean | null | undefined): string {
  return value == null ? 'no value' : String(value);
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Plain text inside Markdown: one line, markup characters escaped. */
function text(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]<>#|!~]/g, (c) => `\\${c}`);
}
