import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeGenerator, encode } from 'gpt-tokenizer';
import { countChatTokens } from '../../../../src/providers/tokenCount';
import { startOpenAITestServer } from '../../../support/modelServer/openaiTestServer';
import { promptTokenIds } from '../../../support/modelServer/serving/promptTokens';
import { HOSTED_PROFILE, LOCAL_PROFILE } from '../../../support/modelServer/serving/serverProfiles';
import type { OpenAITestServer, ScriptFile } from '../../../support/modelServer/openaiTestServer';

interface SseResult {
  contents: string[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details?: { cached_tokens: number } };
  done: boolean;
  /** Milliseconds from sending the request to the first content chunk. */
  firstChunkMs?: number;
}

async function streamChat(url: string, body: Record<string, unknown>): Promise<SseResult> {
  const sent = performance.now();
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test-model', stream: true, ...body }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  const result: SseResult = { contents: [], done: false };
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      assert.ok(event.startsWith('data: '), event);
      const data = event.slice('data: '.length);
      if (data === '[DONE]') {
        result.done = true;
        continue;
      }
      const chunk = JSON.parse(data) as {
        object: string;
        choices: Array<{ delta: { content?: string } }>;
        usage?: SseResult['usage'] | null;
      };
      assert.equal(chunk.object, 'chat.completion.chunk');
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        result.firstChunkMs ??= performance.now() - sent;
        result.contents.push(content);
      }
      if (chunk.usage) result.usage = chunk.usage;
    }
  }
  return result;
}

const USER = (content: string) => [{ role: 'user', content }];

describe('OpenAI test server', () => {
  let server: OpenAITestServer;
  afterEach(async () => {
    await server?.close();
  });

  describe('latency model', () => {
    it('schedules time to first token from the prompt size and a fixed token interval', async () => {
      server = await startOpenAITestServer({
        script: () => 'reply',
        latency: { ttftBaseMs: 5, prefillMsPerToken: 0.01, tokensPerSecond: 1000 },
      });
      const short = USER('hi');
      const long = USER('lorem ipsum dolor sit amet '.repeat(200));
      await streamChat(server.url, { messages: short });
      await streamChat(server.url, { messages: long });
      const [a, b] = server.requests.map((r) => r.schedule!);
      assert.equal(a!.promptTokens, countChatTokens(short));
      assert.equal(b!.promptTokens, countChatTokens(long));
      assert.equal(a!.ttftMs, 5 + 0.01 * a!.promptTokens);
      assert.equal(b!.ttftMs, 5 + 0.01 * b!.promptTokens);
      assert.ok(b!.ttftMs > a!.ttftMs + 5);
      assert.equal(a!.tokenIntervalMs, 1);
    });

    it('holds the first token back for at least the scheduled time', async () => {
      server = await startOpenAITestServer({ script: () => 'reply', latency: { ttftBaseMs: 80 } });
      const result = await streamChat(server.url, { messages: USER('hi') });
      // Timers may fire a millisecond early; only a lower bound is asserted.
      assert.ok(result.firstChunkMs! >= 75, `first chunk after ${result.firstChunkMs} ms`);
    });

    it('a reply can carry its own latency', async () => {
      server = await startOpenAITestServer({ script: [{ text: 'slow', latency: { ttftBaseMs: 123 } }, 'fast'] });
      server.setLatency({ ttftBaseMs: 0 });
      await streamChat(server.url, { messages: USER('a') });
      await streamChat(server.url, { messages: USER('b') });
      assert.deepEqual(
        server.requests.map((r) => r.schedule!.ttftMs),
        [123, 0],
      );
    }).timeout(10_000);
  });

  describe('prefix cache', () => {
    const SYSTEM = { role: 'system', content: 'You read code and answer precisely. '.repeat(200) };
    const ask = (question: string) => [SYSTEM, { role: 'user', content: question }];

    it('reports cached_tokens and charges prefill only for the tokens past the cached prefix', async () => {
      server = await startOpenAITestServer({
        script: () => 'ok',
        latency: { ttftBaseMs: 1, prefillMsPerToken: 0.001, tokensPerSecond: 0 },
        prefixCache: { blockTokens: 16, minTokens: 0, entries: 4, keepReplies: false },
      });
      const first = await streamChat(server.url, { messages: ask('Where is main?'), stream_options: { include_usage: true } });
      const second = await streamChat(server.url, { messages: ask('Who calls parse?'), stream_options: { include_usage: true } });
      assert.equal(first.usage!.prompt_tokens_details!.cached_tokens, 0);
      const [a, b] = server.requests.map((r) => r.schedule!);
      assert.equal(a!.cachedTokens, 0);
      assert.ok(b!.cachedTokens > 1300 && b!.cachedTokens % 16 === 0, `cached ${b!.cachedTokens}`);
      assert.ok(b!.promptTokens - b!.cachedTokens < 16 + 20, 'only the question and the tail of a block are read again');
      assert.equal(second.usage!.prompt_tokens_details!.cached_tokens, b!.cachedTokens);
      assert.equal(second.usage!.prompt_tokens, b!.promptTokens);
      assert.equal(b!.ttftMs, 1 + 0.001 * (b!.promptTokens - b!.cachedTokens));
    });

    it('counts the tool definitions and tool calls as prompt tokens, tools first', async () => {
      server = await startOpenAITestServer({ script: () => 'ok', prefixCache: { blockTokens: 1, minTokens: 0, entries: 4, keepReplies: false } });
      const tools = [{ type: 'function', function: { name: 'grep', description: 'Search the files.', parameters: { type: 'object', properties: { pattern: { type: 'string' } } } } }];
      const messages = [
        { role: 'user', content: 'Find main.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'grep', arguments: '{"pattern":"main"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'src/main.ts:1' },
      ];
      await streamChat(server.url, { messages: messages.slice(0, 1), tools });
      await streamChat(server.url, { messages, tools });
      const [a, b] = server.requests.map((r) => r.schedule!);
      assert.equal(a!.promptTokens, promptTokenIds({ messages: messages.slice(0, 1), tools }).length);
      assert.ok(a!.promptTokens > countChatTokens([{ content: 'Find main.' }]) + 15, 'the tool schema is part of the prompt');
      assert.ok(b!.promptTokens > a!.promptTokens + 10, 'the call and its result are too');
      // The first prompt ends priming the reply, as the assistant message of the second begins: all of it is reused.
      assert.equal(b!.cachedTokens, a!.promptTokens);
    });

    it('replaces the cache with an empty one on setPrefixCache', async () => {
      server = await startOpenAITestServer({ script: () => 'ok', prefixCache: { blockTokens: 1, minTokens: 0, entries: 4, keepReplies: false } });
      await streamChat(server.url, { messages: ask('a') });
      server.setPrefixCache({ blockTokens: 1, minTokens: 0, entries: 4, keepReplies: false });
      await streamChat(server.url, { messages: ask('a') });
      assert.equal(server.requests[1]!.schedule!.cachedTokens, 0);
      server.setPrefixCache(undefined);
      const result = await streamChat(server.url, { messages: ask('a'), stream_options: { include_usage: true } });
      assert.equal(result.usage!.prompt_tokens_details, undefined, 'a server without caching says nothing of it');
    });

    it('the two profiles: a hosted cache from 1 024 tokens in 128-token blocks, a local slot that keeps the reply', async () => {
      server = await startOpenAITestServer({ script: () => 'The answer is in src/main.ts:3.', prefixCache: HOSTED_PROFILE.prefixCache });
      const long = ask('Where is main?');
      const short = [{ role: 'system', content: 'Short system prompt.' }, { role: 'user', content: 'Where is main?' }];
      await streamChat(server.url, { messages: short });
      await streamChat(server.url, { messages: short });
      await streamChat(server.url, { messages: long });
      await streamChat(server.url, { messages: [...long, { role: 'assistant', content: 'The answer is in src/main.ts:3.' }, { role: 'user', content: 'And parse?' }] });
      const hosted = server.requests.map((r) => r.schedule!);
      assert.equal(hosted[1]!.cachedTokens, 0, 'below 1 024 tokens nothing is cached');
      assert.equal(hosted[2]!.cachedTokens, 0, 'a new prefix');
      assert.equal(hosted[3]!.cachedTokens % 128, 0);
      assert.ok(hosted[3]!.cachedTokens >= 1024, `a hosted follow-up reuses the long prompt: ${hosted[3]!.cachedTokens}`);
      await server.close();

      server = await startOpenAITestServer({ script: () => 'The answer is in src/main.ts:3.', prefixCache: LOCAL_PROFILE.prefixCache });
      await streamChat(server.url, { messages: long });
      const followUp = [...long, { role: 'assistant', content: 'The answer is in src/main.ts:3.' }, { role: 'user', content: 'And parse?' }];
      await streamChat(server.url, { messages: followUp });
      const local = server.requests.map((r) => r.schedule!);
      const reread = local[1]!.promptTokens - local[1]!.cachedTokens;
      assert.ok(reread < 16 + 12, `the slot held the prompt and the reply: only the new message is read (${reread} tokens)`);
    });
  });

  describe('chat completions', () => {
    it('streams one token per chunk and reports real token counts when usage is asked for', async () => {
      const reply = 'Parallel tool calls: naïve 🦄 planners wait, compilers do not.';
      server = await startOpenAITestServer({ script: [reply] });
      const messages = USER('why?');
      const result = await streamChat(server.url, { messages, stream_options: { include_usage: true } });
      assert.equal(result.contents.join(''), reply);
      assert.deepEqual(result.contents, [...decodeGenerator(encode(reply))]);
      assert.deepEqual(result.usage, {
        prompt_tokens: countChatTokens(messages),
        completion_tokens: encode(reply).length,
        total_tokens: countChatTokens(messages) + encode(reply).length,
      });
      assert.ok(result.done);
    });

    it('sends no usage unless asked, and none at all when configured so', async () => {
      server = await startOpenAITestServer({ script: () => 'x' });
      assert.equal((await streamChat(server.url, { messages: USER('a') })).usage, undefined);
      await server.close();
      server = await startOpenAITestServer({ script: () => 'x', reportUsage: false });
      const result = await streamChat(server.url, { messages: USER('a'), stream_options: { include_usage: true } });
      assert.equal(result.usage, undefined);
    });

    it('cuts the reply before the first stop sequence and honours max_tokens', async () => {
      server = await startOpenAITestServer({ script: () => 'one two <STOP> three' });
      const stopped = await streamChat(server.url, { messages: USER('a'), stop: ['three', '<STOP>'] });
      assert.equal(stopped.contents.join(''), 'one two ');
      const limited = await streamChat(server.url, { messages: USER('a'), max_tokens: 2 });
      assert.equal(limited.contents.length, 2);
    });

    it('answers non-streaming requests with a chat.completion object', async () => {
      server = await startOpenAITestServer({ script: ['Plain answer.'] });
      const response = await fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'test-model', messages: USER('q') }),
      });
      const body = (await response.json()) as {
        object: string;
        choices: Array<{ message: { content: string }; finish_reason: string }>;
        usage: { completion_tokens: number };
      };
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0]!.message.content, 'Plain answer.');
      assert.equal(body.choices[0]!.finish_reason, 'stop');
      assert.equal(body.usage.completion_tokens, encode('Plain answer.').length);
    });

    it('lists its models and rejects others with an OpenAI-shaped 404', async () => {
      server = await startOpenAITestServer({ script: () => 'x', models: ['a-model'] });
      const list = (await (await fetch(`${server.url}/models`)).json()) as { object: string; data: Array<{ id: string }> };
      assert.equal(list.object, 'list');
      assert.deepEqual(list.data.map((m) => m.id), ['a-model']);
      const response = await fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'other', messages: USER('q') }),
      });
      assert.equal(response.status, 404);
      const body = (await response.json()) as { error: { code: string; type: string; message: string } };
      assert.equal(body.error.code, 'model_not_found');
      assert.equal(body.error.type, 'invalid_request_error');
    });

    it('rejects a request that is not JSON with a 400', async () => {
      server = await startOpenAITestServer({ script: () => 'x' });
      const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{not json' });
      assert.equal(response.status, 400);
      assert.ok(((await response.json()) as { error: { message: string } }).error.message);
    });

    it('sends retry-after with a 429', async () => {
      server = await startOpenAITestServer({ script: [{ fault: 'rate-limit', retryAfter: 7 }] });
      const response = await fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'test-model', messages: USER('q') }),
      });
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), '7');
      await response.body?.cancel();
    });
  });

  describe('scripts', () => {
    const post = (url: string, content: string, system = 'You are a planner.') =>
      streamChat(url, { messages: [{ role: 'system', content: system }, ...USER(content)] }).then((r) => r.contents.join(''));

    it('uses the reply queue first, then rules in order, then the fallback', async () => {
      server = await startOpenAITestServer({
        script: {
          replies: ['queued'],
          rules: [
            { system: 'joiner', reply: 'joined' },
            { lastUser: 'parser', reply: ['plan 1', 'plan 2'] },
          ],
          fallback: 'fallback',
        },
      });
      assert.equal(await post(server.url, 'where is the parser?'), 'queued');
      assert.equal(await post(server.url, 'where is the parser?'), 'plan 1');
      assert.equal(await post(server.url, 'where is the parser?'), 'plan 2');
      assert.equal(await post(server.url, 'where is the parser?'), 'plan 2');
      assert.equal(await post(server.url, 'anything', 'You are the joiner.'), 'joined');
      assert.equal(await post(server.url, 'anything'), 'fallback');
    });

    it('answers an unscripted request with a 500 that says so and is not to be retried', async () => {
      server = await startOpenAITestServer({ script: { rules: [] } });
      const response = await fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'test-model', messages: USER('q') }),
      });
      assert.equal(response.status, 500);
      assert.equal(response.headers.get('x-should-retry'), 'false');
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /No scripted reply/);
    });

    it('passes the parsed request and its index to a script function, and records every request', async () => {
      const seen: number[] = [];
      server = await startOpenAITestServer({
        script: (request, index) => {
          seen.push(index);
          return `${request.model}:${request.messages.length}`;
        },
      });
      assert.equal(await post(server.url, 'a'), 'test-model:2');
      server.setScript(['replaced']);
      assert.equal(await post(server.url, 'b'), 'replaced');
      assert.deepEqual(seen, [0]);
      assert.deepEqual(
        server.requests.map((r) => [r.chatIndex, r.chat!.messages[1]!.content, r.end]),
        [
          [0, 'a', 'completed'],
          [1, 'b', 'completed'],
        ],
      );
    });
  });

  describe('lifecycle', () => {
    it('close() destroys a stalled connection', async () => {
      server = await startOpenAITestServer({ script: [{ fault: 'stall', afterChunks: 1 }] });
      const pending = streamChat(server.url, { messages: USER('q') });
      await server.waitFor((rs) => rs.length === 1);
      await server.close();
      await assert.rejects(pending);
      assert.equal(server.requests[0]!.end, 'server-closed');
    });

    it('runs as a standalone process that prints its URL and serves a JSON script', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'openai-test-server-'));
      const scriptPath = join(dir, 'script.json');
      const file: ScriptFile = { rules: [{ lastUser: 'ping', reply: 'pong' }], models: ['demo-model'] };
      writeFileSync(scriptPath, JSON.stringify(file));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(__dirname, '../../../support/modelServer/openaiTestServer.ts'), '--port', '0', '--script', scriptPath],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const url = await new Promise<string>((resolve, reject) => {
          child.once('error', reject);
          child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
          createInterface({ input: child.stdout! }).once('line', resolve);
        });
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        const result = await streamChat(url, { model: 'demo-model', messages: USER('ping') });
        assert.equal(result.contents.join(''), 'pong');
        const recorded = (await (await fetch(url.replace(/\/v1$/, '/_test/requests'))).json()) as Array<{ path: string }>;
        assert.deepEqual(recorded.map((r) => r.path), ['/v1/chat/completions']);
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      }
    }).timeout(30_000);
  });
});
