import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { END_OF_PLAN } from '../../../../src/core/plan/stopMarkers';
import { runQuestion } from '../../../../src/core/runQuestion';
import { ToolRegistry } from '../../../../src/core/toolRegistry';
import { ContextCache } from '../../../../src/providers/modelContext';
import { createOpenAIModel } from '../../../../src/providers/openaiModel';
import type { CompilerEvent, RunSummary } from '../../../../src/shared/runEvents';
import type { RunMode } from '../../../../src/shared/modes';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { fakeTool } from '../../../support/fakeTools';
import type { ServerContext } from '../../../support/modelServer/context/contextWindow';
import { startOpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { RecordedRequest } from '../../../support/modelServer/serverState';
import type { Reply, TestChatRequest } from '../../../support/modelServer/testServerScript';

// A 3,000-line file: any one of read_file, grep and outline over it is larger than a 4k context.
const BIG = Array.from({ length: 3000 }, (_, i) => `export function handler${i}(input: string): string {\n  return input + '${i}';\n}`)
  .join('\n')
  .split('\n')
  .slice(0, 3000)
  .join('\n');
const QUESTION = 'What do the handlers in src/big.ts do?';
const PLAN = `1. read_file("src/big.ts")\n2. grep("handler", glob="src/**")\n3. outline("src/big.ts")\n4. slow("x")\njoin()\n${END_OF_PLAN}`;
const FINISH = 'Thought: The file shows it.\nAction: Finish(Each handler appends its number to its input: src/big.ts:1.)';

function script(mode: RunMode): (request: TestChatRequest) => Reply {
  let turns = 0;
  return (request) => {
    if (mode === 'function-calling') {
      if (request.tools.length === 0 || turns++ > 0) return 'Each handler appends its number: src/big.ts:1.';
      return {
        text: '',
        toolCalls: [
          { name: 'read_file', arguments: '{"path":"src/big.ts"}' },
          { name: 'grep', arguments: '{"pattern":"handler","glob":"src/**"}' },
        ],
      };
    }
    if (mode === 'react') {
      const observations = request.messages.filter((m) => m.content.includes('Observation:')).length;
      if (observations === 0 && turns++ === 0) return 'Thought: read it.\nAction: read_file("src/big.ts")';
      if (turns++ === 2) return 'Thought: and grep it.\nAction: grep("handler", glob="src/**")';
      return FINISH;
    }
    return request.stop.includes(END_OF_PLAN) ? PLAN : FINISH;
  };
}

describe('every request fits the context the server reports', function () {
  this.timeout(60_000);
  let server: OpenAITestServer;
  let repo: string;
  // One set of tools for every question, as a session has: each set starts its own language service for outline.
  const tools = new ToolRegistry([...createNodeTools({ include: ['read_file', 'grep', 'outline', 'find_files'] }), fakeTool('slow', { delayMs: 800 })]);

  before(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'llm-compiler-context-'));
    await mkdir(path.join(repo, 'src'));
    await writeFile(path.join(repo, 'src', 'big.ts'), `${BIG}\n`);
    server = await startOpenAITestServer({});
  });
  after(async () => {
    await server?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  async function ask(mode: RunMode, context: ServerContext, reply: (request: TestChatRequest) => Reply = script(mode)) {
    server.setContext(context);
    server.setScript(reply);
    const before = server.requests.length;
    const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', readAhead: 'on', maxRetries: 0, contextCache: new ContextCache() });
    const events: CompilerEvent[] = [];
    const summary: RunSummary = await runQuestion({
      question: QUESTION,
      model,
      tools,
      roots: [repo],
      settings: { mode },
      observer: (e) => events.push(e),
    });
    const chats = server.requests.slice(before).filter((r): r is RecordedRequest & { chat: TestChatRequest } => r.chat !== undefined);
    return { summary, events, chats };
  }

  /** The server's own count: the prompt and the output it may write together within the context. */
  function assertAllFit(chats: Array<RecordedRequest & { chat: TestChatRequest }>, tokens: number) {
    assert.ok(chats.length > 0);
    for (const r of chats) {
      assert.ok(!r.context?.refused, `refused: ${JSON.stringify(r.context)}`);
      assert.ok(r.chat.maxTokens !== undefined, 'max_tokens is always set');
      assert.ok(r.context!.promptTokens + r.chat.maxTokens! <= tokens, `${r.context!.promptTokens} + ${r.chat.maxTokens} > ${tokens}`);
    }
  }

  for (const mode of ['compiler', 'react', 'function-calling'] as const) {
    for (const tokens of [2048, 4096, 8192, 131_072]) {
      it(`${mode} at ${tokens.toLocaleString('en')} tokens: every request is served and the answer comes back`, async () => {
        const { summary, events, chats } = await ask(mode, { kind: 'vllm', tokens });
        assert.equal(summary.outcome, 'answered', JSON.stringify(summary.error));
        assert.equal(summary.context?.tokens, tokens);
        assertAllFit(chats, tokens);
        const purposes = new Set(events.flatMap((e) => (e.type === 'llm-end' ? [e.purpose] : [])));
        if (mode === 'compiler') {
          assert.ok(purposes.has('planner') && purposes.has('joiner'));
          // The question and the plan are never dropped.
          const joiner = chats.find((r) => r.chat.messages.at(-1)!.content.includes('Step 2') || r.chat.messages.some((m) => m.content.includes(PLAN.split('\n')[0]!)))!;
          assert.ok(joiner.chat.messages.some((m) => m.content.includes(QUESTION)));
        }
        const cut = chats.some((r) => r.chat.messages.some((m) => m.content.includes("cut to fit the model's context")));
        // A result shown cut carries a marker, and the run counts it.
        assert.equal(cut, (summary.resultsCut ?? 0) > 0);
        // At 4k the file's results cannot fit whole; at 128k they all do.
        if (tokens <= 4096) assert.ok(cut, 'a result cut with a marker');
        if (tokens > 8192) assert.equal(summary.resultsCut, undefined);
      });
    }
  }

  it('the read-ahead fits too, and stays a prefix of the joiner', async () => {
    // A short result in while a slow task runs: worth sending ahead.
    const plan = `1. read_file("src/big.ts", start_line=1, end_line=30)\n2. slow("x")\njoin()\n${END_OF_PLAN}`;
    const { summary, chats } = await ask('compiler', { kind: 'vllm', tokens: 4096 }, (request) => (request.stop.includes(END_OF_PLAN) ? plan : FINISH));
    assert.equal(summary.outcome, 'answered');
    const warm = chats.filter((r) => r.chat.maxTokens === 1);
    assertAllFit(warm, 4096);
    for (const w of warm) {
      const joiner = chats.find((r) => r.index > w.index && r.chat.maxTokens !== 1)!;
      assert.ok(joiner.chat.messages.at(-1)!.content.startsWith(w.chat.messages.at(-1)!.content));
    }
  });

  it('at 1,024 tokens stops before anything runs, naming the context, the minimum and the fix', async () => {
    const { summary, events, chats } = await ask('compiler', { kind: 'llama.cpp', tokens: 1024 });
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error?.reason, 'context-too-small');
    assert.match(summary.error!.message, /holds 1,024 tokens \(llama\.cpp \/props/);
    assert.match(summary.error!.message, /at least [\d,]+/);
    assert.match(summary.error!.message, /llama-server -c 8192/);
    assert.equal(chats.length, 0, 'no chat request');
    assert.ok(!events.some((e) => e.type === 'task-started'));
  });

  it("against Ollama's default, the run says once that the context is the server's default and how to raise it", async () => {
    const { summary, events, chats } = await ask('compiler', { kind: 'ollama', tokens: 4096 });
    assert.equal(summary.outcome, 'answered');
    const notes = events.filter((e) => e.type === 'context' && e.note);
    assert.equal(notes.length, 1);
    assert.match((notes[0] as { note: string }).note, /OLLAMA_CONTEXT_LENGTH=8192 ollama serve/);
    // Nothing was dropped silently by the server.
    assert.ok(chats.every((r) => !r.context?.dropped));
  });

  it('the set context overrides what the server says', async () => {
    server.setContext({ kind: 'vllm', tokens: 131_072 });
    server.setScript(script('compiler'));
    const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', contextCache: new ContextCache() });
    const summary = await runQuestion({ question: QUESTION, model, tools, roots: [repo], settings: { contextTokens: 4096 } });
    assert.equal(summary.context?.tokens, 4096);
    assert.match(summary.context!.source, /contextTokens/);
  });
});
