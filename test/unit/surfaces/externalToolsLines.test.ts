import assert from 'node:assert/strict';
import { externalToolsLines } from '../../../src/surfaces/externalToolsLines';

describe('the lines that say which external tools a session was offered', () => {
  it('per server: what it offers, each tool held back and why; servers left out; --allow-tool patterns that matched nothing', () => {
    const everything = { kind: 'mcp' as const, name: 'everything' };
    const fs = { kind: 'mcp' as const, name: 'fs' };
    assert.deepEqual(
      externalToolsLines({
        type: 'external-tools',
        offered: [
          { name: 'everything_get_sum', origin: everything, tool: 'get-sum' },
          { name: 'fs_write_file', origin: fs, tool: 'write_file', allowedBy: 'fs_*' },
        ],
        heldBack: [{ name: 'everything_toggle_simulated_logging', origin: everything, tool: 'toggle-simulated-logging', reason: 'marked as not read-only (--allow-tool everything_toggle_simulated_logging offers it)' }],
        failed: [{ origin: { kind: 'mcp', name: 'gh' }, message: 'did not start within 30 s' }],
        unmatchedAllows: ['jira_*'],
      }),
      [
        'MCP server "everything" offers everything_get_sum',
        'MCP server "everything" holds back everything_toggle_simulated_logging: marked as not read-only (--allow-tool everything_toggle_simulated_logging offers it)',
        'MCP server "fs" offers fs_write_file (--allow-tool fs_*)',
        'MCP server "gh" left out: did not start within 30 s',
        '--allow-tool jira_* matches no tool',
      ],
    );
  });
});
