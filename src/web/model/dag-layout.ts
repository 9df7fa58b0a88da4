/**
 * Places a unit of work's tasks for drawing: each task in the layer after its deepest
 * dependency (roots first), layers side by side (horizontal) or one under the other (vertical),
 * each layer centred, its tasks ordered by where their dependencies sit (fewer crossings).
 * Pure, so it is tested without a browser.
 */

export interface DagTask {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

export interface DagGeometry {
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** Between layers. */
  readonly layerGap: number;
  /** Between the tasks of one layer. */
  readonly nodeGap: number;
  readonly orientation: 'horizontal' | 'vertical';
}

export interface PlacedTask {
  readonly id: string;
  readonly layer: number;
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** An SVG path from the dependency to the task that waits for it. */
  readonly path: string;
}

export interface DagLayout {
  readonly nodes: readonly PlacedTask[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

export function layoutDag(tasks: readonly DagTask[], geometry: DagGeometry): DagLayout {
  const layers = orderedLayers(tasks);
  const widest = Math.max(0, ...layers.map((layer) => layer.length));
  const across = geometry.orientation === 'horizontal' ? geometry.nodeHeight : geometry.nodeWidth;
  const along = geometry.orientation === 'horizontal' ? geometry.nodeWidth : geometry.nodeHeight;
  const span = (count: number) => count * across + Math.max(0, count - 1) * geometry.nodeGap;
  const placed = new Map<string, PlacedTask>();
  layers.forEach((layer, depth) => {
    const offset = (span(widest) - span(layer.length)) / 2;
    layer.forEach((id, index) => {
      const a = depth * (along + geometry.layerGap);
      const b = offset + index * (across + geometry.nodeGap);
      placed.set(id, {
        id,
        layer: depth,
        ...(geometry.orientation === 'horizontal' ? { x: a, y: b } : { x: b, y: a }),
      });
    });
  });
  const edges = tasks.flatMap((task) =>
    task.dependsOn.flatMap((dependency) => {
      const from = placed.get(dependency);
      const to = placed.get(task.id);
      return from === undefined || to === undefined
        ? []
        : [{ from: dependency, to: task.id, path: edgePath(from, to, geometry) }];
    }),
  );
  const depth = layers.length;
  const length = depth * along + Math.max(0, depth - 1) * geometry.layerGap;
  return {
    nodes: tasks.flatMap((task) => placed.get(task.id) ?? []),
    edges,
    ...(geometry.orientation === 'horizontal'
      ? { width: length, height: span(widest) }
      : { width: span(widest), height: length }),
  };
}

/** Task ids by layer; within a layer by the mean position of their dependencies, then as given. */
function orderedLayers(tasks: readonly DagTask[]): string[][] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const depth = new Map<string, number>();
  const depthOf = (id: string, visiting: ReadonlySet<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) {
      return known;
    }
    const dependencies = (byId.get(id)?.dependsOn ?? []).filter(
      (d) => byId.has(d) && !visiting.has(d),
    );
    const next = new Set(visiting).add(id);
    const value =
      dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map((d) => depthOf(d, next)));
    depth.set(id, value);
    return value;
  };
  const layers: string[][] = [];
  for (const task of tasks) {
    const layer = depthOf(task.id, new Set());
    (layers[layer] ??= []).push(task.id);
  }
  const position = new Map<string, number>();
  return layers.map((layer) => {
    const weight = (id: string): number => {
      const parents = (byId.get(id)?.dependsOn ?? []).flatMap((d) => position.get(d) ?? []);
      return parents.length === 0 ? 0 : parents.reduce((a, b) => a + b, 0) / parents.length;
    };
    const sorted = layer
      .map((id, given) => ({ id, given, weight: weight(id) }))
      .sort((a, b) => a.weight - b.weight || a.given - b.given)
      .map(({ id }) => id);
    sorted.forEach((id, index) => position.set(id, index));
    return sorted;
  });
}

function edgePath(from: PlacedTask, to: PlacedTask, geometry: DagGeometry): string {
  const { nodeWidth: w, nodeHeight: h } = geometry;
  if (geometry.orientation === 'horizontal') {
    const [x1, y1, x2, y2] = [from.x + w, from.y + h / 2, to.x, to.y + h / 2];
    const middle = (x1 + x2) / 2;
    return `M ${x1} ${y1} C ${middle} ${y1}, ${middle} ${y2}, ${x2} ${y2}`;
  }
  const [x1, y1, x2, y2] = [from.x + w / 2, from.y + h, to.x + w / 2, to.y];
  const middle = (y1 + y2) / 2;
  return `M ${x1} ${y1} C ${x1} ${middle}, ${x2} ${middle}, ${x2} ${y2}`;
}
