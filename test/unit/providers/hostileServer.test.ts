import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompilerError } from '../../../src/base/errors';
import { createOpenAIModel } from '../../../src/providers/openaiModel';
import type { OpenAIModelOptions } from '../../../src/providers/openaiModel';
import type { ChatMessage, ModelRequestOptions } from '../../../src/shared/modelContract';

/** A server that answers every request with `handler`, recording the bodies it was sent. */
async function rawServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const bodies: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body || '{}') as Record<string, unknown>);
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    bodies,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const MESSAGES: ChatMessage[] = [{ role: 'user', content: 'Where is the parser?' }];

async function outcome(options: Partial<OpenAIModelOptions> & { baseURL: string }, request: Partial<ModelRequestOptions> = {}) {
  const model = createOpenAIModel({ model: 'm', maxRetries: 0, ...options });
  let text = '';
  try {
    for await (const chunk of model.stream(MESSAGES, { signal: new AbortController().signal, purpose: 'joiner', ...request })) {
      if (chunk.type === 'text') text += chunk.text;
    }
  } catch (error) {
    assert.ok(error instanceof CompilerError, `a CompilerError, got ${String(error)}`);
    return { text, error };
  }
  return { text, error: undefined };
}

const sse = (res: http.ServerResponse, events: string[]) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(e);
  res.end();
};

describe('the OpenAI-compatible client against hostile servers', () => {
  let server: Awaited<ReturnType<typeof rawServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('says a 200 web page is a web page, not a missing answer', async () => {
    server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body>Welcome to nginx</body></html>');
    });
    const { error } = await outcome({ baseURL: server.url });
    assert.equal(error?.reason, 'model-error');
    assert.match(error!.message, /answered with a web page instead of a stream of chat-completion chunks/);
  });

  for (const [name, event] of [
    ['data: null', 'data: null\n\n'],
    ['a bare JSON string', 'data: "hello"\n\n'],
    ['an event of another kind', 'event: status\ndata: {"status":"loading"}\n\n'],
  ] as const) {
    it(`says ${name} is not a chat-completion chunk, not that no server answers`, async () => {
      server = await rawServer((_req, res) => sse(res, [event, 'data: [DONE]\n\n']));
      const { error } = await outcome({ baseURL: server.url });
      assert.equal(error?.reason, 'model-error', error?.message);
      assert.match(error!.message, /sent a stream event that is not a chat-completion chunk/);
    });
  }

  it('bounds a 20 MB error body in the message', async () => {
    const huge = 'x'.repeat(20 * 1024 * 1024);
    server = await rawServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(huge);
    });
    const { error } = await outcome({ baseURL: server.url });
    assert.equal(error?.reason, 'model-error');
    assert.ok(error!.message.length < 1_000, `message of ${error!.message.length} characters`);
    assert.match(error!.message, /more characters/);
  });

  it('ends a stream of empty deltas on the idle timeout', async function () {
    this.timeout(20_000);
    let timer: NodeJS.Timeout | undefined;
    server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const empty = JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: null }] });
      timer = setInterval(() => res.write(`data: ${empty}\n\n`), 10);
      res.on('close', () => clearInterval(timer));
    });
    const { error } = await outcome({ baseURL: server.url, idleTimeoutMs: 300, timeoutMs: 300 });
    clearInterval(timer);
    assert.equal(error?.reason, 'model-unreachable');
  });

  it('asks for an output limit when given one', async () => {
    server = await rawServer((_req, res) => sse(res, ['data: [DONE]\n\n']));
    await outcome({ baseURL: server.url }, { maxOutputTokens: 123 });
    assert.equal(server.bodies[0]!.max_tokens, 123);
  });

  it('fails within the request timeout when no headers ever come, retries included', async function () {
    this.timeout(20_000);
    server = await rawServer(() => undefined);
    const { error } = await outcome({ baseURL: server.url, timeoutMs: 300, maxRetries: 2 });
    assert.equal(error?.reason, 'model-unreachable');
    assert.match(error!.message, /within 0\.3 s/);
  });
});
