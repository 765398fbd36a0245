import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { MCP_SERVER_NAME, mcpServerConfig } from '../../../src/vscode/mcpServerConfig';
import { BUILT_CLI, buildCli } from '../../support/builtCli';

describe('Copy MCP Server Config: the mcpServers entry', () => {
  it("runs the extension's CLI with VS Code's own runtime as Node, on the workspace folder and the configured endpoint", () => {
    const config = mcpServerConfig({
      runtimePath: '/usr/share/code/code',
      electron: true,
      cliPath: '/home/u/.vscode/extensions/llm-compiler.llm-compiler-0.1.0/dist/cli.js',
      workspaceFolder: '/home/u/project',
      baseUrl: 'http://localhost:11434/v1',
      model: 'qwen2.5-coder:7b',
    });
    assert.deepEqual(config, {
      mcpServers: {
        'llm-compiler': {
          command: '/usr/share/code/code',
          args: ['/home/u/.vscode/extensions/llm-compiler.llm-compiler-0.1.0/dist/cli.js', 'mcp', '--cwd', '/home/u/project'],
          env: { ELECTRON_RUN_AS_NODE: '1', OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'qwen2.5-coder:7b' },
        },
      },
    });
  });

  it('leaves out what is not set: Electron on a Node runtime, the folder without one, an empty model', () => {
    const config = mcpServerConfig({ runtimePath: '/usr/bin/node', electron: false, cliPath: '/ext/dist/cli.js', baseUrl: 'https://api.openai.com/v1', model: '' });
    assert.deepEqual(config.mcpServers[MCP_SERVER_NAME], {
      command: '/usr/bin/node',
      args: ['/ext/dist/cli.js', 'mcp'],
      env: { OPENAI_BASE_URL: 'https://api.openai.com/v1' },
    });
  });

  describe('as an MCP client starts it (built CLI)', function () {
    this.timeout(60_000);
    let folder: string;

    before(async () => {
      await buildCli();
      folder = await mkdtemp(path.join(tmpdir(), 'llm-compiler-mcp-config-'));
      await writeFile(path.join(folder, 'notes.txt'), 'the only file\n');
    });

    after(async () => {
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it("serves the workspace tools and ask, on the entry's folder", async () => {
      // Node stands in for VS Code's Electron, which ELECTRON_RUN_AS_NODE makes a Node; Node ignores the variable.
      const entry = mcpServerConfig({ runtimePath: process.execPath, electron: true, cliPath: BUILT_CLI, workspaceFolder: folder, baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }).mcpServers[MCP_SERVER_NAME]!;
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('OPENAI_')) env[name] = value;
      const client = new Client({ name: 'mcp-config-test', version: '0.0.0' });
      await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...env, ...entry.env }, stderr: 'ignore' }));
      try {
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === 'ask'), 'ask');
        assert.ok(tools.some((t) => t.name === 'find_files'), 'find_files');
        const found = await client.callTool({ name: 'find_files', arguments: { glob: '*.txt' } });
        const text = (found.content as Array<{ type: string; text: string }>).map((c) => c.text).join('');
        assert.match(text, /notes\.txt/);
      } finally {
        await client.close();
      }
    });
  });
});
