import assert from 'node:assert/strict';
import { RunActivity } from '../../../src/surfaces/runActivity';
import type { CompilerEvent } from '../../../src/shared/runEvents';

const started = (id: number): CompilerEvent => ({ t: 0, type: 'task-started', id, tool: 'grep', resolvedArgs: {} });
const finished = (id: number): CompilerEvent => ({ t: 0, type: 'task-finished', id, round: 1, tool: 'grep', args: '', deps: [], status: 'ok', ms: 1, text: '' });

describe('run activity', () => {
  it('counts running tasks and says what the run does between them', () => {
    const a = new RunActivity();
    assert.ok(a.idle);
    a.apply('r1', { t: 0, type: 'run-start', runId: 'r1', question: 'q', mode: 'compiler', model: 'm', tools: [] });
    assert.equal(a.describe(), 'starting');
    a.apply('r1', { t: 0, type: 'plan-start', round: 1 });
    assert.equal(a.describe(), 'planning');
    a.apply('r1', started(1));
    a.apply('r1', started(2));
    a.apply('r1', started(3));
    assert.equal(a.describe(), '3 tasks running');
    a.apply('r1', finished(1));
    a.apply('r1', finished(2));
    a.apply('r1', finished(3));
    a.apply('r1', { t: 0, type: 'join-start', round: 1 });
    assert.equal(a.describe(), 'writing the answer');
    assert.equal(a.latestRunId, 'r1');
    a.apply('r1', { t: 0, type: 'run-end', outcome: 'answered', llmCalls: 0, inputTokens: 0, outputTokens: 0, tokensEstimated: false, wallMs: 0, rounds: 1, tasks: { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 }, sequentialToolMs: 0, maxParallel: 0, calls: [] });
    assert.ok(a.idle);
  });

  it('adds up several runs, and forgets a run on request', () => {
    const a = new RunActivity();
    a.apply('r1', started(1));
    a.apply('r2', started(1));
    assert.equal(a.describe(), '2 runs · 2 tasks running');
    assert.equal(a.latestRunId, 'r2');
    a.forget('r1');
    a.forget('r2');
    assert.ok(a.idle);
  });
});
