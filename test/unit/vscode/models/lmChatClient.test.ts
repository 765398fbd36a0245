import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { CompilerError, isAbortError } from '../../../../src/base/errors';
import { countChatTokens, countTextTokens } from '../../../../src/providers/tokenCount';
import type { ChatMessage, ModelChunk, ModelClient, ModelRequestOptions, ModelToolCall, ModelToolResult } from '../../../../src/shared/modelContract';
import type { ErrorReason } from '../../../../src/base/errors';
import type { JsonObject } from '../../../../src/shared/json';
import { createLmChatClient, toLmMessages } from '../../../../src/vscode/models/lmChatClient';
import type { LmApi, LmChat } from '../../../../src/vscode/models/lmChatClient';

// Fakes of the few vscode runtime pieces the adapter takes as parameters.
class FakeMessage {
  constructor(
    readonly role: 'user' | 'assistant',
    readonly text: string,
    readonly toolCalls: readonly ModelToolCall[] = [],
    readonly toolResults: readonly ModelToolResult[] = [],
  ) {}
}
class FakeTextPart {
  constructor(readonly value: string) {}
}
class FakeToolCallPart {
  constructor(
    readonly name: string,
    readonly callId = 'call_1',
    readonly input: object = {},
  ) {}
}
class FakeLanguageModelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface FakeToken {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
  cancelled: Promise<void>;
}

function fakeToken(signal: AbortSignal): FakeToken {
  let fire!: () => void;
  const cancelled = new Promise<void>((resolve) => (fire = resolve));
  const token: FakeToken = {
    isCancellationRequested: false,
    onCancellationRequested: (listener) => {
      void cancelled.then(listener);
      return { dispose: () => undefined };
    },
    cancelled,
  };
  const cancel = () => {
    token.isCancellationRequested = true;
    fire();
  };
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  return token;
}

const api: LmApi = {
  userMessage: (content, results) => new FakeMessage('user', content, [], results) as unknown as vscode.LanguageModelChatMessage,
  assistantMessage: (content, calls) => new FakeMessage('assistant', content, calls) as unknown as vscode.LanguageModelChatMessage,
  textOf: (part) => (part instanceof FakeTextPart ? part.value : undefined),
  toolCallOf: (part) => (part instanceof FakeToolCallPart ? { id: part.callId, name: part.name, input: part.input as JsonObject } : undefined),
  toolMode: (required) => (required ? 2 : 1) as vscode.LanguageModelChatToolMode,
  errorCode: (error) => (error instanceof FakeLanguageModelError ? error.code : undefined),
  tokenFromSignal: (signal) => ({ token: fakeToken(signal) as unknown as vscode.CancellationToken, dispose: () => undefined }),
};

interface FakeChatOptions {
  /** Parts of the response stream, or a generator given the request's token. */
  parts?: unknown[] | ((token: FakeToken) => AsyncIterable<unknown>);
  /** sendRequest rejects with this. */
  rejectWith?: unknown;
  /** sendRequest never settles. */
  neverAnswers?: boolean;
  countTokens?: (text: string | FakeMessage) => number;
}

interface FakeChat extends LmChat {
  sent: FakeMessage[][];
  tokens: FakeToken[];
  options: vscode.LanguageModelChatRequestOptions[];
}

function fakeChat(options: FakeChatOptions = {}): FakeChat {
  const sent: FakeMessage[][] = [];
  const tokens: FakeToken[] = [];
  const requestOptions: vscode.LanguageModelChatRequestOptions[] = [];
  const chat = {
    name: 'GPT-4o',
    id: 'copilot-gpt-4o',
    vendor: 'copilot',
    family: 'gpt-4o',
    maxInputTokens: 63_000,
    sent,
    tokens,
    options: requestOptions,
    sendRequest(messages: unknown[], opts?: vscode.LanguageModelChatRequestOptions, token?: unknown) {
      sent.push(messages as FakeMessage[]);
      tokens.push(token as FakeToken);
      requestOptions.push(opts ?? {});
      if (options.rejectWith !== undefined) return Promise.reject(options.rejectWith);
      if (options.neverAnswers) return new Promise(() => undefined);
      const parts = options.parts ?? [];
      const stream = typeof parts === 'function' ? parts(token as FakeToken) : iterate(parts);
      return Promise.resolve({ stream, text: (async function* () {})() });
    },
    countTokens(text: string | FakeMessage) {
      if (options.countTokens) return Promise.resolve(options.countTokens(text));
      return Promise.resolve(typeof text === 'string' ? text.length : text.text.length);
    },
  };
  return chat as unknown as FakeChat;
}

async function* iterate(parts: unknown[]): AsyncIterable<unknown> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You plan.' },
  { role: 'user', content: 'Where is main?' },
];

async function collect(
  model: ModelClient,
  options: Partial<Pick<ModelRequestOptions, 'signal' | 'stop' | 'tools' | 'toolMode'>> & { messages?: ChatMessage[] } = {},
) {
  const chunks: ModelChunk[] = [];
  const { messages = MESSAGES, ...request } = options;
  for await (const chunk of model.stream(messages, { signal: new AbortController().signal, purpose: 'planner', ...request })) {
    chunks.push(chunk);
  }
  const text = chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');
  const usage = chunks.find((c) => c.type === 'usage');
  return { chunks, text, usage: usage?.type === 'usage' ? usage.usage : undefined };
}

async function failsWith(model: ModelClient, reason: ErrorReason): Promise<CompilerError> {
  try {
    await collect(model);
  } catch (error) {
    assert.ok(error instanceof CompilerError, String(error));
    assert.equal(error.reason, reason);
    return error;
  }
  assert.fail(`expected ${reason}`);
}

describe('VS Code Language Model adapter (with fakes)', () => {
  it('streams the text parts, skipping others, under a vscode-lm id', async () => {
    const chat = fakeChat({ parts: [new FakeTextPart('Main is '), new FakeToolCallPart('x'), new FakeTextPart('in src/main.ts.')] });
    const model = createLmChatClient(chat, api);
    assert.equal(model.id, 'vscode-lm:copilot/gpt-4o');
    const out = await collect(model);
    assert.equal(out.text, 'Main is in src/main.ts.');
    assert.ok(chat.options[0]!.justification);
  });

  describe('function calling', () => {
    const TOOLS = [{ name: 'grep', description: 'Searches.', inputSchema: { type: 'object', properties: { pattern: { type: 'string' } } } }];

    it('offers the tools with their schemas and returns the model’s calls as they come', async () => {
      const chat = fakeChat({
        parts: [new FakeTextPart('Searching.'), new FakeToolCallPart('grep', 'c1', { pattern: 'a' }), new FakeToolCallPart('grep', 'c2', { pattern: 'b' })],
      });
      const out = await collect(createLmChatClient(chat, api), { tools: TOOLS });
      assert.equal(out.text, 'Searching.');
      assert.deepEqual(
        out.chunks.filter((c) => c.type === 'tool-call').map((c) => (c.type === 'tool-call' ? c.call : undefined)),
        [
          { id: 'c1', name: 'grep', input: { pattern: 'a' } },
          { id: 'c2', name: 'grep', input: { pattern: 'b' } },
        ],
      );
      assert.deepEqual(chat.options[0]!.tools, TOOLS);
      assert.equal(chat.options[0]!.toolMode, 1);
      await collect(createLmChatClient(chat, api), { tools: TOOLS, toolMode: 'required' });
      assert.equal(chat.options[1]!.toolMode, 2);
    });

    it('offers nothing and passes on no call when the request has no tools', async () => {
      const chat = fakeChat({ parts: [new FakeToolCallPart('grep'), new FakeTextPart('Done.')] });
      const out = await collect(createLmChatClient(chat, api));
      assert.deepEqual(out.chunks.map((c) => c.type), ['text', 'usage']);
      assert.equal(chat.options[0]!.tools, undefined);
    });

    it('sends earlier calls as parts of the assistant message and their results first in the next user message', async () => {
      const chat = fakeChat({ parts: [new FakeTextPart('Found it.')] });
      const call = { id: 'c1', name: 'grep', input: { pattern: 'a' } };
      await collect(createLmChatClient(chat, api), {
        tools: TOOLS,
        messages: [
          ...MESSAGES,
          { role: 'assistant', content: '', toolCalls: [call] },
          { role: 'user', content: '', toolResults: [{ callId: 'c1', content: 'a.ts:1: a' }] },
        ],
      });
      const sent = chat.sent[0]!;
      assert.deepEqual(
        sent.slice(1).map((m) => [m.role, m.text, m.toolCalls, m.toolResults]),
        [
          ['assistant', '', [call], []],
          ['user', '', [], [{ callId: 'c1', content: 'a.ts:1: a' }]],
        ],
      );
    });
  });

  it('puts system text in front of the next user message, since the API has no system role', () => {
    const messages = toLmMessages(
      [
        { role: 'system', content: 'S1' },
        { role: 'system', content: 'S2' },
        { role: 'user', content: 'U1' },
        { role: 'assistant', content: 'A1' },
        { role: 'user', content: 'U2' },
        { role: 'system', content: 'S3' },
      ],
      api,
    ) as unknown as FakeMessage[];
    assert.deepEqual(
      messages.map((m) => [m.role, m.text]),
      [
        ['user', 'S1\n\nS2\n\nU1'],
        ['assistant', 'A1'],
        ['user', 'U2'],
        ['user', 'S3'],
      ],
    );
  });

  it('counts usage with the model tokenizer (not estimated)', async () => {
    const chat = fakeChat({ parts: [new FakeTextPart('abc')], countTokens: (t) => (typeof t === 'string' ? 7 : 10) });
    const out = await collect(createLmChatClient(chat, api));
    assert.deepEqual(out.usage, { inputTokens: 10, outputTokens: 7, estimated: false });
    assert.equal(out.chunks.at(-1)!.type, 'usage');
  });

  it("gives the model's context as VS Code's maxInputTokens, the prompt's alone, counted by the model's own tokenizer", async () => {
    const chat = fakeChat({ countTokens: (t) => (typeof t === 'string' ? t.length * 2 : 0) });
    const context = await createLmChatClient(chat, api).context!(new AbortController().signal);
    assert.equal(context.tokens, 63_000);
    assert.equal(context.separateOutput, true);
    assert.match(context.source, /maxInputTokens for copilot\/gpt-4o/);
    assert.equal(await context.exactCount!('abcd', new AbortController().signal), 8);
  });

  it('falls back to the local tokenizer, flagged estimated, when countTokens fails', async () => {
    const chat = fakeChat({
      parts: [new FakeTextPart('some answer')],
      countTokens: () => {
        throw new Error('no tokenizer');
      },
    });
    const out = await collect(createLmChatClient(chat, api));
    assert.deepEqual(out.usage, {
      inputTokens: countChatTokens(MESSAGES),
      outputTokens: countTextTokens('some answer'),
      estimated: true,
    });
  });

  it('applies stop sequences on the stream, across part boundaries, and cancels the rest', async () => {
    const chat = fakeChat({
      parts: (token) =>
        (async function* () {
          yield new FakeTextPart('1. search("x")\n<END');
          yield new FakeTextPart('_OF_PLAN> and more');
          await token.cancelled; // a model that keeps going until cancelled
        })(),
    });
    const out = await collect(createLmChatClient(chat, api), { stop: ['<END_OF_PLAN>'] });
    assert.equal(out.text, '1. search("x")\n');
    assert.equal(chat.tokens[0]!.isCancellationRequested, true);
  });

  it('releases text that only looked like the start of a stop sequence', async () => {
    const chat = fakeChat({ parts: [new FakeTextPart('a <EN'), new FakeTextPart('D of it')] });
    assert.equal((await collect(createLmChatClient(chat, api), { stop: ['<END_OF_PLAN>'] })).text, 'a <END of it');
  });

  describe('errors', () => {
    const cases: Array<[string, ErrorReason, RegExp]> = [
      ['NoPermissions', 'model-consent', /allow/i],
      ['Blocked', 'rate-limited', /try again later/i],
      ['NotFound', 'model-not-found', /Select Model/],
      ['Unknown', 'model-error', /GPT-4o/],
    ];
    for (const [code, reason, message] of cases) {
      it(`LanguageModelError ${code} → ${reason}`, async () => {
        const error = await failsWith(createLmChatClient(fakeChat({ rejectWith: new FakeLanguageModelError(code, 'nope') }), api), reason);
        assert.match(error.message, message);
      });
    }

    it('an error in the middle of the stream → model-error with its message', async () => {
      const chat = fakeChat({
        parts: () =>
          (async function* () {
            yield new FakeTextPart('partial');
            throw new Error('connection reset');
          })(),
      });
      const error = await failsWith(createLmChatClient(chat, api), 'model-error');
      assert.match(error.message, /connection reset/);
    });
  });

  describe('cancellation', () => {
    it('aborting mid-stream ends with an AbortError at once and cancels the request token', async () => {
      const chat = fakeChat({
        parts: () =>
          (async function* () {
            yield new FakeTextPart('first');
            await new Promise(() => undefined); // never yields again, even when cancelled
          })(),
      });
      const controller = new AbortController();
      const run = (async () => {
        for await (const chunk of createLmChatClient(chat, api).stream(MESSAGES, { signal: controller.signal, purpose: 'joiner' })) {
          if (chunk.type === 'text') controller.abort();
        }
      })();
      await assert.rejects(run, (error: unknown) => isAbortError(error) && !(error instanceof CompilerError));
      await chat.tokens[0]!.cancelled;
    });

    it('aborting while the request is pending ends with an AbortError', async () => {
      const chat = fakeChat({ neverAnswers: true });
      const controller = new AbortController();
      const run = collect(createLmChatClient(chat, api), { signal: controller.signal });
      await Promise.resolve();
      controller.abort();
      await assert.rejects(run, (error: unknown) => isAbortError(error));
      await chat.tokens[0]!.cancelled;
    });

    it('an already aborted signal sends nothing', async () => {
      const chat = fakeChat({ parts: [new FakeTextPart('x')] });
      await assert.rejects(collect(createLmChatClient(chat, api), { signal: AbortSignal.abort() }), (error: unknown) =>
        isAbortError(error),
      );
      assert.equal(chat.sent.length, 0);
    });

    it('a consumer that stops reading cancels the request', async () => {
      const chat = fakeChat({
        parts: (token) =>
          (async function* () {
            yield new FakeTextPart('one');
            await token.cancelled;
          })(),
      });
      for await (const chunk of createLmChatClient(chat, api).stream(MESSAGES, { signal: new AbortController().signal, purpose: 'planner' })) {
        if (chunk.type === 'text') break;
      }
      await chat.tokens[0]!.cancelled;
    });
  });
});
