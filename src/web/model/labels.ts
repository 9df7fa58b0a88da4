import type { BlockerCode, SignOffLinkStatus } from '../api/control-types.js';
import type { Outcome, StatusKind, TaskStatus } from '../api/types.js';
import { humanize } from './format.js';

/**
 * Every state the dashboard colours also gets a symbol and a word, so it reads without colour
 * (and to a screen reader). `tone` picks the colour in styles/base.css.
 */
export interface Label {
  readonly symbol: string;
  readonly text: string;
  readonly tone: 'neutral' | 'active' | 'good' | 'bad' | 'warn';
}

export const TASK_LABELS: Readonly<Record<TaskStatus, Label>> = {
  pending: { symbol: '○', text: 'Pending', tone: 'neutral' },
  running: { symbol: '◐', text: 'Running', tone: 'active' },
  waiting_retry: { symbol: '↻', text: 'Waiting to retry', tone: 'warn' },
  succeeded: { symbol: '✓', text: 'Succeeded', tone: 'good' },
  failed: { symbol: '✗', text: 'Failed', tone: 'bad' },
  cancelled: { symbol: '⊘', text: 'Cancelled', tone: 'neutral' },
};

export const STATUS_LABELS: Readonly<Record<StatusKind, Label>> = {
  not_started: { symbol: '○', text: 'Not started', tone: 'neutral' },
  setting_up: { symbol: '◐', text: 'Setting up', tone: 'active' },
  validating: { symbol: '…', text: 'Validating', tone: 'active' },
  ready_to_promote: { symbol: '➜', text: 'Ready to promote', tone: 'good' },
  blocked: { symbol: '⚠', text: 'Blocked', tone: 'bad' },
  rolling_back: { symbol: '↩', text: 'Rolling back', tone: 'warn' },
  completed: { symbol: '✓', text: 'Completed', tone: 'good' },
  cancelled: { symbol: '⊘', text: 'Cancelled', tone: 'neutral' },
};

export const OUTCOME_LABELS: Readonly<Record<Outcome, Label>> = {
  passed: { symbol: '✓', text: 'Passed', tone: 'good' },
  failed: { symbol: '✗', text: 'Failed', tone: 'bad' },
  inconclusive: { symbol: '?', text: 'Inconclusive', tone: 'warn' },
};

/** What holds a promotion back, by the readiness blocker's code. */
export const BLOCKER_LABELS: Readonly<Record<BlockerCode, Label>> = {
  ROLLING_BACK: { symbol: '↩', text: 'Rolling back', tone: 'warn' },
  ROLLBACK_FAILED: { symbol: '✗', text: 'Rollback failed', tone: 'bad' },
  JOURNEY_ENDED: { symbol: '⊘', text: 'Ended', tone: 'neutral' },
  SETUP_RUNNING: { symbol: '◐', text: 'Setup running', tone: 'active' },
  SETUP_FAILED: { symbol: '✗', text: 'Setup failed', tone: 'bad' },
  CRITERION_FAILED: { symbol: '✗', text: 'Criterion failed', tone: 'bad' },
  CRITERION_INCONCLUSIVE: { symbol: '?', text: 'Needs a decision', tone: 'warn' },
  WINDOW_OPEN: { symbol: '⏱', text: 'Window open', tone: 'active' },
  APPROVAL_PENDING: { symbol: '…', text: 'Approval pending', tone: 'warn' },
  APPROVAL_REJECTED: { symbol: '✗', text: 'Approval rejected', tone: 'bad' },
  JOURNEY_PAUSED: { symbol: '⏸', text: 'Paused', tone: 'warn' },
  PROMOTIONS_PAUSED: { symbol: '⛔', text: 'Line stopped', tone: 'bad' },
  FREEZE_IN_FORCE: { symbol: '❄', text: 'Freeze', tone: 'warn' },
  SOAK_TIME_NOT_ELAPSED: { symbol: '⏱', text: 'Soaking', tone: 'active' },
};

/** What became of a sign-off link. */
export const SIGN_OFF_LINK_LABELS: Readonly<Record<SignOffLinkStatus, Label>> = {
  open: { symbol: '○', text: 'Open', tone: 'active' },
  used: { symbol: '✓', text: 'Used', tone: 'good' },
  expired: { symbol: '⌛', text: 'Expired', tone: 'neutral' },
  revoked: { symbol: '⊘', text: 'Revoked', tone: 'warn' },
  stale: { symbol: '↷', text: 'Stale', tone: 'neutral' },
};

/**
 * The label of a state, also for one this dashboard does not know yet (a newer server may add
 * a status): its id in words, neutral, instead of a broken page.
 */
export function labelFor<K extends string>(labels: Readonly<Record<K, Label>>, key: K): Label {
  const known = (labels as Readonly<Record<string, Label | undefined>>)[key];
  return known ?? { symbol: '•', text: humanize(key), tone: 'neutral' };
}
