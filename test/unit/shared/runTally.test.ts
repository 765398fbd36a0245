import assert from 'node:assert/strict';
import { EMPTY_TALLY, tallyEvent } from '../../../src/shared/runTally';
import type { CompilerEvent, TaskStatus } from '../../../src/shared/runEvents';

const started = (id: number): CompilerEvent => ({ type: 'task-started', t: 0, id, tool: 'grep', resolvedArgs: {} });
const finished = (id: number, status: TaskStatus, ms: number): CompilerEvent => ({
  type: 'task-finished',
  t: 0,
  id,
  round: 1,
  tool: 'grep',
  args: '',
  deps: [],
  status,
  ms,
  text: '',
});
const llmEnd = (inputTokens: number, outputTokens: number, estimated: boolean): CompilerEvent => ({
  type: 'llm-end',
  t: 0,
  call: 1,
  purpose: 'planner',
  round: 1,
  start: 0,
  end: 1,
  inputTokens,
  outputTokens,
  estimated,
});

describe('run tally', () => {
  it('counts tasks by status, their sequential time without reused results, and the most running at once', () => {
    const events = [started(1), started(2), finished(1, 'ok', 100), started(3), finished(2, 'error', 50), finished(3, 'ok', 10), finished(4, 'cached', 70)];
    const tally = events.reduce(tallyEvent, EMPTY_TALLY);
    assert.deepEqual(tally.tasks, { total: 4, ok: 2, error: 1, skipped: 0, cancelled: 0, cached: 1 });
    assert.equal(tally.sequentialToolMs, 160);
    assert.equal(tally.maxParallel, 2);
    assert.deepEqual(tally.running, []);
  });

  it('counts model calls and tokens, estimated if any call was', () => {
    const tally = [llmEnd(100, 10, false), llmEnd(50, 5, true), llmEnd(1, 1, false)].reduce(tallyEvent, EMPTY_TALLY);
    assert.deepEqual([tally.llmCalls, tally.inputTokens, tally.outputTokens, tally.tokensEstimated], [3, 151, 16, true]);
  });

  it('counts read-aheads of the joiner\'s prompt apart from the calls, their tokens in the totals', () => {
    const readAhead: CompilerEvent = { ...llmEnd(900, 1, false), purpose: 'read-ahead' } as CompilerEvent;
    const tally = [llmEnd(100, 10, false), readAhead, llmEnd(1000, 50, false)].reduce(tallyEvent, EMPTY_TALLY);
    assert.deepEqual([tally.llmCalls, tally.readAheads, tally.inputTokens, tally.outputTokens], [2, 1, 2000, 61]);
  });

  it('changes no tally in place and returns it unchanged for events that do not count', () => {
    const before = tallyEvent(EMPTY_TALLY, started(1));
    const copy = structuredClone(before);
    tallyEvent(before, finished(1, 'ok', 5));
    assert.deepEqual(before, copy);
    assert.equal(tallyEvent(before, { type: 'answer-delta', t: 0, text: 'x' }), before);
    assert.equal(tallyEvent(before, started(1)), before, 'a start heard twice counts once');
  });
});
