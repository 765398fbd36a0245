import assert from 'node:assert/strict';
import { buildRunView } from '../../../src/webview/runView';
import { LANE_THRESHOLD, buildTimeline, packLanes } from '../../../src/webview/timelineModel';
import { failureRun, functionCallingRun, liveRun, replanRun, stressRun } from '../../webview/runFixtures';

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

  it('draws a read-ahead of the joiner\'s prompt as a joiner bar of its own, apart from the join node', () => {
    const events = replanRun();
    // Round 1's first result is in and the plan written: the joiner's prompt so far goes to the server.
    const at = events.findIndex((e) => e.type === 'join-start');
    events.splice(at, 0,
      { type: 'llm-start', call: 90, purpose: 'read-ahead', round: 1, t: 790 },
      { type: 'llm-end', call: 90, purpose: 'read-ahead', round: 1, inputTokens: 1700, outputTokens: 1, estimated: false, start: 790, end: 850, outcome: 'ok', t: 850 },
    );
    const timeline = buildTimeline(buildRunView(events), 2610);
    const row = timeline.rows.find((r) => r.label === 'Joiner prompt read ahead r1')!;
    assert.equal(row.kind, 'joiner');
    assert.equal(row.bars[0]!.key, undefined);
    assert.equal(timeline.rows.find((r) => r.label === 'Joiner r1')!.bars[0]!.key, 'j1');
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
