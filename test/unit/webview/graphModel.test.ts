import assert from 'node:assert/strict';
import { buildRunView, reduceRun } from '../../../src/webview/runView';
import { buildGraphModel } from '../../../src/webview/graphModel';
import { functionCallingRun, liveRun, parallelRun, reactRun, replanRun } from '../../webview/runFixtures';

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
