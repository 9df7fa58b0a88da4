import { useState } from 'preact/hooks';
import type { UnitOfWork } from '../api/types.js';
import { humanize } from '../model/format.js';
import { DagView } from './dag-view.js';
import { TaskDetails } from './task-details.js';

/** The journey's current unit of work: its status, its task graph, and the task opened. */
export function UnitOfWorkView({ unit }: { unit: UnitOfWork | null }) {
  const [selected, setSelected] = useState<string | null>(null);
  if (unit === null) {
    return (
      <section aria-labelledby="unit-heading">
        <h2 id="unit-heading">Unit of work</h2>
        <p class="empty">No unit of work runs in this stage.</p>
      </section>
    );
  }
  const done = unit.tasks.filter((task) => task.status === 'succeeded').length;
  const task = unit.tasks.find((t) => t.taskId === selected) ?? null;
  return (
    <section
      aria-labelledby="unit-heading"
      class="unit"
      data-work-id={unit.workId}
      data-status={unit.status}
    >
      <h2 id="unit-heading">
        Unit of work: {unit.purpose} of {humanize(unit.stage).toLowerCase()}
      </h2>
      <p class="unit-status">
        <strong>{humanize(unit.status)}</strong>: {done} of {unit.tasks.length} tasks succeeded
        {unit.failedTaskIds.length === 0 ? '' : `; failed: ${unit.failedTaskIds.join(', ')}`}
        {unit.blockedTaskIds.length === 0 ? '' : `; blocked: ${unit.blockedTaskIds.join(', ')}`}
        {unit.cancelReason === null ? '' : `; cancelled: ${unit.cancelReason}`}. Select a task to
        see its attempts.
      </p>
      <DagView
        tasks={unit.tasks}
        selected={selected}
        onSelect={(id) => setSelected(id === selected ? null : id)}
      />
      {task === null ? null : <TaskDetails task={task} onClose={() => setSelected(null)} />}
    </section>
  );
}
