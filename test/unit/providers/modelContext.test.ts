import assert from 'node:assert/strict';
import type { CompilerError } from '../../../src/base/errors';
import { ContextTooLongError } from '../../../src/base/errors';
import { ContextCache, OLLAMA_DEFAULT_CONTEXT, OLLAMA_OLD_DEFAULT_CONTEXT, ASSUMED_CONTEXT_TOKENS, learnContext } from '../../../src/providers/modelContext';
import { createOpenAIModel } from '../../../src/providers/openaiModel';
import type { ServerContext } from '../../support/modelServer/context/contextWindow';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';

const signal = new AbortController().signal;

describe("a model's context, as its server says it", function () {
  let server: OpenAITestServer;

  before(async () => {
    server = await startOpenAITestServer({ script: () => 'ok', models: ['qwen2.5-coder:7b'] });
  });
  after(() => server.close());

  const learn = (context: ServerContext | undefined, cache = new ContextCache()) => {
    server.setContext(context);
    return learnContext({ baseURL: server.url, model: 'qwen2.5-coder:7b' }, signal, cache);
  };

  it("llama.cpp: /props' n_ctx, with /tokenize's exact count", async () => {
    const context = await learn({ kind: 'llama.cpp', tokens: 4096 });
    assert.equal(context.tokens, 4096);
    assert.equal(context.server, 'llama.cpp');
    assert.match(context.source, /llama\.cpp \/props/);
    assert.match(context.raise ?? '', /-c 8192/);
    // The server counts a token per three characters.
    assert.equal(await context.exactCount!('x'.repeat(300), signal), 100);
  });

  it("vLLM: the model's max_model_len in /v1/models", async () => {
    const context = await learn({ kind: 'vllm', tokens: 16_384 });
    assert.deepEqual([context.tokens, context.server], [16_384, 'vllm']);
    assert.match(context.raise ?? '', /--max-model-len/);
  });

  it("LM Studio: the loaded model's loaded_context_length", async () => {
    const context = await learn({ kind: 'lm-studio', tokens: 6000 });
    assert.deepEqual([context.tokens, context.server], [6000, 'lm-studio']);
  });

  it("Ollama: the loaded model's context_length in /api/ps, marked as the server's default when it is 4,096", async () => {
    const loaded = await learn({ kind: 'ollama', tokens: OLLAMA_DEFAULT_CONTEXT });
    assert.deepEqual([loaded.tokens, loaded.server, loaded.serverDefault], [4096, 'ollama', true]);
    assert.match(loaded.raise ?? '', /OLLAMA_CONTEXT_LENGTH=8192 ollama serve/);
    assert.match(loaded.raise ?? '', /PARAMETER num_ctx/);
    const raised = await learn({ kind: 'ollama', tokens: 8192 });
    assert.deepEqual([raised.tokens, raised.serverDefault], [8192, undefined]);
  });

  it("Ollama, model not loaded: the Modelfile's num_ctx from /api/show, else the documented default", async () => {
    const configured = await learn({ kind: 'ollama', tokens: 0, loaded: false, numCtx: 12_288 });
    assert.equal(configured.tokens, 12_288);
    const unset = await learn({ kind: 'ollama', tokens: 0, loaded: false });
    assert.deepEqual([unset.tokens, unset.serverDefault], [OLLAMA_DEFAULT_CONTEXT, true]);
  });

  it('Ollama, an older release whose /api/ps says no context: its default of 2,048', async () => {
    const context = await learn({ kind: 'ollama', tokens: 2048, oldRelease: true });
    assert.deepEqual([context.tokens, context.serverDefault], [OLLAMA_OLD_DEFAULT_CONTEXT, true]);
  });

  it('a server that says nothing: a conservative default, marked assumed', async () => {
    const context = await learn(undefined);
    assert.deepEqual([context.tokens, context.assumed], [ASSUMED_CONTEXT_TOKENS, true]);
  });

  it('asks once per endpoint and model, then keeps the answer', async () => {
    const cache = new ContextCache();
    await learn({ kind: 'llama.cpp', tokens: 4096 }, cache);
    const asked = server.requests.filter((r) => r.path === '/props').length;
    const again = await learn({ kind: 'llama.cpp', tokens: 9999 }, cache);
    assert.equal(again.tokens, 4096);
    assert.equal(server.requests.filter((r) => r.path === '/props').length, asked);
  });
});

describe('a server refusing a request longer than the context', function () {
  let server: OpenAITestServer;
  const long = [{ role: 'user' as const, content: 'x'.repeat(30_000) }];

  before(async () => {
    server = await startOpenAITestServer({ script: () => 'ok' });
  });
  after(() => server.close());

  async function failure(context: ServerContext): Promise<unknown> {
    server.setContext(context);
    const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', maxRetries: 0, contextCache: new ContextCache() });
    try {
      for await (const _ of model.stream(long, { signal, maxOutputTokens: 100, purpose: 'joiner' })) {
        // The reply is not the point.
      }
    } catch (error) {
      return error;
    }
    return undefined;
  }

  for (const kind of ['llama.cpp', 'vllm', 'lm-studio', 'openai'] as const) {
    it(`${kind}: reported as a request too long for the context, with the server's figure`, async () => {
      const error = await failure({ kind, tokens: 4096 });
      assert.ok(error instanceof ContextTooLongError, String(error));
      assert.equal((error as CompilerError).reason, 'context-too-long');
      assert.equal((error as ContextTooLongError).figures.contextTokens, 4096);
      assert.match((error as Error).message, /longer than test-model's context/);
    });
  }

  it("Ollama: refuses nothing but drops the chat's first messages, as Ollama does", async () => {
    server.setContext({ kind: 'ollama', tokens: 4096 });
    const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', maxRetries: 0, contextCache: new ContextCache() });
    const messages = [
      { role: 'system' as const, content: 'rules' },
      { role: 'user' as const, content: 'the question' },
      { role: 'assistant' as const, content: 'y'.repeat(15_000) },
      { role: 'user' as const, content: 'the results' },
    ];
    for await (const _ of model.stream(messages, { signal, maxOutputTokens: 100, purpose: 'joiner' })) {
      // The reply is not the point.
    }
    const chat = server.requests.at(-1)!;
    assert.equal(chat.context?.dropped, 2);
    assert.deepEqual(chat.chat!.messages.map((m) => m.content), ['rules', 'the results']);
  });
});
