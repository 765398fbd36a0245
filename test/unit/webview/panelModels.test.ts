import assert from 'node:assert/strict';
import { buildRunView, reduceRun } from '../../../src/webview/runView';
import type { Box } from '../../../src/webview/graphLayout';
import { layoutGraph, loadDagre } from '../../../src/webview/graphLayout';
import { buildGraphModel } from '../../../src/webview/graphModel';
import { LANE_THRESHOLD, buildTimeline, packLanes } from '../../../src/webview/timelineModel';
import { failureRun, functionCallingRun, liveRun, parallelRun, reactRun, replanRun, stressRun } from '../../webview/runFixtures';

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('graph model', () => {
  it('adds a joiner per round, fed by the round’s unused results', () => {
    const model = buildGraphModel(buildRunView(parallelRun()));
    assert.deepEqual(model.nodes.map((n) => n.key), ['t1', 't2', 't3', 't4', 'j1']);
    assert.deepEqual(
      model.edges.map((e) => `${e.from}>${e.to}:${e.kind}`),
      ['t1>t4:dep', 't2>j1:join', 't3>j1:join', 't4>j1:join'],
    );
    const join = model.nodes.at(-1);
    assert.ok(join?.kind === 'join' && join.state === 'answered');
  });

  it('links a replanned round to the joiner that asked for it', () => {
    const model = buildGraphModel(buildRunView(replanRun()));
    assert.deepEqual(model.rounds, [1, 2]);
    assert.deepEqual(
      model.edges.filter((e) => e.kind === 'replan').map((e) => `${e.from}>${e.to}`),
      ['j1>t3', 'j1>t4'],
    );
    const states = model.nodes.filter((n) => n.kind === 'join').map((n) => (n.kind === 'join' ? n.state : ''));
    assert.deepEqual(states, ['replanned', 'answered']);
  });

  it('chains a ReAct run’s steps', () => {
    const model = buildGraphModel(buildRunView(reactRun()));
    assert.deepEqual(model.edges.map((e) => `${e.from}>${e.to}:${e.kind}`), ['t1>t2:step', 't2>t3:step']);
  });

  it('groups a function-calling run by model turn, each followed by the turn that reads its results', () => {
    const model = buildGraphModel(buildRunView(functionCallingRun()));
    assert.equal(model.roundKind, 'turn');
    assert.deepEqual(model.rounds, [1, 2]);
    assert.deepEqual(
      model.nodes.map((n) => `${n.key}@${n.round}`),
      ['t1@1', 't2@1', 't3@2', 'j1@1', 'j2@2'],
    );
    assert.deepEqual(
      model.edges.map((e) => `${e.from}>${e.to}`),
      ['t1>j1', 't2>j1', 'j1>t3', 't3>j2'],
    );
    const turns = model.nodes.flatMap((n) => (n.kind === 'join' ? [[n.turn, n.state, n.span?.round]] : []));
    assert.deepEqual(turns, [[2, 'done', 2], [3, 'answered', 3]]);
    assert.equal(buildGraphModel(buildRunView(parallelRun())).roundKind, 'round');
  });

  it('changes its signature only when the structure changes', () => {
    const events = liveRun();
    const view = buildRunView(events);
    const a = buildGraphModel(view);
    const b = buildGraphModel(reduceRun(view, { type: 'task-finished', t: 900, id: 1, round: 1, tool: 'search_text', args: '', deps: [], status: 'ok', ms: 5, text: '' }));
    assert.equal(a.signature, b.signature, 'a state change keeps the layout');
    const c = buildGraphModel(reduceRun(view, { type: 'task-planned', t: 901, id: 5, round: 1, tool: 'read_file', args: '$4', deps: [4] }));
    assert.notEqual(a.signature, c.signature);
  });
});

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

describe('timeline model', () => {
  it('orders rows by time: planner, tasks as planned, joiner', () => {
    const timeline = buildTimeline(buildRunView(replanRun()), 2610);
    assert.deepEqual(timeline.rows.map((r) => r.label), ['Planner r1', '#1 search_text', '#2 search_text', 'Joiner r1', 'Planner r2', '#3 read_file', '#4 find_symbol', '#5 read_file', 'Joiner r2']);
    assert.equal(timeline.lanes, false);
    const five = timeline.rows.find((r) => r.key === 't5')!.bars[0];
    assert.deepEqual([five.waitFrom, five.start, five.end, five.state], [1900, 1991, 2150, 'ok']);
  });

  it('names a function-calling run’s model turns and ties each to its node in the graph', () => {
    const timeline = buildTimeline(buildRunView(functionCallingRun()), 1710);
    assert.deepEqual(
      timeline.rows.map((r) => [r.label, r.bars[0]!.key]),
      [
        ['Model turn 1', undefined],
        ['#1 list_files', 't1'],
        ['#2 search_text', 't2'],
        ['Model turn 2', 'j1'],
        ['#3 read_file', 't3'],
        ['Model turn 3', 'j2'],
      ],
    );
  });

  it('grows open bars with the clock and marks tasks that never ran', () => {
    const live = buildTimeline(buildRunView(liveRun()), 800);
    const planner = live.rows[0].bars[0];
    assert.deepEqual([planner.open, planner.end], [true, 800]);
    const waiting = live.rows.find((r) => r.key === 't4')!.bars[0];
    assert.deepEqual([waiting.pending, waiting.waitFrom], [true, 700]);
    const failed = buildTimeline(buildRunView(failureRun()), 1570);
    assert.equal(failed.rows.flatMap((r) => r.bars).filter((b) => b.tick).length, 3);
  });

  it('packs a big run’s tasks into as many lanes as ran at once', () => {
    const view = buildRunView(stressRun(200));
    const timeline = buildTimeline(view, view.stats.wallMs);
    assert.ok(view.nodes.length > LANE_THRESHOLD && timeline.lanes);
    const lanes = timeline.rows.filter((r) => r.key.startsWith('lane'));
    assert.equal(lanes.length, view.stats.maxParallel);
    for (const lane of lanes) {
      const bars = [...lane.bars].sort((a, b) => a.start - b.start);
      bars.slice(1).forEach((b, i) => assert.ok(bars[i].end <= b.start, 'no overlap within a lane'));
    }
    assert.equal(timeline.rows.find((r) => r.key === 'ticks1')?.bars.length, view.stats.tasks.skipped);
  });

  it('packs intervals first-fit', () => {
    const bar = (start: number, end: number) => ({ kind: 'task' as const, start, end, open: false, label: '', title: '' });
    const lanes = packLanes([bar(0, 10), bar(5, 8), bar(10, 12), bar(8, 9)]);
    assert.deepEqual(lanes.map((l) => l.map((b) => [b.start, b.end])), [[[0, 10], [10, 12]], [[5, 8], [8, 9]]]);
  });
});
