import assert from 'node:assert/strict';
import { logLine } from '../../../src/surfaces/logLine';

describe('log lines', () => {
  it('writes one line per event, tool output summarised by its size', () => {
    const line = logLine('0123456789abcdef', {
      t: 12.4,
      type: 'task-finished',
      id: 2,
      round: 1,
      tool: 'read_file',
      args: '"src/a.ts"',
      deps: [],
      status: 'ok',
      ms: 30.2,
      text: 'secret-looking file content\nline 2',
      locations: [{ path: '/w/src/a.ts', relPath: 'src/a.ts', line: 1 }],
    });
    assert.equal(line.level, 'info');
    assert.equal(line.text, '[01234567] +12ms task-finished #2 read_file ok 30ms chars=34 locations=1');
    assert.ok(!line.text.includes('\n'));
  });

  it('names the source of an external tool when its task starts', () => {
    const origin = { kind: 'mcp' as const, name: 'github' };
    const line = logLine('0123456789abcdef', { t: 3, type: 'task-started', id: 1, tool: 'mcp_github_get_issue', resolvedArgs: { number: 7 }, origin });
    assert.equal(line.text, '[01234567] +3ms task-started #1 mcp_github_get_issue {"number":7} via MCP server github');
  });

  it('logs failures as errors and answer deltas at trace level', () => {
    assert.equal(logLine('r', { t: 0, type: 'answer-delta', text: 'abc' }).level, 'trace');
    const end = logLine('r', {
      t: 0,
      type: 'run-end',
      outcome: 'failed',
      error: { reason: 'model-auth', message: 'Incorrect API key' },
      llmCalls: 1,
      inputTokens: 10,
      outputTokens: 0,
      tokensEstimated: true,
      wallMs: 5,
      rounds: 1,
      tasks: { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 },
      sequentialToolMs: 0,
      maxParallel: 0,
      calls: [],
    });
    assert.equal(end.level, 'error');
    assert.match(end.text, /failed .* model-auth: Incorrect API key$/);
  });
});
