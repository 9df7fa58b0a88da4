import type { Task } from '../api/types.js';
import { formatTime } from '../model/format.js';
import { labelFor, TASK_LABELS } from '../model/labels.js';
import { LabelBadge } from './label-badge.js';

/** One task opened from the graph: what it is and every attempt, with errors and output. */
export function TaskDetails({ task, onClose }: { task: Task; onClose: () => void }) {
  return (
    <section class="task-details" aria-labelledby="task-details-heading" data-task-id={task.taskId}>
      <div class="section-head">
        <h3 id="task-details-heading">{task.name}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <LabelBadge label={labelFor(TASK_LABELS, task.status)} />
        </dd>
        <dt>Task</dt>
        <dd>
          <code>{task.taskId}</code> ({task.intent}
          {task.agentId === null ? '' : ` by ${task.agentId}`})
        </dd>
        <dt>After</dt>
        <dd>{task.dependsOn.length === 0 ? 'nothing' : task.dependsOn.join(', ')}</dd>
        {task.nextAttemptAt === null ? null : (
          <>
            <dt>Next attempt</dt>
            <dd>{formatTime(task.nextAttemptAt)}</dd>
          </>
        )}
      </dl>
      {task.attempts.length === 0 ? (
        <p class="empty">No attempt yet.</p>
      ) : (
        <div class="table-scroll">
          <table class="attempts">
            <caption>Attempts</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Result</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {task.attempts.map((attempt) => (
                <tr key={attempt.attempt}>
                  <td>{attempt.attempt}</td>
                  <td>
                    {attempt.status}
                    {attempt.willRetry ? ' (will retry)' : ''}
                  </td>
                  <td>{attempt.startedAt === null ? '–' : formatTime(attempt.startedAt)}</td>
                  <td>{attempt.finishedAt === null ? '–' : formatTime(attempt.finishedAt)}</td>
                  <td class="attempt-error">
                    {attempt.error === null
                      ? '–'
                      : `${attempt.error.message}${attempt.error.code === undefined ? '' : ` (${attempt.error.code})`}${attempt.error.retryable ? '' : ', not retryable'}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {task.output === null ? null : (
        <details>
          <summary>Output</summary>
          <pre>{JSON.stringify(task.output, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}
