import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Session } from '../../../src/host/session';
import { CompilerError } from '../../../src/base/errors';
import { CompilerServer } from '../../../src/mcp/compilerServer';
import type { CompilerServerOptions } from '../../../src/mcp/compilerServer';
import type { RunSettings } from '../../../src/shared/runSettings';
import { fakeTool } from '../../support/fakeTools';
import { createScriptedModel } from '../../support/scriptedModel';

/** A server on an in-memory transport, its session's tools from one source, its model never answering. */
async function connect(settings: Partial<RunSettings>) {
  const session = new Session({ sources: [{ name: 'workspace', tools: () => [fakeTool('grep')] }] });
  const never = createScriptedModel(() => [{ wait: new Promise(() => undefined) }]);
  const server = new CompilerServer({ name: 'test', version: '0', session, roots: ['/tmp'], models: { model: never }, settings, log: () => undefined });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.server.connect(serverSide);
  const client = new Client({ name: 'test-client', version: '0' });
  await client.connect(clientSide);
  return { client, close: async () => (await client.close(), await server.close(), await session.close()) };
}

describe('the MCP server: one time limit per question', () => {
  it('ends an ask at the run time limit (--timeout) as a failed run, reason timeout, exit status 1', async () => {
    const { client, close } = await connect({ runTimeoutMs: 150 });
    try {
      const result = await client.callTool({ name: 'ask', arguments: { question: 'Where is add?' } });
      const record = result.structuredContent as { outcome: string; error?: { reason: string }; exitCode: number };
      assert.equal(result.isError, true);
      assert.equal(record.outcome, 'failed');
      assert.equal(record.error?.reason, 'timeout');
      assert.equal(record.exitCode, 1);
      const text = (result.content as Array<{ text: string }>)[0]!.text;
      assert.match(text, /^The question could not be answered: The run did not finish within its time limit of 0\.2 s/);
    } finally {
      await close();
    }
  });

  it('lists the session\'s tools and ask', async () => {
    const { client, close } = await connect({});
    try {
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['grep', 'ask']);
    } finally {
      await close();
    }
  });
});

describe('the MCP server: a failed ask says what the server\'s user can do', () => {
  const advice = (error: { reason: string }) => (error.reason === 'no-model' || error.reason === 'model-auth' ? `advice for ${error.reason}` : undefined);

  async function askWith(models: CompilerServerOptions['models']) {
    const session = new Session({ sources: [{ name: 'workspace', tools: () => [fakeTool('grep')] }] });
    const server = new CompilerServer({ name: 'test', version: '0', session, roots: ['/tmp'], models, settings: {}, log: () => undefined, advice });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.server.connect(serverSide);
    const client = new Client({ name: 'test-client', version: '0' });
    await client.connect(clientSide);
    try {
      const result = await client.callTool({ name: 'ask', arguments: { question: 'Where is add?' } });
      return { isError: result.isError, text: (result.content as Array<{ text: string }>)[0]!.text };
    } finally {
      await client.close();
      await server.close();
      await session.close();
    }
  }

  it('when no model can be picked from the server\'s list', async () => {
    const result = await askWith(async () => {
      throw new CompilerError('no-model', 'The model server at http://x/v1 lists no models.');
    });
    assert.deepEqual(result, { isError: true, text: 'The question could not be answered: The model server at http://x/v1 lists no models.\nadvice for no-model' });
  });

  it('when the run fails for a reason the user can act on', async () => {
    const refused = createScriptedModel(() => [{ error: new CompilerError('model-auth', 'The model server refused the API key (401).') }]);
    const result = await askWith({ model: refused });
    assert.equal(result.isError, true);
    assert.match(result.text, /^The question could not be answered: The model server refused the API key \(401\)\.\nadvice for model-auth$/);
  });
});
