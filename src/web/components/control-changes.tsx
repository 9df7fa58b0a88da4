import type { ControlAction, ControlChange } from '../api/control-types.js';
import { formatTime } from '../model/format.js';

const ACTION_TEXT: Readonly<Record<ControlAction, string>> = {
  promotions_paused: 'Stopped the line',
  promotions_resumed: 'Resumed the line',
  freeze_added: 'Added freeze',
  freeze_removed: 'Removed freeze',
};

/** The audit of the fleet controls: the latest changes, newest first, who and why. */
export function ControlChanges({ changes }: { changes: readonly ControlChange[] }) {
  return (
    <section aria-labelledby="changes-heading">
      <h2 id="changes-heading">Latest changes</h2>
      {changes.length === 0 ? (
        <p class="empty">No change yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="control-changes">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change) => (
                <tr
                  key={`${change.at}-${change.action}-${change.subject ?? ''}`}
                  data-action={change.action}
                >
                  <td>{formatTime(change.at)}</td>
                  <td>
                    {ACTION_TEXT[change.action] ?? change.action}
                    {change.subject === null ? '' : ` “${change.subject}”`}
                  </td>
                  <td>{change.actor}</td>
                  <td>{change.reason ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
