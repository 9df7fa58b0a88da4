import type { Task } from '../api/types.js';
import { useMediaQuery } from '../app/use-media-query.js';
import { layoutDag, type DagGeometry } from '../model/dag-layout.js';
import { labelFor, TASK_LABELS } from '../model/labels.js';

const WIDE: DagGeometry = {
  nodeWidth: 210,
  nodeHeight: 76,
  layerGap: 48,
  nodeGap: 16,
  orientation: 'horizontal',
};
const NARROW: DagGeometry = {
  nodeWidth: 150,
  nodeHeight: 84,
  layerGap: 32,
  nodeGap: 12,
  orientation: 'vertical',
};

/**
 * A unit of work's tasks as a graph: dependencies on the left (on top on a phone), each task a
 * button (status as symbol and word, colour on top) that opens its attempts.
 */
export function DagView({
  tasks,
  selected,
  onSelect,
}: {
  tasks: readonly Task[];
  selected: string | null;
  onSelect: (taskId: string) => void;
}) {
  const narrow = useMediaQuery('(max-width: 40rem)');
  const geometry = narrow ? NARROW : WIDE;
  const layout = layoutDag(
    tasks.map((task) => ({ id: task.taskId, dependsOn: task.dependsOn })),
    geometry,
  );
  const byId = new Map(tasks.map((task) => [task.taskId, task]));
  return (
    <div class="dag-scroll">
      <div class="dag" style={{ width: `${layout.width}px`, height: `${layout.height}px` }}>
        <svg class="dag-edges" width={layout.width} height={layout.height} aria-hidden="true">
          <defs>
            <marker
              id="dag-arrow"
              viewBox="0 0 8 8"
              refX="8"
              refY="4"
              markerWidth="8"
              markerHeight="8"
              orient="auto"
            >
              <path d="M 0 0 L 8 4 L 0 8 z" />
            </marker>
          </defs>
          {layout.edges.map((edge) => (
            <path
              key={`${edge.from}>${edge.to}`}
              d={edge.path}
              class={`dag-edge status-${byId.get(edge.from)?.status ?? 'pending'}`}
              marker-end="url(#dag-arrow)"
            />
          ))}
        </svg>
        {layout.nodes.map((node) => {
          const task = byId.get(node.id);
          if (task === undefined) {
            return null;
          }
          const label = labelFor(TASK_LABELS, task.status);
          return (
            <button
              key={task.taskId}
              type="button"
              class={`dag-node tone-${label.tone}`}
              data-task-id={task.taskId}
              data-status={task.status}
              aria-pressed={selected === task.taskId}
              aria-label={`${task.name}: ${label.text}${attemptText(task)}${
                task.dependsOn.length === 0 ? '' : `; after ${task.dependsOn.join(', ')}`
              }`}
              style={{
                left: `${node.x}px`,
                top: `${node.y}px`,
                width: `${geometry.nodeWidth}px`,
                height: `${geometry.nodeHeight}px`,
              }}
              onClick={() => onSelect(task.taskId)}
            >
              <span class="dag-node-name">{task.name}</span>
              <span class="dag-node-status">
                <span aria-hidden="true">{label.symbol}</span> {label.text}
                {attemptText(task)}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}

function attemptText(task: Task): string {
  return task.attemptCount > 1 ? ` (attempt ${task.attemptCount})` : '';
}
