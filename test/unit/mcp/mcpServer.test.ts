import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import { createNodeTools } from '../../../src/tools/nodeTools';
import { BUILT_CLI, buildCli, runCli } from '../../support/builtCli';
import { isolatedGitEnv } from '../../support/gitFixture';
import type { McpSession } from '../../support/mcpClient';
import { startMcpServer } from '../../support/mcpClient';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { canInspectProcesses, childrenOf, isAlive, waitFor } from '../../support/processes';
import type { Reply, TestChatRequest } from '../../support/modelServer/testServerScript';
import { skipBecause } from '../../support/skips';

const ANSWER = '`add` is defined in src/math.ts:1 and returns a + b.';

/** Plans by question: the planner sees the question in its last user message. */
const PLANS: Record<string, string> = {
  'Where is add defined?': '1. grep("function add", glob="src/**")\n2. read_file($1)',
  // One plan for both bad arguments: the planner's message for each is its task's own.
  'Bad arguments': '1. grep(patern="add")\n2. grep("add", max_results="lots")',
  'What is the history?': '1. git_log()',
};

function script(request: TestChatRequest): Reply {
  const user = request.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  const question = Object.keys(PLANS).find((q) => user.includes(q));
  if (!question) return { fault: 'server-error' };
  if (request.stop.includes(END_OF_PLAN)) return `Thought: Look it up.\n${PLANS[question]}\njoin()\n${END_OF_PLAN}`;
  return `Thought: The results show it.\nAction: Finish(${ANSWER})`;
}

type TextContent = { type: 'text'; text: string };

function textOf(result: object): string {
  return ((result as { content: TextContent[] }).content ?? []).map((c) => c.text).join('');
}

describe('llm-compiler mcp (built bundle over stdio, loopback model server)', function () {
  this.timeout(60_000);
  let model: OpenAITestServer;
  let repo: string;
  let session: McpSession;

  before(async () => {
    await buildCli();
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-mcp-')));
    await mkdir(path.join(repo, 'src'));
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
    await writeFile(path.join(repo, 'src', 'main.ts'), "import { add } from './math';\nconsole.log(add(1, 2));\n");
    model = await startOpenAITestServer({ script });
    session = await startMcpServer(['--cwd', repo, '--base-url', model.url, '--model', 'test-model']);
  });

  after(async () => {
    await session?.close();
    await model?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  /**
   * `llm-compiler ask QUESTION --json`, run once per question for the tests that compare with it (a CLI process
   * each, so shared); its lines parsed. "Where is add defined?" is first asked before src/math.ts is edited.
   */
  const cliRuns = new Map<string, Promise<Array<Record<string, unknown>>>>();
  function cliAsk(question: string): Promise<Array<Record<string, unknown>>> {
    let run = cliRuns.get(question);
    if (!run) {
      run = runCli(['ask', question, '--json', '--cwd', repo, '--base-url', model.url, '--model', 'test-model']).then((result) =>
        result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
      );
      cliRuns.set(question, run);
    }
    return run;
  }

  /** The planner's view of a plan: the text of each finished task in `llm-compiler ask --json`. */
  async function plannerTexts(question: string): Promise<Map<number, string>> {
    const events = (await cliAsk(question)) as Array<{ type: string; id?: number; text?: string }>;
    return new Map(events.filter((e) => e.type === 'task-finished').map((e) => [e.id!, e.text!]));
  }

  it('lists the twelve workspace tools and ask, all read-only, with the registry\'s names, descriptions and parameters', async () => {
    const { tools } = await session.client.listTools();
    const registry = createNodeTools();
    assert.equal(tools.length, 13);
    assert.deepEqual(tools.map((t) => t.name), [...registry.map((t) => t.name), 'ask']);
    for (const tool of tools) assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
    for (const spec of registry) {
      const listed = tools.find((t) => t.name === spec.name)!;
      assert.equal(listed.description, spec.description);
      assert.deepEqual(Object.keys(listed.inputSchema.properties ?? {}), spec.params.map((p) => p.name));
      assert.deepEqual(listed.inputSchema.required, spec.params.filter((p) => !p.optional).map((p) => p.name));
    }
    const ask = tools.find((t) => t.name === 'ask')!;
    assert.deepEqual(ask.inputSchema.required, ['question']);
    assert.deepEqual(Object.keys(ask.inputSchema.properties ?? {}), ['question', 'mode']);
    assert.equal(ask.outputSchema?.type, 'object');
  });

  it('calls grep and returns the text the planner sees for the same call', async () => {
    const result = await session.client.callTool({ name: 'grep', arguments: { pattern: 'function add', glob: 'src/**' } });
    assert.notEqual(result.isError, true, textOf(result));
    const text = textOf(result);
    assert.match(text, /^src\/math\.ts\n  1: export function add/m);
    assert.equal(text, (await plannerTexts('Where is add defined?')).get(1));
  });

  it('answers a whole question with ask: the answer as text, the --json summary as structured content, progress per task', async () => {
    const progress: Progress[] = [];
    const result = await session.client.callTool({ name: 'ask', arguments: { question: 'Where is add defined?' } }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    assert.notEqual(result.isError, true, textOf(result));
    assert.equal(textOf(result), ANSWER);
    const summary = result.structuredContent as Record<string, unknown>;
    assert.equal(summary.type, 'summary');
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, ANSWER);
    assert.equal(summary.exitCode, 0);
    assert.equal(summary.llmCalls, 2);
    assert.deepEqual(summary.tasks, { total: 2, ok: 2, error: 0, skipped: 0, cancelled: 0, cached: 0 });

    // The same object as the CLI's last --json line, field for field.
    const cliSummary = (await cliAsk('Where is add defined?')).at(-1)!;
    assert.deepEqual(Object.keys(summary).sort(), Object.keys(cliSummary).sort());
    for (const key of ['type', 'outcome', 'answer', 'llmCalls', 'rounds', 'tasks', 'exitCode']) assert.deepEqual(summary[key], cliSummary[key], key);

    assert.deepEqual(progress.map((p) => [p.progress, p.total]), [[1, 2], [2, 2]]);
    assert.match(progress[0]!.message!, /^1\. grep\("function add", glob="src\/\*\*"\) ✓/);
    assert.match(progress[1]!.message!, /^2\. read_file\("src\/math\.ts"\) ✓/);
  });

  it('gives the summary of every mode in the shape its output schema declares, which the client checks', async () => {
    // The SDK's client learns each tool's output schema from the listing, as every client starts with.
    await session.client.listTools();
    for (const mode of ['function-calling', 'react', 'plan-execute']) {
      // The SDK's client validates structured content against the tool's output schema and throws when it differs.
      const result = await session.client.callTool({ name: 'ask', arguments: { question: 'Where is add defined?', mode } });
      assert.notEqual(result.isError, true, `${mode}: ${textOf(result)}`);
      const calls = (result.structuredContent as { calls: Array<{ purpose: string }> }).calls;
      assert.ok(calls.length >= 1, mode);
    }
  });

  it('serves a repeated question\'s calls from the session\'s results, and reads an edited file afresh', async () => {
    const ask = async () => {
      const result = await session.client.callTool({ name: 'ask', arguments: { question: 'Where is add defined?' } });
      assert.notEqual(result.isError, true, textOf(result));
      return (result.structuredContent as { tasks: Record<string, number> }).tasks;
    };
    await ask();
    // Nothing changed since: both calls are answered from the earlier question's results.
    assert.deepEqual(await ask(), { total: 2, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 2 });

    // The joiner's requests: not the planner's, nor a read-ahead of the joiner's prompt (one token).
    const joinerPrompts = () =>
      model.requests.filter((r) => r.chat && !r.chat.stop.includes(END_OF_PLAN) && r.chat.maxTokens !== 1).map((r) => JSON.stringify(r.chat!.messages));
    const before = joinerPrompts().length;
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return b + a; // edited\n}\n');
    assert.deepEqual(await ask(), { total: 2, ok: 2, error: 0, skipped: 0, cancelled: 0, cached: 0 });
    const after = joinerPrompts().slice(before);
    assert.equal(after.length, 1);
    assert.match(after[0]!, /return b \+ a; \/\/ edited/);
  });

  for (const [kind, task, args] of [
    ['misspelled parameter', 1, { patern: 'add' }],
    ['wrong type', 2, { pattern: 'add', max_results: 'lots' }],
  ] as const) {
    it(`returns a bad argument as a tool error with the planner's message (${kind})`, async () => {
      const result = await session.client.callTool({ name: 'grep', arguments: args });
      assert.equal(result.isError, true);
      const expected = (await plannerTexts('Bad arguments')).get(task)!;
      assert.match(expected, /^Error: grep/);
      assert.equal(textOf(result), expected);
    });
  }

  it('returns bad ask arguments and unknown tools as tool errors, and keeps serving', async () => {
    const blank = await session.client.callTool({ name: 'ask', arguments: { question: '  ' } });
    assert.equal(blank.isError, true);
    assert.match(textOf(blank), /question/);
    const mode = await session.client.callTool({ name: 'ask', arguments: { question: 'q', mode: 'fast' } });
    assert.equal(mode.isError, true);
    assert.match(textOf(mode), /^Error: ask: argument "mode" must be equal to one of the allowed values/);
    const missing = await session.client.callTool({ name: 'ask', arguments: {} });
    assert.equal(missing.isError, true);
    assert.equal(textOf(missing), 'Error: ask needs question (ask(question, mode?))');
    const unknown = await session.client.callTool({ name: 'gerp', arguments: { pattern: 'add' } });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /^Error: unknown tool "gerp"\. Did you mean grep\?/);
    const listed = await session.client.listTools();
    assert.equal(listed.tools.length, 13);
  });

  describe('cancellation', () => {
    let stuck: string;
    let stuckSession: McpSession;

    before(async function () {
      if (!canInspectProcesses) skipBecause(this, 'child processes are inspected through Linux /proc');
      // A repository whose HEAD is a named pipe: git blocks reading it until it is killed.
      stuck = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-mcp-stuck-')));
      execFileSync('git', ['init', '-q'], { cwd: stuck, env: isolatedGitEnv() });
      await rm(path.join(stuck, '.git', 'HEAD'));
      execFileSync('mkfifo', [path.join(stuck, '.git', 'HEAD')]);
      stuckSession = await startMcpServer(['--cwd', stuck, '--base-url', model.url, '--model', 'test-model']);
    });

    after(async () => {
      await stuckSession?.close();
      if (stuck) await rm(stuck, { recursive: true, force: true });
    });

    const gitUnder = (pid: number) => childrenOf(pid).find((c) => c.command === 'git')?.pid;

    for (const [name, args] of [
      ['ask', { question: 'What is the history?' }],
      ['git_log', {}],
    ] as const) {
      it(`aborts ${name} when the client cancels, leaving no child process`, async () => {
        const controller = new AbortController();
        const call = stuckSession.client.callTool({ name, arguments: args }, undefined, { signal: controller.signal });
        const settled = call.then(
          () => 'resolved',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        let git: number | undefined;
        assert.ok(await waitFor(() => (git = gitUnder(stuckSession.pid)) !== undefined, 20_000), 'git started under the server');
        controller.abort('the user pressed stop');
        assert.match(await settled, /the user pressed stop|abort/i);
        assert.ok(await waitFor(() => !isAlive(git!), 10_000), 'git is gone');
        assert.ok(await waitFor(() => childrenOf(stuckSession.pid).every((c) => c.command !== 'git' && c.command !== 'rg'), 10_000), 'no child process is left');
        // The server is still there.
        assert.equal((await stuckSession.client.listTools()).tools.length, 13);
      });
    }
  });

  it('answers the requests read before its input ends, then exits', async () => {
    const lines = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'read_file', arguments: { path: 'src/math.ts' } } },
    ];
    const child = spawn(process.execPath, [BUILT_CLI, 'mcp', '--cwd', repo, '--base-url', model.url], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stdin.end(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const code = await new Promise((resolve) => child.once('close', resolve));
    assert.equal(code, 0);
    const responses = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: number; result: { content: TextContent[] } });
    assert.deepEqual(responses.map((r) => r.id), [1, 2]);
    assert.match(responses[1]!.result.content[0]!.text, /^src\/math\.ts \(3 lines\):\n1: export function add/);
  });

  it('stops when the client closes stdin', async () => {
    const extra = await startMcpServer(['--cwd', repo, '--base-url', model.url, '--model', 'test-model']);
    const pid = extra.pid;
    await extra.client.listTools();
    await extra.client.transport!.close();
    assert.ok(await waitFor(() => !isAlive(pid), 10_000), 'the server exited');
    assert.match(extra.stderr(), /serving/);
  });
});
