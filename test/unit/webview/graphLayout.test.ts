import assert from 'node:assert/strict';
import { buildRunView, reduceRun } from '../../../src/webview/runView';
import type { Box } from '../../../src/webview/graphLayout';
import { layoutGraph, loadDagre } from '../../../src/webview/graphLayout';
import { buildGraphModel } from '../../../src/webview/graphModel';
import { failureRun, functionCallingRun, parallelRun, reactRun, replanRun, stressRun } from '../../webview/runFixtures';

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('graph layout', () => {
  it('places every node and edge without overlaps, rounds left to right', async () => {
    const dagre = await loadDagre();
    for (const events of [parallelRun(), failureRun(), replanRun(), reactRun(), functionCallingRun(), stressRun(80)]) {
      const model = buildGraphModel(buildRunView(events));
      const layout = layoutGraph(dagre, model);
      assert.equal(layout.nodes.size, model.nodes.length);
      assert.equal(layout.edges.size, model.edges.length);
      const boxes = [...layout.nodes.values()];
      boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => assert.ok(!overlaps(a, b), `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`)));
      for (const b of boxes) assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= layout.width && b.y + b.height <= layout.height);
      for (const e of model.edges.filter((e) => e.kind === 'dep')) assert.ok(layout.nodes.get(e.from)!.x < layout.nodes.get(e.to)!.x, 'dependencies flow rightwards');
    }
    const replan = layoutGraph(dagre, buildGraphModel(buildRunView(replanRun())));
    const [r1, r2] = [replan.clusters.get(1)!, replan.clusters.get(2)!];
    assert.ok(r1.x + r1.width < r2.x);
    assert.ok(replan.nodes.get('j1')!.x < replan.nodes.get('t3')!.x);
    assert.equal(layoutGraph(dagre, buildGraphModel(buildRunView(parallelRun()))).clusters.size, 0, 'one round, no boxes');
    const fc = layoutGraph(dagre, buildGraphModel(buildRunView(functionCallingRun())));
    assert.ok(fc.nodes.get('t1')!.x < fc.nodes.get('j1')!.x && fc.nodes.get('j1')!.x < fc.nodes.get('t3')!.x, 'turns run left to right');
  });

  it('re-lays out only the group a new task joins', async () => {
    const dagre = await loadDagre();
    const cache = new Map();
    const view = buildRunView(parallelRun());
    layoutGraph(dagre, buildGraphModel(view), cache);
    const before = new Map(cache);
    const grown = reduceRun(view, { type: 'task-planned', t: 3000, id: 5, round: 1, tool: 'read_file', args: '$2', deps: [2] });
    layoutGraph(dagre, buildGraphModel(grown), cache);
    const kept = [...cache].filter(([k, v]) => before.get(k) === v).map(([k]) => k);
    assert.deepEqual(kept.sort(), ['t1,t4|1>4', 't3|'], 'the groups of #1 and #3 were reused');
    assert.ok(cache.has('t2,t5|2>5'));
    assert.ok(!cache.has('t2|'), 'gone groups are forgotten');
  });
});
