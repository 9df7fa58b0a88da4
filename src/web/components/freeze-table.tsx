import type { GlobalFreeze } from '../api/control-types.js';
import { formatTime } from '../model/format.js';
import { LabelBadge } from './label-badge.js';

/** The fleet-wide freezes: when each holds, whether it is in force now, who added it and why. */
export function FreezeTable({
  freezes,
  onRemove,
  disabled,
}: {
  freezes: readonly GlobalFreeze[];
  /** The remove button of a freeze (admins); no column when null. */
  onRemove: ((freezeId: string) => void) | null;
  disabled: boolean;
}) {
  if (freezes.length === 0) {
    return <p class="empty">No fleet-wide freeze. (A playbook may have its own.)</p>;
  }
  return (
    <div class="table-scroll">
      <table class="freezes">
        <caption>Fleet-wide freezes</caption>
        <thead>
          <tr>
            <th scope="col">Freeze</th>
            <th scope="col">When</th>
            <th scope="col">Now</th>
            <th scope="col">Added</th>
            {onRemove === null ? null : <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {freezes.map(({ freeze, createdBy, createdAt, reason, activeNow }) => {
            const id = freeze['id'] ?? '?';
            return (
              <tr key={id} data-freeze-id={id} data-active={activeNow !== null}>
                <th scope="row">
                  {id}
                  {freeze['description'] === undefined ? null : (
                    <p class="hint">{freeze['description']}</p>
                  )}
                </th>
                <td>{whenText(freeze)}</td>
                <td>
                  {activeNow === null ? (
                    <LabelBadge label={{ symbol: '○', text: 'Not in force', tone: 'neutral' }} />
                  ) : (
                    <LabelBadge
                      label={{ symbol: '❄', text: 'In force', tone: 'warn' }}
                      detail={`until ${formatTime(activeNow.until)}`}
                    />
                  )}
                </td>
                <td>
                  by {createdBy}, {formatTime(createdAt)}
                  {reason === null ? '' : `: “${reason}”`}
                </td>
                {onRemove === null ? null : (
                  <td>
                    <button type="button" disabled={disabled} onClick={() => onRemove(id)}>
                      Remove freeze “{id}”…
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function whenText(freeze: Readonly<Record<string, string>>): string {
  const zone = freeze['timezone'] ?? 'UTC';
  if (freeze['schedule'] !== undefined) {
    return `every “${freeze['schedule']}” for ${freeze['duration'] ?? '?'} (in ${zone})`;
  }
  return `${instantText(freeze['from'])} to ${instantText(freeze['to'])} (defined in ${zone})`;
}

/** A time with its offset reads in the reader's zone; one without is shown as written. */
function instantText(value: string | undefined): string {
  if (value === undefined) {
    return '?';
  }
  return /(Z|[+-]\d\d:\d\d)$/.test(value) ? formatTime(value) : value;
}
