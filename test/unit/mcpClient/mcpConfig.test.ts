import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fillVariables, readMcpConfig } from '../../../src/mcpClient/mcpConfig';
import { externalToolName } from '../../../src/mcpClient/externalTool';
import { toolGlobs } from '../../../src/mcpClient/toolGlobs';

const VARS = { workspaceFolder: '/work/repo', env: { TOKEN: 'abc', HOME: '/home/u' }, home: '/home/u' };

describe('MCP configuration files', () => {
  it('reads the mcpServers shape of Claude Desktop, Cursor and Claude Code: stdio and http servers', () => {
    const config = readMcpConfig(
      JSON.stringify({
        mcpServers: {
          fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '${workspaceFolder}'], env: { KEY: '${TOKEN}', N: 3 } },
          docs: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } },
          off: { command: 'x', disabled: true },
          rel: { command: 'node', args: ['s.js'], cwd: 'tools' },
        },
      }),
      'a.json',
      VARS,
    );
    assert.ok('entries' in config);
    assert.deepEqual(config.entries, [
      { name: 'fs', file: 'a.json', server: { name: 'fs', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/work/repo'], env: { KEY: 'abc', N: '3' }, cwd: '/work/repo' } },
      { name: 'docs', file: 'a.json', server: { name: 'docs', transport: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer abc' } } },
      { name: 'off', file: 'a.json', problem: 'it is marked "disabled"' },
      { name: 'rel', file: 'a.json', server: { name: 'rel', transport: 'stdio', command: 'node', args: ['s.js'], env: {}, cwd: path.resolve('/work/repo', 'tools') } },
    ]);
  });

  it('reads VS Code\'s mcp.json: comments, trailing commas, "type", inputs present; ${input:…} leaves its server out, saying why', () => {
    const text = `{
  // a comment
  "inputs": [{ "type": "promptString", "id": "key" }],
  "servers": {
    "a": { "type": "stdio", "command": "node", "args": ["\${workspaceFolderBasename}", "\${userHome}"], },
    "b": { "type": "http", "url": "http://127.0.0.1:3000/mcp" },
    "c": { "type": "stdio", "command": "x", "env": { "K": "\${input:key}" } },
    "d": { "type": "sse", "url": "http://x" },
  },
}`;
    const config = readMcpConfig(text, '.vscode/mcp.json', VARS);
    assert.ok('entries' in config);
    const [a, b, c, d] = config.entries;
    assert.deepEqual('server' in a! && a.server.transport === 'stdio' && a.server.args, ['repo', '/home/u']);
    assert.equal('server' in b! && b.server.transport, 'http');
    assert.match('problem' in c! ? c.problem : '', /needs \$\{input:key\}, a value VS Code prompts for, which a command line cannot do; put the value in an environment variable and write \$\{env:NAME\} instead/);
    assert.match('problem' in d! ? d.problem : '', /older SSE transport/);
  });

  it('a file that is not a configuration is a problem for the command line', () => {
    assert.deepEqual(readMcpConfig('{"mcpServers": ', 'x.json', VARS), { problem: 'x.json is not valid JSON (ValueExpected at line 1)' });
    assert.match((readMcpConfig('{"tools": {}}', 'y.json', VARS) as { problem: string }).problem, /neither "mcpServers" .* nor "servers"/);
    assert.match((readMcpConfig('[]', 'z.json', VARS) as { problem: string }).problem, /holds no object/);
  });

  it('fills in variables, and leaves unknown ones as written', () => {
    assert.equal(fillVariables('${env:NOPE}|${NOPE:-dflt}|${unknown:thing}|${workspaceFolder}', VARS), '|dflt|${unknown:thing}|/work/repo');
  });

  it('names tools SERVER_TOOL with other characters replaced, and matches --allow-tool globs on those names', () => {
    assert.equal(externalToolName('everything', 'trigger-long-running-operation'), 'everything_trigger_long_running_operation');
    assert.equal(externalToolName('my.server', 'a/b c'), 'my_server_a_b_c');
    const globs = toolGlobs(['fs_*', 'x?', 'unused']);
    assert.equal(globs.match('fs_write_file'), 'fs_*');
    assert.equal(globs.match('xy'), 'x?');
    assert.equal(globs.match('xyz'), undefined);
    assert.equal(globs.match('afs_x'), undefined);
    assert.deepEqual(globs.unmatched(), ['unused']);
  });
});
