import type { ControlsView, GlobalFreezeView } from '../client/views.js';
import { clip, formatInstant } from './format.js';
import type { Style } from './style.js';
import { fields, table } from './table.js';

/** `journey controls`: the promotion stop, the global freezes and the latest changes. */
export function renderControls(controls: ControlsView, style: Style): string {
  const { promotions } = controls;
  const stop = promotions.paused
    ? style.red(
        `stopped by ${promotions.pausedBy ?? '?'} since ${formatInstant(promotions.pausedAt)} (UTC): ${promotions.reason ?? 'no reason given'}`,
      )
    : style.green('running (not stopped)');
  const inForce = controls.freezes.filter((f) => f.activeNow !== null).length;
  return [
    fields([
      ['promotions', stop],
      ['freezes', `${controls.freezes.length} global, ${inForce} in force now`],
    ]),
    controls.freezes.length === 0
      ? ''
      : `${style.bold('Global freezes')}\n${renderFreezes(controls.freezes, style)}`,
    controls.changes.length === 0
      ? ''
      : `${style.bold('Recent changes (newest first)')}\n${table(
          ['WHEN (UTC)', 'ACTION', 'SUBJECT', 'BY', 'REASON'],
          controls.changes
            .slice(0, 10)
            .map((c) => [
              formatInstant(c.at),
              c.action,
              c.subject ?? '-',
              c.actor,
              clip(c.reason ?? '', 60),
            ]),
        )}`,
  ]
    .filter((text) => text !== '')
    .join('\n');
}

/** `journey freeze list`: one row per global freeze. */
export function renderFreezes(freezes: readonly GlobalFreezeView[], style: Style): string {
  if (freezes.length === 0) {
    return 'no global freezes\n';
  }
  const rows = freezes.map((f) => [
    style.bold(f.freezeId),
    f.status === 'invalid'
      ? style.red(`invalid: ${clip(f.problems.map((p) => p.message).join('; '), 60)}`)
      : windowOf(f.freeze),
    f.freeze.timezone ?? 'UTC',
    f.activeNow === null
      ? 'no'
      : style.red(
          f.status === 'invalid'
            ? 'yes, until removed'
            : `yes, until ${formatInstant(f.activeNow.until)}`,
        ),
    f.createdBy,
    clip(f.reason ?? f.freeze.description ?? '', 50),
  ]);
  return table(['ID', 'WINDOW', 'TIME ZONE', 'IN FORCE', 'BY', 'REASON'], rows);
}

function windowOf(freeze: Readonly<Record<string, string>>): string {
  if (freeze.schedule !== undefined) {
    return `"${freeze.schedule}" for ${freeze.duration ?? '?'}`;
  }
  return `${freeze.from ?? '?'} to ${freeze.to ?? '?'}`;
}
