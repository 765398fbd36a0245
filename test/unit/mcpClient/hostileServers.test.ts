import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runQuestion } from '../../../src/core/runQuestion';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import { openMcpServers } from '../../../src/host/mcpServers';
import type { McpServersOptions, McpServersSource } from '../../../src/host/mcpServers';
import { DEFAULT_STARTUP_TIMEOUT_MS } from '../../../src/mcpClient/mcpToolSource';
import { DEFAULT_CONNECTION_LIMITS } from '../../../src/mcpClient/serverConnection';
import type { CompilerEvent, EventOf } from '../../../src/shared/runEvents';
import type { Tool } from '../../../src/shared/toolContract';
import { fixtureServer, startHttpFixture, writeMcpConfig } from '../../support/mcpFixtures';
import type { StdioEntry } from '../../support/mcpFixtures';
import { isAlive, waitFor } from '../../support/processes';
import { createScriptedModel } from '../../support/scriptedModel';

describe('MCP servers that misbehave: the run goes on, nothing is left running', function () {
  this.timeout(60_000);
  let dir: string;
  const opened: McpServersSource[] = [];

  before(async () => {
    dir = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-mcp-hostile-')));
  });
  after(async () => {
    await Promise.all(opened.map((o) => o.source.close?.()));
    await rm(dir, { recursive: true, force: true });
  });

  let configs = 0;
  async function open(servers: Record<string, StdioEntry | { url: string }>, options: Partial<McpServersOptions> = {}): Promise<McpServersSource> {
    const file = await writeMcpConfig(path.join(dir, `mcp-${++configs}.json`), servers);
    const result = await openMcpServers({ configFiles: [file], allow: [], root: dir, env: {}, taken: ['grep', 'read_file'], signal: new AbortController().signal, ...options });
    assert.ok(!('problem' in result), 'problem' in result ? result.problem : '');
    opened.push(result);
    return result;
  }

  async function ask(tools: readonly Tool[], plan: string, taskTimeoutMs = 30_000) {
    const events: CompilerEvent[] = [];
    const summary = await runQuestion({
      question: 'q',
      model: createScriptedModel([`${plan}\njoin()\n<END_OF_PLAN>`, 'Action: Finish(Done.)']),
      tools: new ToolRegistry(tools),
      roots: [dir],
      settings: { maxRounds: 1, taskTimeoutMs },
      observer: (e) => events.push(e),
    });
    const finished = events.filter((e): e is EventOf<'task-finished'> => e.type === 'task-finished').sort((a, b) => a.id - b.id);
    return { summary, finished };
  }

  const toolsOf = async (source: McpServersSource) => [...(await source.source.tools(new AbortController().signal))];

  it('a server that never answers: the task time limit fires and the call is cancelled with notifications/cancelled', async () => {
    const mcp = await open({ slow: fixtureServer('--hang') });
    const tools = await toolsOf(mcp);
    const { finished } = await ask(tools, '1. slow_wait()\n2. slow_lookup(key="k")', 500);
    assert.deepEqual(finished.map((e) => [e.status, e.error?.reason]), [['error', 'timeout'], ['ok', undefined]]);
    assert.match(finished[0]!.error!.message, /slow_wait did not finish within 500 ms/);
    const cancellations = tools.find((t) => t.name === 'slow_cancellations')!;
    let seen = '';
    assert.ok(
      await (async () => {
        for (let i = 0; i < 50; i++) {
          seen = (await cancellations.run({}, { signal: new AbortController().signal, roots: [dir], maxChars: 1000 })).text;
          if (seen !== '(none)') return true;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return false;
      })(),
      'the server was told the request was cancelled',
    );
    assert.match(seen, /^\d+$/, 'one request cancelled');
  });

  it('a server that crashes mid-call: the task fails saying so, with its last words; other tasks go on', async () => {
    const mcp = await open({ crashy: fixtureServer('--crash'), calm: fixtureServer() });
    const pid = mcp.pids.get('crashy')!;
    const { finished } = await ask(await toolsOf(mcp), '1. crashy_crash()\n2. calm_lookup(key="k")\n3. calm_lookup(key=$1)');
    assert.deepEqual(finished.map((e) => e.status), ['error', 'ok', 'skipped']);
    assert.equal(finished[0]!.error!.reason, 'tool-failed');
    assert.match(finished[0]!.error!.message, /MCP server "crashy" stopped during the call: it exited with code 3; its last words: about to crash: the fixture was asked to/);
    assert.match(finished[1]!.text, /k = value of k/);
    assert.ok(!isAlive(pid));
    // Later calls say the server is gone, at once.
    const again = await ask(await toolsOf(mcp), '1. crashy_lookup(key="k")');
    assert.match(again.finished[0]!.error!.message, /MCP server "crashy" is not running: it exited with code 3/);
  });

  it('two tools whose names clash once made plan names, or a name a workspace tool has: a clear problem, nothing left running', async () => {
    const file = await writeMcpConfig(path.join(dir, 'clash.json'), { dup: fixtureServer('--clash') });
    const base = { allow: [], root: dir, env: {}, signal: new AbortController().signal };
    const clash = await openMcpServers({ ...base, configFiles: [file], taken: [] });
    assert.ok('problem' in clash);
    assert.match(clash.problem, /two tools would both be called dup_read_file: one of MCP server "dup", one of MCP server "dup"/);
    const workspace = await writeMcpConfig(path.join(dir, 'clash2.json'), { read: fixtureServer() });
    const taken = await openMcpServers({ ...base, configFiles: [workspace], taken: ['read_notes'] });
    assert.ok('problem' in taken);
    assert.match(taken.problem, /read_notes: one of a workspace tool, one of MCP server "read"/);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('gives a server 30 s to start, and 1 s to exit once its input is closed (again after SIGTERM), unless told otherwise', () => {
    assert.equal(DEFAULT_STARTUP_TIMEOUT_MS, 30_000);
    assert.equal(DEFAULT_CONNECTION_LIMITS.exitGraceMs, 1_000);
  });

  it('a server that does not start in time, or cannot start at all, is left out, named; the others are offered', async () => {
    const mcp = await open(
      { late: fixtureServer('--slow-start', '20000'), missing: { command: path.join(dir, 'no-such-server'), args: [] }, fine: fixtureServer() },
      // Long enough for the fixture server, which answers in about 0.3 s on an idle machine, on a busy one too; the
      // late one, still asleep, ignores its closed input, so a shorter grace before SIGTERM ends it sooner.
      { startupTimeoutMs: 2_000, limits: { exitGraceMs: 200 } },
    );
    assert.deepEqual(mcp.report.failed.map((f) => [f.origin.name, f.message]), [
      ['late', 'did not start within 2 s'],
      ['missing', `could not start "${path.join(dir, 'no-such-server')}": no such program`],
    ]);
    assert.ok(mcp.report.offered.some((t) => t.name === 'fine_lookup'));
    assert.ok(!mcp.pids.has('late'), 'the late server was stopped');
  });

  it('a huge result is cut while it is read, and the task still answers', async () => {
    const mcp = await open({ big: fixtureServer('--huge-result') }, { limits: { maxMessageChars: 50_000 } });
    const { finished } = await ask(await toolsOf(mcp), '1. big_huge(chars=3000000)');
    assert.equal(finished[0]!.status, 'ok');
    assert.ok(finished[0]!.text.length <= 6_000);
    assert.match(finished[0]!.text, /^h+/);
  });

  it('a huge tool list: tools past the message limit are left out, the others offered with short descriptions', async () => {
    const mcp = await open({ many: fixtureServer('--huge-list', '300') }, { limits: { maxMessageChars: 200_000 } });
    const tools = await toolsOf(mcp);
    assert.ok(tools.some((t) => t.name === 'many_lookup'));
    assert.ok(tools.length < 300, `${tools.length} tools`);
    for (const tool of tools) assert.ok(tool.description.length <= 1_024);
  });

  it('a server that ignores the end of its input and SIGTERM is killed when the session closes', async () => {
    const file = await writeMcpConfig(path.join(dir, 'stubborn.json'), { mule: fixtureServer('--stubborn', '--noisy-stderr', '20000') });
    const mcp = await openMcpServers({ configFiles: [file], allow: [], root: dir, env: {}, taken: [], signal: new AbortController().signal, limits: { exitGraceMs: 200 } });
    assert.ok(!('problem' in mcp));
    const pid = mcp.pids.get('mule')!;
    assert.ok(isAlive(pid));
    await mcp.source.close?.();
    assert.ok(await waitFor(() => !isAlive(pid), 2_000), 'killed');
  });

  it('offers a tool not marked read-only only when --allow-tool names it, saying so', async () => {
    const mcp = await open({ notes: fixtureServer() }, { allow: ['notes_write_*', 'nothing_*'] });
    const offered = mcp.report.offered.find((t) => t.name === 'notes_write_note');
    assert.deepEqual(offered, { name: 'notes_write_note', origin: { kind: 'mcp', name: 'notes' }, tool: 'write_note', allowedBy: 'notes_write_*' });
    assert.deepEqual(mcp.report.unmatchedAllows, ['nothing_*']);
    const { finished } = await ask(await toolsOf(mcp), '1. notes_write_note(text="hello")\n2. notes_nested(edits=[{"oldText": "a", "newText": "b"}])\n3. notes_nested(edits=[{"oldText": "a"}])');
    assert.deepEqual(finished.map((e) => e.status), ['ok', 'ok', 'error']);
    assert.match(finished[2]!.error!.message, /notes_nested: argument "edits" at 0 must have required property 'newText'/);
  });

  it('speaks Streamable HTTP to a server given by url', async () => {
    const http = await startHttpFixture('--latency-ms', '50');
    try {
      const mcp = await open({ remote: { url: http.url } });
      const { finished } = await ask(await toolsOf(mcp), '1. remote_lookup(key="a")\n2. remote_lookup(key="b")');
      assert.deepEqual(finished.map((e) => e.text), ['a = value of a', 'b = value of b']);
    } finally {
      await http.stop();
    }
  });

  it('a server of VS Code\'s mcp.json that needs ${input:…} is left out, saying why; variables are filled in', async () => {
    const file = path.join(dir, 'vscode-mcp.json');
    await writeFile(
      file,
      `// VS Code's mcp.json: comments and trailing commas
{
  "inputs": [{ "type": "promptString", "id": "token", "description": "Token", "password": true }],
  "servers": {
    "asks": { "type": "stdio", "command": "node", "args": ["x"], "env": { "TOKEN": "\${input:token}" } },
    "local": { "type": "stdio", "command": "${process.execPath}", "args": ${JSON.stringify(fixtureServer().args)}, "env": { "WHERE": "\${workspaceFolder}" } },
  },
}
`,
    );
    const mcp = await openMcpServers({ configFiles: [file], allow: [], root: dir, env: {}, taken: [], signal: new AbortController().signal });
    assert.ok(!('problem' in mcp), 'problem' in mcp ? mcp.problem : '');
    opened.push(mcp);
    assert.deepEqual(mcp.report.failed.map((f) => f.origin.name), ['asks']);
    assert.match(mcp.report.failed[0]!.message, /not started: it needs \$\{input:token\}, a value VS Code prompts for, which a command line cannot do/);
    assert.ok(mcp.report.offered.some((t) => t.name === 'local_lookup'));
  });
});
