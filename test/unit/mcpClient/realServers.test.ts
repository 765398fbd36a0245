import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { runQuestion } from '../../../src/core/runQuestion';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import { openMcpServers } from '../../../src/host/mcpServers';
import type { McpServersSource } from '../../../src/host/mcpServers';
import { createNodeTools } from '../../../src/tools/nodeTools';
import type { CompilerEvent, EventOf } from '../../../src/shared/runEvents';
import type { Tool } from '../../../src/shared/toolContract';
import { everythingServer, filesystemServer, writeMcpConfig } from '../../support/mcpFixtures';
import { isAlive, waitFor } from '../../support/processes';
import { createScriptedModel } from '../../support/scriptedModel';

const FINISH = 'Action: Finish(Done.)';

/** The tools a server lists, as its installed version lists them. */
async function listedTools(entry: { command: string; args: string[] }, cwd: string): Promise<McpTool[]> {
  const transport = new StdioClientTransport({ command: entry.command, args: entry.args.map((a) => a.replace('${workspaceFolder}', cwd)), cwd, stderr: 'pipe' });
  const client = new Client({ name: 'tests', version: '0' });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

describe('MCP servers nobody here wrote: server-everything and server-filesystem', function () {
  this.timeout(60_000);
  let repo: string;
  let mcp: McpServersSource;
  let tools: Tool[];
  const workspace = createNodeTools();

  before(async () => {
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-mcp-real-')));
    await mkdir(path.join(repo, 'docs'));
    await writeFile(path.join(repo, 'docs', 'a.md'), '# Doc A\nThe answer is 42.\n');
    const config = await writeMcpConfig(path.join(repo, 'mcp.json'), { everything: everythingServer(), fs: filesystemServer() });
    const opened = await openMcpServers({
      configFiles: [config],
      allow: [],
      root: repo,
      env: {},
      taken: workspace.map((t) => t.name),
      signal: new AbortController().signal,
    });
    assert.ok(!('problem' in opened), 'problem' in opened ? opened.problem : '');
    mcp = opened;
    tools = [...(await mcp.source.tools(new AbortController().signal))];
  });

  after(async () => {
    const pids = [...(mcp?.pids.values() ?? [])];
    await mcp?.source.close?.();
    assert.ok(await waitFor(() => pids.every((pid) => !isAlive(pid)), 5_000), 'the servers ended with the source');
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  async function ask(plan: string, toolsUsed: Tool[] = tools) {
    const events: CompilerEvent[] = [];
    const model = createScriptedModel([`${plan}\njoin()\n<END_OF_PLAN>`, FINISH]);
    const summary = await runQuestion({
      question: 'q',
      model,
      tools: new ToolRegistry([...workspace, ...toolsUsed]),
      roots: [repo],
      settings: { maxRounds: 1 },
      observer: (e) => events.push(e),
    });
    const finished = events.filter((e): e is EventOf<'task-finished'> => e.type === 'task-finished').sort((a, b) => a.id - b.id);
    return { summary, events, finished, joiner: model.requests.at(-1)!.messages.at(-1)!.content, planner: model.requests[0]!.messages[0]!.content };
  }

  it('offers exactly the tools the installed servers mark read-only, as SERVER_TOOL, and holds back the rest saying why', async () => {
    const everything = await listedTools(everythingServer(), repo);
    const fs = await listedTools(filesystemServer(), repo);
    const expected = (server: string, listed: McpTool[], readOnly: boolean) =>
      listed.filter((t) => (t.annotations?.readOnlyHint === true) === readOnly).map((t) => `${server}_${t.name.replace(/[^A-Za-z0-9_]/g, '_')}`);
    assert.deepEqual(mcp.report.offered.map((t) => t.name), [...expected('everything', everything, true), ...expected('fs', fs, true)]);
    assert.deepEqual(mcp.report.heldBack.map((t) => t.name), [...expected('everything', everything, false), ...expected('fs', fs, false)]);
    const offered = mcp.report.offered.map((t) => t.name);
    for (const name of ['everything_trigger_long_running_operation', 'everything_get_sum', 'everything_get_structured_content', 'fs_read_text_file', 'fs_list_directory']) {
      assert.ok(offered.includes(name), name);
    }
    const held = new Map(mcp.report.heldBack.map((t) => [t.name, t.reason]));
    for (const name of ['fs_write_file', 'fs_edit_file', 'fs_move_file', 'everything_toggle_simulated_logging']) {
      assert.match(held.get(name) ?? '', new RegExp(`not read-only \\(--allow-tool ${name} offers it\\)`), name);
    }
    assert.deepEqual(mcp.report.failed, []);
    assert.deepEqual(tools.map((t) => t.name), offered);
    for (const tool of tools) assert.deepEqual(tool.origin, { kind: 'mcp', name: tool.name.startsWith('fs_') ? 'fs' : 'everything' });
  });

  it('takes parameters from the input schema and keeps the schema whole', () => {
    const sum = tools.find((t) => t.name === 'everything_get_sum')!;
    assert.deepEqual(sum.params.map((p) => [p.name, p.optional ?? false, p.schema.type]), [['a', false, 'number'], ['b', false, 'number']]);
    const read = tools.find((t) => t.name === 'fs_read_text_file')!;
    assert.deepEqual(read.params.map((p) => [p.name, p.optional ?? false]), [['path', false], ['tail', true], ['head', true]]);
    assert.equal(read.inputSchema?.type, 'object');
    assert.deepEqual(read.inputSchema?.required, ['path']);
  });

  it('runs get-sum, get-structured-content and read_text_file as tasks whose results reach the joiner; $N.field reads structured content', async () => {
    const { finished, joiner, summary } = await ask(
      [
        '1. everything_get_sum(a=2, b=40)',
        '2. everything_get_structured_content(location="Chicago")',
        '3. fs_read_text_file(path="docs/a.md")',
        '4. everything_echo(message="humidity ${2.humidity}")',
        '5. fs_list_directory(path=".")',
      ].join('\n'),
    );
    assert.equal(summary.outcome, 'answered');
    assert.deepEqual(finished.map((e) => [e.tool, e.status]), [
      ['everything_get_sum', 'ok'],
      ['everything_get_structured_content', 'ok'],
      ['fs_read_text_file', 'ok'],
      ['everything_echo', 'ok'],
      ['fs_list_directory', 'ok'],
    ]);
    assert.match(finished[0]!.text, /The sum of 2 and 40 is 42/);
    assert.match(finished[2]!.text, /The answer is 42\./);
    assert.match(finished[3]!.text, /humidity \d+/);
    assert.match(finished[4]!.text, /\[FILE\] mcp\.json/);
    assert.match(finished[4]!.text, /\[DIR\] docs/);
    for (const text of ['The sum of 2 and 40 is 42', 'The answer is 42.', 'Echo: humidity']) assert.ok(joiner.includes(text), text);
  });

  it('names an image and an embedded resource in one line each', async () => {
    const { finished } = await ask('1. everything_get_tiny_image()\n2. everything_get_resource_reference(resourceId=1)');
    assert.match(finished[0]!.text, /^Here's the image you requested:\n\[image: image\/png, [\d.]+ (?:KB|bytes)\]/);
    assert.match(finished[1]!.text, /\[resource: demo:\/\/resource\/dynamic\/text\/1 \(text\/plain\), \d+ characters\]/);
  });

  it('runs different long-running operations side by side; identical calls run once within a run', async () => {
    const { finished, events } = await ask(
      [
        '1. everything_trigger_long_running_operation(duration=1, steps=1)',
        '2. everything_trigger_long_running_operation(duration=1, steps=2)',
        '3. everything_trigger_long_running_operation(duration=1, steps=2)',
      ].join('\n'),
    );
    assert.deepEqual(finished.map((e) => e.status), ['ok', 'ok', 'cached']);
    assert.equal(finished[2]!.cachedFrom, 2);
    const started = new Map(events.filter((e): e is EventOf<'task-started'> => e.type === 'task-started').map((e) => [e.id, e.t]));
    const end = new Map(finished.map((e) => [e.id, e.t]));
    // Each operation takes a second; the two overlap.
    assert.ok(started.get(2)! < end.get(1)! && started.get(1)! < end.get(2)!, 'the two calls overlap');
    for (const e of events) if ((e.type === 'task-planned' || e.type === 'task-started') && e.tool.startsWith('everything_')) assert.deepEqual(e.origin, { kind: 'mcp', name: 'everything' });
  });

  it('checks arguments against the input schema before anything is sent, and rejects a tool held back', async () => {
    const { finished } = await ask('1. everything_get_sum(a="two", b=40)\n2. fs_write_file(path="docs/b.md", content="x")\n3. everything_get_structured_content(location="Paris")');
    assert.deepEqual(finished.map((e) => [e.status, e.error?.reason]), [['error', 'invalid-args'], ['error', 'unknown-tool'], ['error', 'invalid-args']]);
    assert.match(finished[0]!.error!.message, /everything_get_sum: argument "a" must be number/);
    assert.match(finished[1]!.error!.message, /unknown tool "fs_write_file"/);
    assert.match(finished[2]!.error!.message, /argument "location" must be equal to one of the allowed values/);
    for (const e of finished) assert.equal(e.ms, 0, 'nothing ran');
  });

  it('a server error is a failed task, whose dependents are skipped', async () => {
    const { finished } = await ask('1. fs_read_text_file(path="docs/missing.md")\n2. everything_echo(message=$1)');
    assert.equal(finished[0]!.status, 'error');
    assert.equal(finished[0]!.error!.reason, 'tool-failed');
    assert.match(finished[0]!.error!.message, /MCP server "fs" says the call failed: .*ENOENT|no such file/i);
    assert.equal(finished[1]!.status, 'skipped');
  });

  it('function calling is given each external tool\'s own input schema', () => {
    const functions = new ToolRegistry([...workspace, ...tools]).functions();
    const read = functions.find((f) => f.name === 'fs_read_text_file')!;
    assert.equal(read.inputSchema, tools.find((t) => t.name === 'fs_read_text_file')!.inputSchema);
    assert.ok(functions.some((f) => f.name === 'grep'));
  });
});
