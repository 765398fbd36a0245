import assert from 'node:assert/strict';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import { runQuestion } from '../../../src/core/runQuestion';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import { createOpenAIModel, isOnThisMachine } from '../../../src/providers/openaiModel';
import type { WarmPromptCache } from '../../../src/providers/openaiModel';
import type { EventOf, RunSummary } from '../../../src/shared/types';
import { fakeTool } from '../../support/fakeTools';
import type { OpenAITestServer, RecordedRequest } from '../../support/openaiTestServer';
import { startOpenAITestServer } from '../../support/openaiTestServer';
import type { Reply, TestChatRequest } from '../../support/testServerScript';

// A result long enough to be worth reading ahead: ~300 tokens.
const LONG = Array.from({ length: 60 }, (_, i) => `${i + 1}: export const value${i} = compute(${i});`).join('\n');
const PLAN = `1. fast("a")\n2. slow("b")\njoin()\n${END_OF_PLAN}`;
const ANSWER = 'Action: Finish(Both are in src/values.ts:1.)';

const isPlanner = (r: TestChatRequest) => r.stop.includes(END_OF_PLAN);
const isWarmUp = (r: TestChatRequest) => r.maxTokens === 1;

function script(request: TestChatRequest): Reply {
  if (isPlanner(request)) return PLAN;
  return ANSWER;
}

describe('the joiner\'s prompt read ahead into a local server\'s cache', function () {
  this.timeout(30_000);
  let server: OpenAITestServer;

  beforeEach(async () => {
    // A local server: one request at a time, one slot that keeps its last sequence, slow prompt reading.
    server = await startOpenAITestServer({
      script,
      slots: 1,
      latency: { ttftBaseMs: 5, prefillMsPerToken: 0.5, tokensPerSecond: 0 },
      prefixCache: { blockTokens: 16, minTokens: 0, entries: 1, keepReplies: true },
    });
  });
  afterEach(async () => server?.close());

  async function ask(warm: WarmPromptCache, options: { slowMs?: number; signal?: AbortSignal } = {}) {
    const tools = new ToolRegistry([
      fakeTool('fast', { answer: () => ({ text: LONG }) }),
      fakeTool('slow', { delayMs: options.slowMs ?? 600, answer: () => ({ text: 'slow:b' }) }),
    ]);
    const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', warmPromptCache: warm });
    const events: Array<EventOf<'llm-end'>> = [];
    const summary: RunSummary = await runQuestion({
      question: 'Where are a and b?',
      model,
      tools,
      roots: ['/tmp'],
      signal: options.signal,
      observer: (e) => {
        if (e.type === 'llm-end') events.push(e);
      },
    });
    const chats = server.requests.filter((r): r is RecordedRequest & { chat: TestChatRequest } => r.chat !== undefined);
    return { summary, events, chats };
  }

  it('sends the results in so far while a task still runs, as a prefix of the joiner\'s request, which then reads only the rest', async () => {
    const { summary, events, chats } = await ask('on');
    assert.equal(summary.outcome, 'answered');
    const warmUps = chats.filter((r) => isWarmUp(r.chat));
    const joiner = chats.find((r) => !isPlanner(r.chat) && !isWarmUp(r.chat))!;
    assert.equal(warmUps.length, 1, 'one read-ahead: the first result, while the slow task runs');
    const warm = warmUps[0]!;
    const planner = chats.find((r) => isPlanner(r.chat))!;
    assert.ok(warm.at >= planner.at && warm.index > planner.index, 'sent once the plan is written');
    // The same conversation up to the results, which it holds as far as they were in.
    const warmMessages = warm.chat.messages;
    const joinerMessages = joiner.chat.messages;
    assert.deepEqual(warmMessages.slice(0, -1), joinerMessages.slice(0, -1));
    assert.ok(joinerMessages.at(-1)!.content.startsWith(warmMessages.at(-1)!.content));
    assert.match(warmMessages.at(-1)!.content, /value59/);
    assert.doesNotMatch(warmMessages.at(-1)!.content, /slow:b/);
    // The joiner reads from the cache everything the read-ahead sent but the last, partly filled block.
    const warmTokens = warm.schedule!.promptTokens;
    assert.ok(joiner.schedule!.cachedTokens >= warmTokens - 16, `${joiner.schedule!.cachedTokens} of ${warmTokens} cached`);
    assert.ok(joiner.index > warm.index);
    assert.ok(events.some((e) => e.purpose === 'prefill' && e.outcome === 'ok' && e.outputTokens <= 1));
  });

  it('reads the joiner\'s prompt with fewer uncached tokens than without the read-ahead', async () => {
    const on = await ask('on');
    const onJoiner = on.chats.find((r) => !isPlanner(r.chat) && !isWarmUp(r.chat))!.schedule!;
    await server.close();
    server = await startOpenAITestServer({
      script,
      slots: 1,
      latency: { ttftBaseMs: 5, prefillMsPerToken: 0.5, tokensPerSecond: 0 },
      prefixCache: { blockTokens: 16, minTokens: 0, entries: 1, keepReplies: true },
    });
    const off = await ask('off');
    assert.equal(off.chats.filter((r) => isWarmUp(r.chat)).length, 0);
    const offJoiner = off.chats.find((r) => !isPlanner(r.chat) && !isWarmUp(r.chat))!.schedule!;
    assert.equal(onJoiner.promptTokens, offJoiner.promptTokens, 'the same joiner prompt');
    const uncached = (s: { promptTokens: number; cachedTokens: number }) => s.promptTokens - s.cachedTokens;
    assert.ok(uncached(onJoiner) + 250 < uncached(offJoiner), `${uncached(onJoiner)} against ${uncached(offJoiner)} uncached`);
  });

  it('sends nothing ahead when every result is in by the time the plan is written', async () => {
    const { chats, summary } = await ask('on', { slowMs: 0 });
    assert.equal(summary.outcome, 'answered');
    assert.deepEqual(chats.map((r) => (isPlanner(r.chat) ? 'planner' : isWarmUp(r.chat) ? 'warm' : 'joiner')), ['planner', 'joiner']);
  });

  it('answers all the same when the server fails the read-ahead', async () => {
    server.setScript((request: TestChatRequest) => (isWarmUp(request) ? { fault: 'server-error', status: 500 } : script(request)));
    const { summary, events } = await ask('on');
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, 'Both are in src/values.ts:1.');
    assert.ok(events.some((e) => e.purpose === 'prefill' && e.outcome === 'failed'));
  });

  it('ends with the run when it is cancelled while a read-ahead is in flight', async () => {
    server.setScript((request: TestChatRequest) => (isWarmUp(request) ? { fault: 'hang' } : script(request)));
    const controller = new AbortController();
    server.events.on('admit', (r) => {
      if (r.chat && isWarmUp(r.chat)) setTimeout(() => controller.abort(), 50);
    });
    const { summary, chats } = await ask('on', { signal: controller.signal });
    assert.equal(summary.outcome, 'cancelled');
    await server.waitFor((requests) => requests.every((r) => r.end !== undefined));
    assert.ok(chats.some((r) => isWarmUp(r.chat) && r.end === 'client-closed'));
  });

  it('is on by default for a server on this machine only', () => {
    for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'http://[::1]:1234/v1', 'http://ollama.localhost/v1']) {
      assert.equal(isOnThisMachine(url), true, url);
      assert.equal(createOpenAIModel({ baseURL: url, model: 'm' }).warmsPromptCache, true, url);
    }
    for (const url of ['https://api.openai.com/v1', 'http://192.168.1.5:11434/v1', 'http://localhost.example.com/v1', 'not a url']) {
      assert.equal(isOnThisMachine(url), false, url);
    }
    assert.equal(createOpenAIModel({ baseURL: 'https://api.openai.com/v1', model: 'm' }).warmsPromptCache, false);
    assert.equal(createOpenAIModel({ baseURL: 'https://api.openai.com/v1', model: 'm', warmPromptCache: 'on' }).warmsPromptCache, true);
    assert.equal(createOpenAIModel({ baseURL: 'http://localhost:11434/v1', model: 'm', warmPromptCache: 'off' }).warmsPromptCache, false);
  });
});
