import { describe, expect, it } from 'vitest';
import { layoutDag, type DagGeometry } from '../../src/web/model/dag-layout.js';

const WIDE: DagGeometry = {
  nodeWidth: 100,
  nodeHeight: 40,
  layerGap: 20,
  nodeGap: 10,
  orientation: 'horizontal',
};

// The sandbox setup of the default playbook: a diamond.
const DIAMOND = [
  { id: 'create', dependsOn: [] },
  { id: 'connectors', dependsOn: ['create'] },
  { id: 'dataset', dependsOn: ['create'] },
  { id: 'baseline', dependsOn: ['connectors', 'dataset'] },
];

describe('layoutDag', () => {
  it('puts each task one layer after its deepest dependency, layers centred', () => {
    const layout = layoutDag(DIAMOND, WIDE);
    expect(layout.nodes).toEqual([
      { id: 'create', layer: 0, x: 0, y: 25 },
      { id: 'connectors', layer: 1, x: 120, y: 0 },
      { id: 'dataset', layer: 1, x: 120, y: 50 },
      { id: 'baseline', layer: 2, x: 240, y: 25 },
    ]);
    expect(layout.width).toBe(340);
    expect(layout.height).toBe(90);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual([
      'create>connectors',
      'create>dataset',
      'connectors>baseline',
      'dataset>baseline',
    ]);
    expect(layout.edges[0]?.path).toBe('M 100 45 C 110 45, 110 20, 120 20');
  });

  it('stacks layers top to bottom when vertical', () => {
    const layout = layoutDag(DIAMOND, { ...WIDE, orientation: 'vertical' });
    expect(layout.nodes.find((n) => n.id === 'baseline')).toEqual({
      id: 'baseline',
      layer: 2,
      x: 55,
      y: 120,
    });
    expect({ width: layout.width, height: layout.height }).toEqual({ width: 210, height: 160 });
  });

  it('orders a layer by where its dependencies sit, so edges cross less', () => {
    const layout = layoutDag(
      [
        { id: 'a', dependsOn: [] },
        { id: 'b', dependsOn: [] },
        { id: 'after-b', dependsOn: ['b'] },
        { id: 'after-a', dependsOn: ['a'] },
      ],
      WIDE,
    );
    const y = (id: string) => layout.nodes.find((n) => n.id === id)?.y;
    expect(y('after-a')).toBe(y('a'));
    expect(y('after-b')).toBe(y('b'));
  });

  it('draws nothing for an empty unit and ignores dependencies it does not know', () => {
    expect(layoutDag([], WIDE)).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
    const layout = layoutDag([{ id: 'a', dependsOn: ['ghost'] }], WIDE);
    expect(layout.nodes).toEqual([{ id: 'a', layer: 0, x: 0, y: 0 }]);
    expect(layout.edges).toEqual([]);
  });
});
