import assert from 'node:assert/strict';
import { END_OF_PLAN } from '../../../../src/core/plan/stopMarkers';
import { runQuestion } from '../../../../src/core/runQuestion';
import { ToolRegistry } from '../../../../src/core/toolRegistry';
import { createOpenAIModel, isOnThisMachine } from '../../../../src/providers/openaiModel';
import type { ReadAheadChoice } from '../../../../src/providers/openaiModel';
import type { EventOf, RunSummary } from '../../../../src/shared/runEvents';
import type { RunSettings } from '../../../../src/shared/runSettings';
import { fakeTool } from '../../../support/fakeTools';
import type { OpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { RecordedRequest } from '../../../support/modelServer/serverState';
import { startOpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { Reply, TestChatRequest } from '../../../support/modelServer/testServerScript';

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
    // A local server: one request at a time, one slot that keeps its last sequence, slow prompt reading (5,000
    // tokens a second: a read-ahead of ~1,300 tokens takes ~0.25 s, well within the slow task's 0.6 s).
    server = await startOpenAITestServer({
      script,
      slots: 1,
      latency: { ttftBaseMs: 5, prefillMsPerToken: 0.2, tokensPerSecond: 0 },
      prefixCache: { blockTokens: 16, minTokens: 0, entries: 1, keepReplies: true },
    });
  });
  afterEach(async () => server?.close());

  async function ask(warm: ReadAheadChoice, options: { slowMs?: number; signal?: AbortSignal; settings?: Partial<RunSettings> } = {}) {
    const tools = new ToolRegistry([
      fakeTool('fast', { answer: (query) => ({ text: query === 'a' ? LONG : `${query}\n${LONG}` }) }),
      fakeTool('slow', { delayMs: options.slowMs ?? 600, answer: (query) => ({ text: `slow:${query}` }) }),
      fakeTool('step', { delayMs: 30, answer: (query) => ({ text: `step:${query.slice(0, 12)}` }) }),
    ]);
    const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', readAhead: warm, timeoutMs: 60_000 });
    const events: Array<EventOf<'llm-end'>> = [];
    const summary: RunSummary = await runQuestion({
      question: 'Where are a and b?',
      model,
      tools,
      roots: ['/tmp'],
      signal: options.signal,
      ...(options.settings ? { settings: options.settings } : {}),
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
    // The joiner reads from the cache everything the read-ahead sent but the last, partly filled block, and the
    // read-ahead's last tokens, which the joiner's request does not share: the end of its message and the reply's
    // start (4 tokens as the server counts them), and the token at the cut, which the rest may extend.
    const warmTokens = warm.schedule!.promptTokens;
    const unshared = 4 + 1;
    assert.ok(joiner.schedule!.cachedTokens >= warmTokens - unshared - 16, `${joiner.schedule!.cachedTokens} of ${warmTokens} cached`);
    assert.ok(joiner.index > warm.index);
    assert.ok(events.some((e) => e.purpose === 'read-ahead' && e.outcome === 'ok' && e.outputTokens <= 1));
    // Counted apart from the calls that wrote something the run used.
    assert.equal(summary.llmCalls, 2);
    assert.equal(summary.readAheads, 1);
  });

  /** Every read-ahead's request is the joiner's of its round up to where it stops. */
  function assertPrefixes(chats: Array<RecordedRequest & { chat: TestChatRequest }>) {
    const joiners = chats.filter((r) => !isPlanner(r.chat) && !isWarmUp(r.chat));
    let checked = 0;
    for (const warm of chats.filter((r) => isWarmUp(r.chat))) {
      const joiner = joiners.find((j) => j.index > warm.index)!;
      assert.deepEqual(warm.chat.messages.slice(0, -1), joiner.chat.messages.slice(0, -1));
      const partial = warm.chat.messages.at(-1)!.content;
      assert.ok(joiner.chat.messages.at(-1)!.content.startsWith(partial), `not a prefix:\n${partial.slice(0, 300)}`);
      checked++;
    }
    return checked;
  }

  it('reads ahead in a later round too, as a prefix of that round\'s joiner, earlier rounds\' results included', async () => {
    let joins = 0;
    server.setScript((request: TestChatRequest) => {
      if (isPlanner(request)) {
        const round2 = request.messages.some((m) => m.content.includes('Earlier rounds'));
        // The slow task first: the read-ahead starts with none of this round's results in.
        return round2 ? `3. slow("d")\n4. fast("c")\njoin()\n${END_OF_PLAN}` : PLAN;
      }
      if (isWarmUp(request)) return ANSWER;
      return ++joins === 1 ? 'Action: Replan(need c and d)' : ANSWER;
    });
    const { summary, chats } = await ask('on');
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.rounds, 2);
    const warmUps = chats.filter((r) => isWarmUp(r.chat));
    assert.ok(warmUps.some((w) => w.chat.messages.at(-1)!.content.includes('Round 2:')), 'a read-ahead in round 2');
    assert.equal(assertPrefixes(chats), warmUps.length);
  });

  it('sends a later task\'s result while an earlier one still runs, the results in the order they finished', async () => {
    // The slow task first: in task order nothing after it could be sent until it ends.
    server.setScript((request: TestChatRequest) => (isPlanner(request) ? `1. slow("b")\n2. fast("a")\njoin()\n${END_OF_PLAN}` : ANSWER));
    const { summary, chats } = await ask('on');
    assert.equal(summary.outcome, 'answered');
    const warmUps = chats.filter((r) => isWarmUp(r.chat));
    assert.equal(warmUps.length, 1, 'the fast result read ahead while the slow task runs');
    const partial = warmUps[0]!.chat.messages.at(-1)!.content;
    assert.match(partial, /value59/);
    assert.doesNotMatch(partial, /slow:b/);
    assert.equal(assertPrefixes(chats), 1);
    const joiner = chats.find((r) => !isPlanner(r.chat) && !isWarmUp(r.chat))!.chat.messages.at(-1)!.content;
    assert.ok(joiner.indexOf('value59') < joiner.indexOf('slow:b'), 'task 2, which finished first, comes first');
  });

  it('sends only results that will stay whole when the rest is in, so over the budget it stays a prefix', async () => {
    // 2,400 characters for all results: while the slow one may still need its full 6,000, the first result
    // (~2,400 characters) gets a share of 1,200 and might be cut, so nothing is certain until the end.
    const over = await ask('on', { settings: { joinerResultTokens: 600 } });
    assert.equal(over.summary.outcome, 'answered');
    assert.equal(over.chats.filter((r) => isWarmUp(r.chat)).length, 0);
    // With room for every result, the first is sent ahead as it will be read.
    const roomy = await ask('on', { settings: { joinerResultTokens: 12_000 } });
    assert.ok(roomy.chats.filter((r) => isWarmUp(r.chat)).length >= 1);
    assertPrefixes(roomy.chats);
  });

  it('does not hold the answer for a read-ahead the server never answers', async () => {
    // Several slots, so the joiner is not queued behind it on the server.
    server.setSlots(undefined);
    server.setScript((request: TestChatRequest) => (isWarmUp(request) ? { fault: 'hang' } : script(request)));
    // A short grace: the product's 10 s would only make the test wait.
    const { summary, events } = await ask('on', { settings: { readAheadGraceMs: 300 } });
    assert.equal(summary.outcome, 'answered');
    assert.ok(summary.wallMs < 40_000, `${summary.wallMs} ms: within the grace, far from the 60 s request timeout`);
    assert.ok(events.some((e) => e.purpose === 'read-ahead' && e.outcome === 'cancelled'));
    await server.waitFor((requests) => requests.every((r) => r.end !== undefined));
  });

  it('reads the joiner\'s prompt with fewer uncached tokens than without the read-ahead', async () => {
    const on = await ask('on');
    const onJoiner = on.chats.find((r) => !isPlanner(r.chat) && !isWarmUp(r.chat))!.schedule!;
    await server.close();
    server = await startOpenAITestServer({
      script,
      slots: 1,
      latency: { ttftBaseMs: 5, prefillMsPerToken: 0.2, tokensPerSecond: 0 },
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

  it('sends nothing ahead while the tools keep bringing results, since waiting for it would only add to the answer', async () => {
    // A chain of quick lookups after the first result: each ends within the quiet time of the one before.
    server.setScript((request: TestChatRequest) =>
      isPlanner(request) ? `1. fast("a")\n2. step("$1")\n3. step("$2")\n4. step("$3")\njoin()\n${END_OF_PLAN}` : ANSWER,
    );
    const { chats, summary } = await ask('on');
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.tasks.ok, 4);
    assert.equal(chats.filter((r) => isWarmUp(r.chat)).length, 0);
  });

  it('answers all the same when the server fails the read-ahead', async () => {
    server.setScript((request: TestChatRequest) => (isWarmUp(request) ? { fault: 'server-error', status: 500 } : script(request)));
    const { summary, events } = await ask('on');
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, 'Both are in src/values.ts:1.');
    assert.ok(events.some((e) => e.purpose === 'read-ahead' && e.outcome === 'failed'));
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
      assert.equal(createOpenAIModel({ baseURL: url, model: 'm' }).readsAhead, true, url);
    }
    for (const url of ['https://api.openai.com/v1', 'http://192.168.1.5:11434/v1', 'http://localhost.example.com/v1', 'not a url']) {
      assert.equal(isOnThisMachine(url), false, url);
    }
    assert.equal(createOpenAIModel({ baseURL: 'https://api.openai.com/v1', model: 'm' }).readsAhead, false);
    assert.equal(createOpenAIModel({ baseURL: 'https://api.openai.com/v1', model: 'm', readAhead: 'on' }).readsAhead, true);
    assert.equal(createOpenAIModel({ baseURL: 'http://localhost:11434/v1', model: 'm', readAhead: 'off' }).readsAhead, false);
  });
});
