import assert from 'node:assert/strict';
import { OpenAI } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startOpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import type { OpenAITestServerOptions } from '../../../support/modelServer/serverState';

const SYSTEM = { role: 'system' as const, content: 'You read code and answer precisely. '.repeat(100) };
const ask = (question: string): ChatCompletionMessageParam[] => [SYSTEM, { role: 'user', content: question }];
const CACHE = { blockTokens: 1, minTokens: 0, entries: 4, keepReplies: false };
/** A reply the client can read several chunks of before it ends. */
const LONG_REPLY = 'The parser lives in src/parse.ts and calls the lexer once per line of input. '.repeat(4);

interface Streamed {
  text: string;
  cachedTokens?: number;
  /** Milliseconds from sending the request to its first content chunk. */
  firstChunkMs?: number;
}

describe('OpenAI test server: request slots', () => {
  let server: OpenAITestServer;
  let client: OpenAI;
  /** The server's events in the order they happened: "request 0", "admit 0", "end 0", ... */
  let timeline: string[];
  afterEach(async () => {
    await server?.close();
  });

  async function start(options: OpenAITestServerOptions): Promise<void> {
    server = await startOpenAITestServer({
      // Each question gets its own reply, whatever order the slots take them in.
      script: (request) => (request.messages.at(-1)!.content.startsWith('long') ? LONG_REPLY : `Answer to ${request.messages.at(-1)!.content}.`),
      ...options,
    });
    client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    timeline = [];
    for (const kind of ['request', 'admit', 'end'] as const) server.events.on(kind, (r) => timeline.push(`${kind} ${r.index}`));
  }

  async function stream(messages: ChatCompletionMessageParam[], signal?: AbortSignal): Promise<Streamed> {
    const sent = performance.now();
    const chunks = await client.chat.completions.create(
      { model: 'test-model', messages, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    const result: Streamed = { text: '' };
    for await (const chunk of chunks) {
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        result.firstChunkMs ??= performance.now() - sent;
        result.text += content;
      }
      if (chunk.usage) result.cachedTokens = chunk.usage.prompt_tokens_details?.cached_tokens;
    }
    return result;
  }

  const before = (a: string, b: string) => {
    assert.ok(timeline.includes(a) && timeline.includes(b), `${a} and ${b} both happened: ${timeline.join(', ')}`);
    return timeline.indexOf(a) < timeline.indexOf(b);
  };

  it('with one slot, admits a second request only once the first has ended; the queue wait adds to its first token and it hits what the first read', async () => {
    await start({ slots: 1, prefixCache: CACHE, latency: { ttftBaseMs: 150, prefillMsPerToken: 0, tokensPerSecond: 200 } });
    const first = stream(ask('Where is main?'));
    await server.waitFor((rs) => rs[0]?.admittedAt !== undefined);
    // Sent while the first is still in its prefill: an unlimited server would find nothing cached yet.
    const second = stream(ask('Who calls parse?'));
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.text, 'Answer to Where is main?.');
    assert.equal(b.text, 'Answer to Who calls parse?.');
    assert.ok(before('request 1', 'end 0'), `the second arrived while the first ran: ${timeline.join(', ')}`);
    assert.ok(before('end 0', 'admit 1'), `the second waited for the first to end: ${timeline.join(', ')}`);
    const [r0, r1] = server.requests;
    assert.ok(r1!.admittedAt! > r1!.at, 'admitted after it arrived');
    assert.ok(r1!.admittedAt! >= r0!.admittedAt! + r0!.schedule!.ttftMs, 'not before the first had been served');
    assert.ok(b.cachedTokens! > 600, `the system prompt the first read is reused: ${b.cachedTokens}`);
    assert.equal(b.cachedTokens, r1!.schedule!.cachedTokens);
    // A lower bound only: the client waited in the queue and then for its own first token.
    const queued = r1!.admittedAt! - r1!.at;
    assert.ok(b.firstChunkMs! >= queued + r1!.schedule!.ttftMs - 5, `first token after ${b.firstChunkMs} ms, queued ${queued} ms`);
  });

  it('with unlimited slots, admits concurrent requests at once', async () => {
    await start({ latency: { ttftBaseMs: 150, prefillMsPerToken: 0, tokensPerSecond: 200 } });
    const first = stream(ask('Where is main?'));
    await server.waitFor((rs) => rs[0]?.admittedAt !== undefined);
    const second = stream(ask('Who calls parse?'));
    await Promise.all([first, second]);
    assert.ok(before('admit 1', 'end 0'), `both ran at once: ${timeline.join(', ')}`);
    for (const r of server.requests) assert.ok(r.admittedAt! >= r.at && r.admittedAt! - r.at < 1000, `admitted on arrival: ${r.at} → ${r.admittedAt}`);
  });

  it('a queued request whose client gives up leaves the queue without taking a slot', async () => {
    await start({ slots: 1, latency: { ttftBaseMs: 200, prefillMsPerToken: 0, tokensPerSecond: 200 } });
    const first = stream(ask('Where is main?'));
    await server.waitFor((rs) => rs[0]?.admittedAt !== undefined);
    const abort = new AbortController();
    const gaveUp = stream(ask('Who calls parse?'), abort.signal);
    await server.waitFor((rs) => rs.length === 2);
    abort.abort();
    await assert.rejects(gaveUp);
    await server.waitFor((rs) => rs[1]!.end !== undefined);
    const third = stream(ask('What does lex return?'));
    const [a, c] = await Promise.all([first, third]);
    assert.equal(a.text, 'Answer to Where is main?.');
    assert.equal(c.text, 'Answer to What does lex return?.');
    const [, r1, r2] = server.requests;
    assert.equal(r1!.end, 'client-closed');
    assert.equal(r1!.admittedAt, undefined, 'never admitted');
    assert.equal(r1!.reply, undefined, 'never answered');
    assert.ok(r2!.admittedAt !== undefined && before('end 0', 'admit 2'), `the next one took the slot: ${timeline.join(', ')}`);
    assert.ok(!timeline.includes('admit 1'));
  });

  it('a client that closes mid-stream frees the slot, and a hung request holds it until its client gives up', async () => {
    await start({ slots: 1, latency: { ttftBaseMs: 0, prefillMsPerToken: 0, tokensPerSecond: 20 } });
    const abort = new AbortController();
    const chunks = await client.chat.completions.create(
      { model: 'test-model', messages: ask('long one'), stream: true },
      { signal: abort.signal },
    );
    const waiting = stream(ask('Who calls parse?'));
    // The client ends its iteration quietly when aborted.
    for await (const chunk of chunks) if (chunk.choices[0]?.delta.content) abort.abort();
    assert.equal((await waiting).text, 'Answer to Who calls parse?.');
    assert.equal(server.requests[0]!.end, 'client-closed');
    assert.ok(before('end 0', 'admit 1'), `admitted when the first client closed: ${timeline.join(', ')}`);

    server.setScript([{ fault: 'hang' }, 'After the hang.']);
    const hung = new AbortController();
    const hanging = stream(ask('hang'), hung.signal);
    await server.waitFor((rs) => rs[2]?.admittedAt !== undefined);
    const after = stream(ask('next'));
    await server.waitFor((rs) => rs.length === 4);
    assert.equal(server.requests[3]!.admittedAt, undefined, 'waits behind the hung request');
    hung.abort();
    await assert.rejects(hanging);
    assert.equal((await after).text, 'After the hang.');
    assert.ok(before('end 2', 'admit 3'), timeline.join(', '));
  });

  it('setSlots changes how many run at once; a freed slot takes up the longest-waiting request first', async () => {
    await start({ slots: 1, latency: { ttftBaseMs: 100, prefillMsPerToken: 0, tokensPerSecond: 200 } });
    const first = stream(ask('a'));
    await server.waitFor((rs) => rs[0]?.admittedAt !== undefined);
    const second = stream(ask('b'));
    await server.waitFor((rs) => rs.length === 2);
    const third = stream(ask('c'));
    await server.waitFor((rs) => rs.length === 3);
    await Promise.all([first, second, third]);
    assert.ok(before('end 0', 'admit 1') && before('end 1', 'admit 2'), `one at a time, in order of arrival: ${timeline.join(', ')}`);

    server.setSlots(undefined);
    timeline.length = 0;
    await Promise.all([stream(ask('d')), stream(ask('e'))]);
    assert.ok(before('admit 3', 'end 4') && before('admit 4', 'end 3'), `both at once: ${timeline.join(', ')}`);
    assert.throws(() => server.setSlots(0), RangeError);
  });

  describe('prefix cache', () => {
    it('keeps a prompt once its prefill is done: a request arriving during it reads everything again, one after it hits', async () => {
      await start({ prefixCache: CACHE, latency: { ttftBaseMs: 200, prefillMsPerToken: 0, tokensPerSecond: 20 } });
      const abort = new AbortController();
      // Resolves once the response headers arrive, which the server sends when it admits the request.
      const open = () => client.chat.completions.create({ model: 'test-model', messages: ask('long one'), stream: true }, { signal: abort.signal });
      const first = await open();
      // Still in its prefill (its first token is 200 ms away): nothing of the identical prompt is reusable yet.
      await open();
      const reading = first[Symbol.asyncIterator]();
      await reading.next();
      // Prefill done, the reply still streaming (it takes seconds).
      await open();
      assert.equal(server.requests[0]!.end, undefined, 'the first reply is still open');
      const cached = server.requests.map((r) => r.schedule!.cachedTokens);
      assert.equal(cached[1], 0, 'arrived during the prefill of the same prompt');
      assert.ok(cached[2]! > 600, `arrived after it: ${cached[2]}`);
      abort.abort();
      await server.waitFor((rs) => rs.every((r) => r.end !== undefined));
    });

    it('the same for non-streaming requests, and a prompt whose client closed during its prefill is not kept', async () => {
      await start({ prefixCache: CACHE, latency: { ttftBaseMs: 150, prefillMsPerToken: 0, tokensPerSecond: 0 } });
      const create = (question: string, signal?: AbortSignal) =>
        client.chat.completions.create({ model: 'test-model', messages: ask(question) }, { signal });
      const gaveUp = new AbortController();
      const closed = create('a', gaveUp.signal);
      await server.waitFor((rs) => rs[0]?.admittedAt !== undefined);
      gaveUp.abort();
      await assert.rejects(closed);
      await server.waitFor((rs) => rs[0]!.end !== undefined);
      const first = create('b');
      await server.waitFor((rs) => rs[1]?.admittedAt !== undefined);
      const during = await create('b');
      const later = await create('b');
      await first;
      const cached = server.requests.map((r) => r.schedule?.cachedTokens);
      assert.equal(cached[1], 0, 'nothing kept from the request closed in its prefill');
      assert.equal(cached[2], 0, 'arrived during the prefill of the same prompt');
      assert.ok(cached[3]! > 600, `after it: ${cached[3]}`);
      assert.equal(later.usage!.prompt_tokens_details!.cached_tokens, cached[3]);
      assert.equal(during.usage!.prompt_tokens_details!.cached_tokens, 0);
    });
  });
});
