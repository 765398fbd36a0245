import assert from 'node:assert/strict';
import { encode } from 'gpt-tokenizer';
import { CompilerError, isAbortError } from '../../../src/base/errors';
import { listModels } from '../../../src/providers/listModels';
import { createOpenAIModel } from '../../../src/providers/openaiModel';
import type { OpenAIModelOptions } from '../../../src/providers/openaiModel';
import { countChatTokens, countTextTokens } from '../../../src/providers/tokenCount';
import type { ChatMessage, ModelClient, ModelRequestOptions, ModelToolCall, ModelUsage } from '../../../src/shared/modelContract';
import type { ErrorReason } from '../../../src/base/errors';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { OpenAITestServerOptions } from '../../support/modelServer/serverState';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You answer questions about code.' },
  { role: 'user', content: 'Where is the parser?' },
];

interface Collected {
  text: string;
  chunks: string[];
  calls: ModelToolCall[];
  usage?: ModelUsage;
}

type CollectOptions = Partial<Pick<ModelRequestOptions, 'signal' | 'stop' | 'maxOutputTokens' | 'tools' | 'toolMode'>> & {
  messages?: ChatMessage[];
};

async function collect(model: ModelClient, options: CollectOptions = {}) {
  const { messages = MESSAGES, ...request } = options;
  const out: Collected = { text: '', chunks: [], calls: [] };
  for await (const chunk of model.stream(messages, { signal: new AbortController().signal, purpose: 'planner', ...request })) {
    if (chunk.type === 'text') {
      out.text += chunk.text;
      out.chunks.push(chunk.text);
    } else if (chunk.type === 'tool-call') out.calls.push(chunk.call);
    else out.usage = chunk.usage;
  }
  return out;
}

/** The CompilerError a stream ends with, asserting its reason. */
async function failure(model: ModelClient, reason: ErrorReason, options: CollectOptions = {}): Promise<CompilerError> {
  try {
    await collect(model, options);
  } catch (error) {
    assert.ok(error instanceof CompilerError, `expected a CompilerError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return error;
  }
  assert.fail(`expected a ${reason} failure`);
}

async function abortFailure(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAbortError(error), `expected an AbortError, got ${String(error)}`);
    assert.ok(!(error instanceof CompilerError));
    return;
  }
  assert.fail('expected an AbortError');
}

const chatRequests = (server: OpenAITestServer) => server.requests.filter((r) => r.path === '/v1/chat/completions');

describe('createOpenAIModel against the OpenAI test server', () => {
  let server: OpenAITestServer;
  const start = async (options: OpenAITestServerOptions) => {
    server = await startOpenAITestServer(options);
    return server;
  };
  const model = (options: Partial<OpenAIModelOptions> = {}) =>
    createOpenAIModel({ baseURL: server.url, model: 'test-model', maxRetries: 2, ...options });

  afterEach(async () => {
    await server?.close();
  });

  describe('answers', () => {
    it('streams the text in several chunks and reports the server usage', async () => {
      const reply = 'The parser lives in src/core/planParser.ts, next to its tests.';
      await start({ script: [reply] });
      const out = await collect(model());
      assert.equal(out.text, reply);
      assert.ok(out.chunks.length > 5, 'one chunk per token');
      assert.deepEqual(out.usage, {
        inputTokens: countChatTokens(MESSAGES),
        outputTokens: encode(reply).length,
        estimated: false,
      });
    });

    it('reports the prompt tokens the server served from its prefix cache', async () => {
      await start({ script: () => 'ok', prefixCache: { blockTokens: 4, minTokens: 0, entries: 4, keepReplies: false } });
      const first = await collect(model());
      const second = await collect(model());
      assert.equal(first.usage?.cachedInputTokens, 0);
      const prompt = countChatTokens(MESSAGES);
      assert.equal(second.usage?.inputTokens, prompt);
      // All but the last prompt token, in whole 4-token blocks.
      assert.equal(second.usage?.cachedInputTokens, Math.floor((prompt - 1) / 4) * 4);
    });

    it('sends a streaming request with usage, the model, the messages and max tokens', async () => {
      await start({ script: ['ok'] });
      await collect(createOpenAIModel({ baseURL: server.url, model: 'test-model' }), { maxOutputTokens: 50 });
      const [request] = chatRequests(server);
      assert.equal(request!.chat!.model, 'test-model');
      assert.equal(request!.chat!.stream, true);
      assert.equal(request!.chat!.includeUsage, true);
      assert.equal(request!.chat!.maxTokens, 50);
      assert.deepEqual(request!.chat!.messages, MESSAGES);
      assert.equal(request!.chat!.body.stop, undefined);
    });

    describe('tools offered to the model (VS Code agents)', () => {
      const TOOLS = [
        { name: 'read_file', description: 'Reads a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
        { name: 'list_errors', description: 'Lists the problems.' },
      ];

      it('offers them as functions and returns each streamed call whole, in order', async () => {
        await start({
          script: [
            {
              text: 'Reading both.',
              toolCalls: [
                { id: 'call_a', name: 'read_file', arguments: '{"path": "src/é.ts", "note": "ünï"}' },
                { id: 'call_b', name: 'list_errors', arguments: '' },
              ],
            },
          ],
        });
        const out = await collect(model(), { tools: TOOLS });
        assert.equal(out.text, 'Reading both.');
        assert.deepEqual(out.calls, [
          { id: 'call_a', name: 'read_file', input: { path: 'src/é.ts', note: 'ünï' } },
          { id: 'call_b', name: 'list_errors', input: {} },
        ]);
        assert.equal(out.usage?.estimated, false, 'the usage chunk still arrives after the calls');
        const body = chatRequests(server)[0]!.chat!.body;
        assert.deepEqual(body.tools, [
          { type: 'function', function: { name: 'read_file', description: 'Reads a file.', parameters: TOOLS[0]!.inputSchema } },
          { type: 'function', function: { name: 'list_errors', description: 'Lists the problems.', parameters: { type: 'object', properties: {} } } },
        ]);
        assert.equal(body.tool_choice, 'auto');
      });

      it('asks for a call when the tool mode requires one, and sends no tools when there are none', async () => {
        await start({ script: ['a', 'b'] });
        await collect(model(), { tools: TOOLS, toolMode: 'required' });
        await collect(model(), { tools: [] });
        const [first, second] = chatRequests(server).map((r) => r.chat!.body);
        assert.equal(first!.tool_choice, 'required');
        assert.equal(second!.tools, undefined);
        assert.equal(second!.tool_choice, undefined);
      });

      it('sends earlier calls and their results the way the API wants them', async () => {
        await start({ script: ['The file is empty.'] });
        const messages: ChatMessage[] = [
          ...MESSAGES,
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_a', name: 'read_file', input: { path: 'a.ts' } }] },
          { role: 'user', content: 'Anything else?', toolResults: [{ callId: 'call_a', content: '(empty file)' }] },
        ];
        const out = await collect(model(), { tools: TOOLS, messages });
        assert.equal(out.text, 'The file is empty.');
        assert.deepEqual((chatRequests(server)[0]!.chat!.body.messages as unknown[]).slice(2), [
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
          { role: 'tool', tool_call_id: 'call_a', content: '(empty file)' },
          { role: 'user', content: 'Anything else?' },
        ]);
      });

      it('gives a call without an id one, so its result can be matched to it', async () => {
        await start({ script: [{ text: '', toolCalls: [{ name: 'list_errors', arguments: '{}' }] }] });
        const out = await collect(model(), { tools: TOOLS });
        assert.deepEqual(out.calls, [{ id: 'call_0', name: 'list_errors', input: {} }]);
      });

      it('fails as model-error when a call\'s arguments are not a JSON object', async () => {
        for (const args of ['{"path": "a.ts"', '["a.ts"]']) {
          await start({ script: [{ text: '', toolCalls: [{ id: 'c', name: 'read_file', arguments: args }] }] });
          const error = await failure(model(), 'model-error', { tools: TOOLS });
          assert.match(error.message, /The model called read_file with arguments that are not/);
          await server.close();
        }
      });
    });

    it('has an id naming the model', async () => {
      await start({});
      assert.equal(model({ model: 'qwen2.5-coder' }).id, 'openai:qwen2.5-coder');
    });

    it('passes stop sequences to the server, which cuts before the first one', async () => {
      await start({ script: ['1. search("x")\nThought: done\n<END_OF_PLAN> trailing text'] });
      const out = await collect(model(), { stop: ['<END_OF_PLAN>'] });
      assert.equal(out.text, '1. search("x")\nThought: done\n');
      assert.deepEqual(chatRequests(server)[0]!.chat!.stop, ['<END_OF_PLAN>']);
    });

    it('applies stop sequences beyond the four the API accepts on the streamed text', async () => {
      await start({ script: ['alpha beta STOP5 gamma'] });
      const out = await collect(model(), { stop: ['S1', 'S2', 'S3', 'S4', 'STOP5'] });
      assert.equal(out.text, 'alpha beta ');
      assert.deepEqual(chatRequests(server)[0]!.chat!.stop, ['S1', 'S2', 'S3', 'S4']);
      assert.equal(out.usage?.estimated, true, 'the stream was left before the usage chunk');
    });

    it('estimates usage with the tokenizer when the server reports none, and says so', async () => {
      const reply = 'No usage from this server.';
      await start({ script: [reply], reportUsage: false });
      const out = await collect(model());
      assert.deepEqual(out.usage, {
        inputTokens: countChatTokens(MESSAGES),
        outputTokens: countTextTokens(reply),
        estimated: true,
      });
    });

    it('sends the API key as a bearer token', async () => {
      await start({ script: ['ok'], apiKey: 'sk-test-123' });
      const out = await collect(model({ apiKey: 'sk-test-123' }));
      assert.equal(out.text, 'ok');
      assert.equal(chatRequests(server)[0]!.authorization, 'Bearer sk-test-123');
    });

    it('without a key sends a placeholder, never a key from the environment', async () => {
      await start({ script: ['ok'] });
      const saved = process.env.OPENAI_API_KEY;
      process.env.OPENAI_API_KEY = 'sk-from-environment';
      try {
        await collect(model());
      } finally {
        if (saved === undefined) delete process.env.OPENAI_API_KEY;
        else process.env.OPENAI_API_KEY = saved;
      }
      assert.equal(chatRequests(server)[0]!.authorization, 'Bearer no-api-key');
    });
  });

  describe('errors the user can act on', () => {
    it('401: model-auth, saying the key was refused in the server\'s words, without retrying', async () => {
      await start({ script: ['never'], apiKey: 'sk-right' });
      const error = await failure(model({ apiKey: 'sk-wrong' }), 'model-auth');
      assert.equal(error.message, `The model server at ${server.url} refused the API key (401): Incorrect API key provided.`);
      assert.equal(chatRequests(server).length, 1);
    });

    it('401 when no key was sent: says one is needed, not that it was refused; no surface\'s words', async () => {
      await start({ script: ['never'], apiKey: 'sk-right' });
      const error = await failure(model(), 'model-auth');
      assert.equal(error.message, `The model server at ${server.url} asks for an API key (401) and none was sent: Incorrect API key provided.`);
      // How to set a key is each surface's to say (a command in VS Code, OPENAI_API_KEY in a terminal).
      assert.doesNotMatch(error.message, /Set API Key|OPENAI_API_KEY|\.\./);
    });

    for (const status of [501, 405]) {
      it(`${status} with a web page, as a plain web server answers: the endpoint hint, one request`, async () => {
        await start({ script: () => ({ fault: 'web-page', status }) });
        const error = await failure(model({ maxRetries: 2 }), 'model-error');
        assert.match(error.message, new RegExp(`does not serve chat completions \\(${status} [A-Za-z ]+\\): an HTML page\\. Is this an OpenAI-compatible endpoint\\? \\(Its base URL usually ends in /v1\\.\\)$`));
        assert.equal(chatRequests(server).length, 1, 'not retried');
      });
    }

    it('a 500 web page from a proxy: retried as any 500, and named with the endpoint hint', async () => {
      await start({ script: () => ({ fault: 'web-page', status: 500 }) });
      const error = await failure(model({ maxRetries: 1 }), 'model-error');
      assert.match(error.message, /failed \(500\) after 2 attempts: an HTML page\. Is this an OpenAI-compatible endpoint\?/);
      assert.equal(chatRequests(server).length, 2);
    });

    it('an HTML page labelled text/event-stream: model-error naming it at once, one request', async () => {
      await start({ script: () => ({ fault: 'html-stream' }) });
      const error = await failure(model({ maxRetries: 2 }), 'model-error');
      assert.match(error.message, /sent a web page \(HTML\) labelled as a stream of events \(text\/event-stream\), not chat-completion chunks; it began: <!DOCTYPE HTML> <html lang="en">/);
      assert.match(error.message, /Is this an OpenAI-compatible endpoint\?/);
      assert.equal(chatRequests(server).length, 1);
    });

    for (const [name, content, shown] of [
      ['a number', 12345, 'a number (12345)'],
      ['an object', { text: 'hi' }, 'an object ({"text":"hi"})'],
    ] as const) {
      it(`a chunk whose content is ${name}: model-error naming the field and what it held`, async () => {
        await start({ script: [{ fault: 'wrong-content', content, afterChunks: 1 }, 'never asked'] });
        const error = await failure(model(), 'model-error');
        assert.equal(error.message, `The model server at ${server.url} sent a chat-completion chunk whose delta.content is ${shown}, not text.`);
        assert.equal(chatRequests(server).length, 1);
      });
    }

    it('scripted 401 fault: model-auth', async () => {
      await start({ script: [{ fault: 'auth' }] });
      await failure(model(), 'model-auth');
    });

    it('404: model-not-found, listing the server models', async () => {
      await start({ script: ['never'], models: ['qwen2.5-coder:7b', 'llama3.1:8b'] });
      const error = await failure(model({ model: 'gpt-9' }), 'model-not-found');
      assert.match(error.message, /"gpt-9"/);
      assert.match(error.message, /llama3\.1:8b, qwen2\.5-coder:7b/);
      assert.equal(chatRequests(server).length, 1);
      assert.equal(server.requests.filter((r) => r.path === '/v1/models').length, 1);
    });

    it('404 from a base URL that is not an OpenAI API: model-not-found pointing at the URL', async () => {
      await start({ script: ['never'] });
      const baseURL = server.url.replace(/\/v1$/, '');
      const error = await failure(model({ baseURL }), 'model-not-found');
      assert.match(error.message, /base URL/);
    });

    it('429 then success: retried after the retry-after wait', async () => {
      await start({ script: [{ fault: 'rate-limit', retryAfter: 0.2 }, 'after the wait'] });
      const out = await collect(model());
      assert.equal(out.text, 'after the wait');
      const [first, second] = chatRequests(server);
      assert.ok(second!.at - first!.at >= 190, `retried after ${second!.at - first!.at} ms`);
    });

    it('429 every time: rate-limited after maxRetries + 1 requests', async () => {
      await start({ script: () => ({ fault: 'rate-limit', retryAfter: 0.01 }) });
      const error = await failure(model({ maxRetries: 2 }), 'rate-limited');
      assert.match(error.message, /429/);
      assert.equal(chatRequests(server).length, 3);
    });

    it('429 asking for a long wait: rate-limited at once, naming the wait', async () => {
      await start({ script: () => ({ fault: 'rate-limit', retryAfter: 3600 }) });
      const error = await failure(model(), 'rate-limited');
      assert.match(error.message, /3600 s/);
      assert.equal(chatRequests(server).length, 1);
    });

    it('500 every time: model-error after bounded retries', async () => {
      await start({ script: () => ({ fault: 'http', status: 500, headers: { 'retry-after-ms': '5' } }) });
      const error = await failure(model({ maxRetries: 2 }), 'model-error');
      assert.match(error.message, /500/);
      assert.equal(chatRequests(server).length, 3);
    });

    it('500 once, then success', async () => {
      await start({ script: [{ fault: 'http', status: 503, headers: { 'retry-after-ms': '5' } }, 'recovered'] });
      assert.equal((await collect(model())).text, 'recovered');
      assert.equal(chatRequests(server).length, 2);
    });

    it('maxRetries 0: a single request', async () => {
      await start({ script: () => ({ fault: 'server-error' }) });
      await failure(model({ maxRetries: 0 }), 'model-error');
      assert.equal(chatRequests(server).length, 1);
    });

    it('400 context_length_exceeded: context-too-long, not retried', async () => {
      await start({ script: () => ({ fault: 'context-too-long' }) });
      await failure(model(), 'context-too-long');
      assert.equal(chatRequests(server).length, 1);
    });

    it('other 4xx: model-error with the server message', async () => {
      await start({ script: [{ fault: 'http', status: 422, error: { message: 'temperature is out of range' } }] });
      const error = await failure(model(), 'model-error');
      assert.match(error.message, /temperature is out of range/);
    });

    it('nothing listening: model-unreachable naming the URL', async () => {
      await start({});
      const url = server.url;
      await server.close();
      const error = await failure(createOpenAIModel({ baseURL: url, model: 'm', maxRetries: 0 }), 'model-unreachable');
      assert.ok(error.message.includes(url), error.message);
      assert.match(error.message, /ECONNREFUSED/);
    });

    it('no response at all: the request timeout bounds the wait, retries included', async () => {
      await start({ script: () => ({ fault: 'hang' }) });
      const error = await failure(model({ timeoutMs: 150, maxRetries: 2 }), 'model-unreachable');
      assert.ok(error.message.includes(server.url), error.message);
      assert.match(error.message, /within 0\.15 s/);
      await server.waitFor((rs) => rs.length >= 1 && rs.every((r) => r.end === 'client-closed'));
    });

    it('a stall after headers and some text: the idle timeout ends it and closes the connection', async () => {
      await start({ script: [{ fault: 'stall', text: 'Some text then silence', afterChunks: 2 }] });
      const seen: string[] = [];
      let error: unknown;
      try {
        for await (const chunk of model({ idleTimeoutMs: 100, timeoutMs: 100 }).stream(MESSAGES, {
          signal: new AbortController().signal,
          purpose: 'joiner',
        })) {
          if (chunk.type === 'text') seen.push(chunk.text);
        }
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof CompilerError);
      assert.equal(error.reason, 'model-unreachable');
      assert.match(error.message, /sent nothing new/);
      assert.equal(seen.join(''), 'Some text');
      await server.waitFor((rs) => rs[0]?.end === 'client-closed');
      assert.equal(chatRequests(server).length, 1, 'not retried once text has streamed');
    });

    it('a stall right after the headers: the first-chunk wait ends it', async () => {
      await start({ script: [{ fault: 'stall', afterChunks: 0 }] });
      const error = await failure(model({ idleTimeoutMs: 50, timeoutMs: 100 }), 'model-unreachable');
      assert.match(error.message, /sent nothing/);
      await server.waitFor((rs) => rs[0]?.end === 'client-closed');
    });

    it('connection cut mid-stream: model-error (the server answered, so not "unreachable"), not retried', async () => {
      await start({ script: [{ fault: 'cut', text: 'Half an answer and then', afterChunks: 3 }, 'never asked'] });
      const error = await failure(model(), 'model-error');
      assert.equal(error.message, `The model server at ${server.url} closed the connection in the middle of the answer.`);
      assert.equal(chatRequests(server).length, 1);
      assert.equal(chatRequests(server)[0]!.end, 'server-cut');
    });

    it('malformed chunk: model-error', async () => {
      await start({ script: [{ fault: 'malformed', afterChunks: 1 }, 'never asked'] });
      const error = await failure(model(), 'model-error');
      assert.match(error.message, /malformed/);
      assert.equal(chatRequests(server).length, 1);
    });

    it('an error event inside the stream: model-error with its message', async () => {
      await start({ script: [{ fault: 'stream-error', message: 'CUDA out of memory' }] });
      const error = await failure(model(), 'model-error');
      assert.match(error.message, /CUDA out of memory/);
    });
  });

  describe('cancellation', () => {
    const slowReply = { text: 'word '.repeat(400), latency: { tokensPerSecond: 20 } };

    it('aborting mid-stream ends with an AbortError and closes the connection', async () => {
      await start({ script: [slowReply] });
      const controller = new AbortController();
      const run = (async () => {
        for await (const chunk of model().stream(MESSAGES, { signal: controller.signal, purpose: 'planner' })) {
          if (chunk.type === 'text') controller.abort();
        }
      })();
      await abortFailure(run);
      // The reply is scheduled to take 20 s: only a closed socket ends it now.
      await server.waitFor((rs) => rs[0]?.end === 'client-closed');
    });

    it('aborting before the response starts ends with an AbortError and closes the connection', async () => {
      await start({ script: [{ fault: 'hang' }] });
      const controller = new AbortController();
      const run = collect(model(), { signal: controller.signal });
      await server.waitFor((rs) => rs.length === 1);
      controller.abort();
      await abortFailure(run);
      await server.waitFor((rs) => rs[0]?.end === 'client-closed');
    });

    it('aborting during the backoff before a retry ends at once, with no further request', async () => {
      await start({ script: [{ fault: 'rate-limit', retryAfter: 1 }, 'never asked'] });
      const controller = new AbortController();
      const run = collect(model(), { signal: controller.signal });
      await server.waitFor((rs) => rs[0]?.end === 'completed');
      controller.abort();
      await abortFailure(run);
      assert.equal(chatRequests(server).length, 1);
    });

    it('an already aborted signal sends nothing', async () => {
      await start({ script: ['never'] });
      await abortFailure(collect(model(), { signal: AbortSignal.abort() }));
      assert.equal(server.requests.length, 0);
    });

    it('a consumer that stops reading closes the connection', async () => {
      await start({ script: [slowReply] });
      for await (const chunk of model().stream(MESSAGES, { signal: new AbortController().signal, purpose: 'planner' })) {
        if (chunk.type === 'text') break;
      }
      await server.waitFor((rs) => rs[0]?.end === 'client-closed');
    });
  });

  describe('listModels', () => {
    it('lists the server models, sorted', async () => {
      await start({ models: ['zephyr', 'alpha'] });
      assert.deepEqual(await listModels({ baseURL: server.url }, new AbortController().signal), ['alpha', 'zephyr']);
    });

    it('a base URL without the API: model-unreachable naming it', async () => {
      await start({});
      const baseURL = server.url.replace(/\/v1$/, '');
      await assert.rejects(listModels({ baseURL }, new AbortController().signal), (error: unknown) => {
        assert.ok(error instanceof CompilerError);
        assert.equal(error.reason, 'model-unreachable');
        assert.ok(error.message.includes(baseURL));
        return true;
      });
    });

    it('a wrong key: model-auth', async () => {
      await start({ apiKey: 'sk-right' });
      await assert.rejects(listModels({ baseURL: server.url, apiKey: 'sk-wrong' }, new AbortController().signal), {
        reason: 'model-auth',
      });
    });
  });
});
