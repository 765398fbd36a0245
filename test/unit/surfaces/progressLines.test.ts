import assert from 'node:assert/strict';
import { ProgressLines, formatCall } from '../../../src/surfaces/progressLines';

describe('progress lines', () => {
  it('formats a call with its resolved arguments', () => {
    assert.equal(formatCall('read_file', { path: 'src/a.ts', start_line: 10 }), 'read_file("src/a.ts", start_line=10)');
    assert.match(formatCall('grep', { pattern: 'x'.repeat(200) }), /^grep\("x+…\)$/);
  });

  it('writes one line when a task starts and one when it ends, with the same label', () => {
    const p = new ProgressLines();
    assert.deepEqual(p.lines({ t: 0, type: 'plan-start', round: 1 }), ['Planning…']);
    assert.deepEqual(p.lines({ t: 1, type: 'task-planned', id: 3, round: 1, tool: 'read_file', args: '$1', deps: [1] }), []);
    assert.deepEqual(p.lines({ t: 2, type: 'task-started', id: 3, tool: 'read_file', resolvedArgs: { path: 'src/a.ts' } }), [
      '3. read_file("src/a.ts") …',
    ]);
    const base = { t: 3, type: 'task-finished' as const, id: 3, round: 1, tool: 'read_file', args: '$1', deps: [1], text: '' };
    assert.deepEqual(p.lines({ ...base, status: 'ok', ms: 42 }), ['3. read_file("src/a.ts") ✓ 42 ms']);
    assert.deepEqual(p.lines({ ...base, status: 'error', ms: 5, error: { reason: 'not-found', message: 'No such file: src/a.ts' } }), [
      '3. read_file("src/a.ts") ✗ not-found: No such file: src/a.ts',
    ]);
  });

  it('names the source of an external tool\'s task on its lines', () => {
    const p = new ProgressLines();
    const origin = { kind: 'extension' as const, name: 'acme.lookups' };
    p.lines({ t: 1, type: 'task-planned', id: 1, round: 1, tool: 'acme_find', args: 'query="x"', deps: [], origin });
    assert.deepEqual(p.lines({ t: 2, type: 'task-started', id: 1, tool: 'acme_find', resolvedArgs: { query: 'x' }, origin }), [
      '1. acme_find("x") via extension acme.lookups …',
    ]);
    const base = { type: 'task-finished' as const, round: 1, tool: 'acme_find', args: 'query="x"', deps: [], text: '' };
    assert.deepEqual(p.lines({ ...base, t: 1_003, id: 1, status: 'ok', ms: 1_001 }), ['1. acme_find("x") via extension acme.lookups ✓ 1.0 s']);
    // Skipped before it started: the planned label names it too.
    p.lines({ t: 3, type: 'task-planned', id: 2, round: 1, tool: 'github_issue', args: '$1', deps: [1], origin: { kind: 'mcp', name: 'github' } });
    assert.deepEqual(p.lines({ ...base, t: 4, id: 2, tool: 'github_issue', args: '$1', deps: [1], status: 'skipped', ms: 0 }), [
      '2. github_issue($1) via MCP server github – skipped',
    ]);
  });

  it('says when a result was reused from an earlier question', () => {
    const p = new ProgressLines();
    p.lines({ t: 2, type: 'task-started', id: 3, tool: 'read_file', resolvedArgs: { path: 'src/a.ts' } });
    const base = { t: 3, type: 'task-finished' as const, id: 3, round: 1, tool: 'read_file', args: '$1', deps: [1], text: '', status: 'cached' as const, ms: 1 };
    assert.deepEqual(p.lines({ ...base, cachedFrom: 2, cachedFromRun: 'r1', originalMs: 420 }), [
      '3. read_file("src/a.ts") ✓ reused from an earlier question (task 2, 420 ms then), still valid',
    ]);
  });

  it('labels tasks that never started by their planned arguments', () => {
    const p = new ProgressLines();
    p.lines({ t: 1, type: 'task-planned', id: 4, round: 1, tool: 'outline', args: '$2', deps: [2] });
    const line = p.lines({
      t: 2,
      type: 'task-finished',
      id: 4,
      round: 1,
      tool: 'outline',
      args: '$2',
      deps: [2],
      status: 'skipped',
      ms: 0,
      text: '',
      error: { reason: 'dependency-failed', message: 'Task 2 failed' },
    });
    assert.deepEqual(line, ['4. outline($2) – skipped: Task 2 failed']);
  });

  it('says when the answer is being written and when another round starts', () => {
    const p = new ProgressLines();
    assert.deepEqual(p.lines({ t: 0, type: 'join-start', round: 1 }), ['Writing the answer…']);
    assert.deepEqual(p.lines({ t: 0, type: 'replan', round: 1, reason: 'need the callers' }), ['Another round is needed: need the callers']);
    assert.deepEqual(p.lines({ t: 0, type: 'plan-start', round: 2 }), ['Planning round 2…']);
    assert.deepEqual(p.lines({ t: 0, type: 'answer-delta', text: 'x' }), []);
  });
});
