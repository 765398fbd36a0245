import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Session } from '../../../src/host/session';
import { ToolGate, gatedToolSource } from '../../../src/host/toolGate';
import { CompilerServer } from '../../../src/mcp/compilerServer';
import { INPUT_END_GRACE_MS } from '../../../src/mcp/mcpCommand';
import type { ModelClient } from '../../../src/shared/modelContract';
import type { Tool } from '../../../src/shared/toolContract';
import { fakeTool } from '../../support/fakeTools';
import { MCP_OPENING, runMcpInProcess } from '../../support/mcpInProcess';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { createScriptedModel } from '../../support/scriptedModel';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';

/** A tool that counts how many of its calls run at once, each until `release` is called. */
function countingTool(name: string) {
  const state = { running: 0, most: 0, started: 0 };
  const waiting: Array<() => void> = [];
  const tool: Tool = {
    ...fakeTool(name),
    async run(args) {
      state.running++;
      state.started++;
      state.most = Math.max(state.most, state.running);
      await new Promise<void>((resolve) => waiting.push(resolve));
      state.running--;
      return { text: `${name}:${String(args.query)}` };
    },
  };
  const releaseAll = () => waiting.splice(0).forEach((r) => r());
  return { tool, state, releaseAll };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), 'the condition held in time');
};

describe('ToolGate', () => {
  it('lets `limit` through, the rest in their order, and drops a waiter whose signal aborts', async () => {
    const gate = new ToolGate(2);
    const order: number[] = [];
    const a = await gate.acquire(new AbortController().signal);
    const b = await gate.acquire(new AbortController().signal);
    assert.equal(gate.full, true);
    const leaving = new AbortController();
    const c = gate.acquire(new AbortController().signal).then((r) => (order.push(3), r));
    const d = gate.acquire(leaving.signal).then(() => order.push(4), (e: Error) => order.push(-4) && e);
    const e = gate.acquire(new AbortController().signal).then((r) => (order.push(5), r));
    assert.equal(gate.waiting, 3);
    leaving.abort();
    await d;
    assert.equal(gate.waiting, 2);
    a();
    a(); // twice: released once
    (await c)();
    b();
    (await e)();
    assert.deepEqual(order, [-4, 3, 5]);
    assert.equal(gate.full, false);
    assert.equal(gate.waiting, 0);
  });
});

/** A server whose session runs `tool` under `gate`, with `model`, and a client connected to it in memory. */
async function connectGated(tool: Tool, gate: ToolGate, model: ModelClient) {
  const session = new Session({ sources: [gatedToolSource({ name: 'workspace', tools: () => [tool] }, gate)] });
  const server = new CompilerServer({ name: 't', version: '0', session, roots: ['/tmp'], models: { model }, settings: { taskTimeoutMs: 60_000 }, log: () => undefined, gate });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.server.connect(serverSide);
  const client = new Client({ name: 'c', version: '0' });
  await client.connect(clientSide);
  return { client, close: async () => (await client.close(), await server.close(), await session.close()) };
}

describe('the MCP server: one bound on tool calls for the session', () => {
  it('runs at most --max-concurrency direct calls at once, queues the rest with progress, and answers all', async () => {
    const { tool, state, releaseAll } = countingTool('grep');
    const gate = new ToolGate(3);
    const { client, close } = await connectGated(tool, gate, createScriptedModel(() => [{ wait: new Promise(() => undefined) }]));
    try {
      const progress: Progress[] = [];
      const calls = Array.from({ length: 40 }, (_, i) =>
        client.callTool({ name: 'grep', arguments: { query: `q${i}` } }, undefined, i === 39 ? { onprogress: (p) => progress.push(p), timeout: 60_000 } : { timeout: 60_000 }),
      );
      await until(() => state.started === 3 && gate.waiting === 37);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(state.started, 3, 'the others wait');
      const timer = setInterval(releaseAll, 5);
      const results = await Promise.all(calls);
      clearInterval(timer);
      assert.equal(state.most, 3);
      assert.deepEqual(results.map((r) => (r.content as Array<{ text: string }>)[0]!.text), Array.from({ length: 40 }, (_, i) => `grep:q${i}`));
      assert.deepEqual(progress[0], { progress: 0, total: 1, message: 'queued: 3 tool calls are running, 36 more wait ahead of this one' });
    } finally {
      releaseAll();
      await close();
    }
  });

  it('bounds an ask\'s tasks and direct calls together', async () => {
    const { tool, state, releaseAll } = countingTool('grep');
    const plan = `1. grep("a")\n2. grep("b")\n3. grep("c")\njoin()\n${END_OF_PLAN}`;
    const model = createScriptedModel((_messages, call) => (call === 0 ? plan : 'Thought: done.\nAction: Finish(found)'));
    const { client, close } = await connectGated(tool, new ToolGate(2), model);
    try {
      const direct = Array.from({ length: 5 }, (_, i) => client.callTool({ name: 'grep', arguments: { query: `d${i}` } }));
      const ask = client.callTool({ name: 'ask', arguments: { question: 'Where?' } });
      await until(() => state.started === 2);
      const timer = setInterval(releaseAll, 5);
      await Promise.all([...direct, ask]);
      clearInterval(timer);
      assert.equal(state.started, 8);
      assert.equal(state.most, 2);
    } finally {
      releaseAll();
      await close();
    }
  });
});

describe('llm-compiler mcp: a client that leaves', function () {
  this.timeout(30_000);
  let repo: string;
  let model: OpenAITestServer;
  before(async () => {
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-leaving-')));
  });
  after(async () => {
    await model?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  /** `llm-compiler mcp` in process over two pipes, an ask sent on them. */
  function serve(timing: { inputEndGraceMs?: number } = {}) {
    const mcp = runMcpInProcess(repo, model.url, timing);
    const ask = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: { question: 'Where is add?' } } });
    mcp.stdin.write([...MCP_OPENING, ask].map((l) => `${l}\n`).join(''));
    return mcp;
  }

  it('closing stdout cancels the ask in flight at once (no answer could be read), and the server exits', async () => {
    model = await startOpenAITestServer({ script: () => ({ fault: 'hang' }) });
    const mcp = serve();
    await until(() => model.requests.some((r) => r.chat));
    const closed = Date.now();
    mcp.stdout.destroy();
    assert.equal(await mcp.exit, 0);
    assert.ok(Date.now() - closed < 5_000, `exited ${Date.now() - closed} ms after stdout closed`);
    assert.match(mcp.err(), /the client closed stdout: the calls in flight are cancelled/);
    assert.equal(model.requests.filter((r) => r.chat).length, 1, 'no new model request');
    await model.close();
  });

  it('gives the calls in flight 5 s once stdin has ended', () => {
    assert.equal(INPUT_END_GRACE_MS, 5_000);
  });

  it('closing stdin, as a client shutting the server down does, cancels an ask still in flight after the grace', async () => {
    model = await startOpenAITestServer({ script: () => ({ fault: 'hang' }) });
    // A grace shorter than the 5 s default: what it stands for is the same, waiting it out is not.
    const grace = 500;
    const mcp = serve({ inputEndGraceMs: grace });
    await until(() => model.requests.some((r) => r.chat));
    const ended = Date.now();
    mcp.stdin.end();
    assert.equal(await mcp.exit, 0);
    const ms = Date.now() - ended;
    assert.ok(ms >= grace - 20 && ms < grace + 10_000, `exited ${ms} ms after stdin ended`);
    assert.match(mcp.err(), /input ended 0\.5 s ago: the calls still in flight are cancelled/);
    assert.equal(model.requests.filter((r) => r.chat).length, 1, 'no new model request');
    await model.close();
  });

  it('closing stdin alone lets the ask in flight answer on stdout, then the server exits', async () => {
    const plan = `1. list_dir(".")\njoin()\n${END_OF_PLAN}`;
    model = await startOpenAITestServer({ script: (r) => (r.stop.includes(END_OF_PLAN) ? plan : 'Thought: seen.\nAction: Finish(It is empty.)') });
    const mcp = serve();
    await until(() => model.requests.some((r) => r.chat));
    mcp.stdin.end();
    assert.equal(await mcp.exit, 0);
    const answers = mcp.out().trimEnd().split('\n').map((l) => JSON.parse(l) as { id: number; result?: { content: Array<{ text: string }> } });
    assert.deepEqual(answers.map((a) => a.id), [1, 2]);
    assert.match(answers[1]!.result!.content[0]!.text, /It is empty\./);
  });
});
