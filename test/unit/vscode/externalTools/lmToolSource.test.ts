import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { CompilerError, isAbortError } from '../../../../src/base/errors';
import { Session } from '../../../../src/host/session';
import type { ToolSource } from '../../../../src/host/toolSource';
import type { JsonObject } from '../../../../src/shared/json';
import type { CompilerEvent } from '../../../../src/shared/runEvents';
import type { Tool, ToolReads } from '../../../../src/shared/toolContract';
import { LmToolSource, toolOrigin } from '../../../../src/vscode/externalTools/lmToolSource';
import type { ExtensionManifest, LmToolSourceDeps } from '../../../../src/vscode/externalTools/lmToolSource';
import { fakeTool } from '../../../support/fakeTools';
import { createScriptedModel } from '../../../support/scriptedModel';
import { findTool, rejectionOf, toolContext } from '../../../support/toolHarness';

// The source against a fake of the part of VS Code it uses: `vscode.lm.tools` and `invokeTool`, the installed
// extensions' manifests, Workspace Trust, the setting, the log and the token that follows a signal.

interface Invocation {
  name: string;
  input: object;
  toolInvocationToken: unknown;
  token: vscode.CancellationToken;
}

type Answer = (invocation: Invocation) => Promise<{ content: unknown[] }>;

const text = (value: string) => ({ value });

/** A tool as `vscode.lm.tools` lists it. */
function info(name: string, inputSchema?: object, description = `${name} does things.`): vscode.LanguageModelToolInformation {
  return { name, description, inputSchema, tags: [] };
}

const EXTENSIONS: ExtensionManifest[] = [
  { id: 'vscode.git', packageJSON: { contributes: {} } },
  { id: 'acme.lookups', packageJSON: { contributes: { languageModelTools: [{ name: 'acme_find' }, { name: 'acme-lookup' }, { name: 'acme_slow' }] } } },
  { id: 'other.tools', packageJSON: { contributes: { languageModelTools: [{ name: 'other_tool' }, { name: 'grep' }, { name: 'acme.lookup' }] } } },
  { id: 'llm-compiler.llm-compiler', packageJSON: { contributes: { languageModelTools: [{ name: 'llm-compiler_ask' }] } } },
];

const FIND_SCHEMA = {
  type: 'object',
  properties: {
    query: { type: 'string', description: 'What to find.' },
    limit: { type: 'integer', minimum: 1, description: 'At most this many.' },
    filter: { type: 'object', properties: { kind: { type: 'string' } } },
  },
  required: ['query'],
};

/** A fake token that follows a signal, as `tokenFromSignal` makes one, counting the disposed ones. */
function fakeTokens() {
  const made = { count: 0, disposed: 0 };
  const tokenFromSignal = (signal: AbortSignal) => {
    made.count++;
    const listeners: Array<() => void> = [];
    const token = {
      get isCancellationRequested() {
        return signal.aborted;
      },
      onCancellationRequested: (listener: () => void) => {
        listeners.push(listener);
        return { dispose: () => undefined };
      },
    } as unknown as vscode.CancellationToken;
    const onAbort = () => listeners.forEach((l) => l());
    signal.addEventListener('abort', onAbort, { once: true });
    return {
      token,
      dispose: () => {
        made.disposed++;
        signal.removeEventListener('abort', onAbort);
      },
    };
  };
  return { made, tokenFromSignal };
}

function setup(options: { tools?: vscode.LanguageModelToolInformation[]; globs?: string[]; trusted?: boolean; answer?: Answer } = {}) {
  const invocations: Invocation[] = [];
  const logged: Array<[string, string]> = [];
  const state = { trusted: options.trusted ?? true, globs: options.globs ?? ['acme_*'] };
  const tokens = fakeTokens();
  const answer: Answer = options.answer ?? (async ({ name, input }) => ({ content: [text(`${name} got ${JSON.stringify(input)}`)] }));
  const deps: LmToolSourceDeps = {
    lm: {
      tools: options.tools ?? [info('acme_find', FIND_SCHEMA), info('acme-lookup'), info('other_tool'), info('llm-compiler_ask')],
      invokeTool: (name, opts, token) => {
        const invocation = { name, input: opts.input, toolInvocationToken: opts.toolInvocationToken, token: token! };
        invocations.push(invocation);
        return answer(invocation);
      },
    },
    isTrusted: () => state.trusted,
    globs: () => state.globs,
    extensions: () => EXTENSIONS,
    takenNames: () => ['grep', 'read_file'],
    tokenFromSignal: tokens.tokenFromSignal,
    log: { info: (m) => logged.push(['info', m]), error: (m) => logged.push(['error', m]) },
  };
  return { source: new LmToolSource(deps), invocations, logged, state, tokens };
}

const names = (tools: readonly Tool[]) => tools.map((t) => t.name);
const signal = () => new AbortController().signal;

describe('the language-model tools of other extensions as a tool source', () => {
  it('offers nothing while llmCompiler.externalTools names nothing, whatever VS Code lists', () => {
    const { source, logged } = setup({ globs: [] });
    assert.deepEqual(source.tools(signal()), []);
    assert.deepEqual(logged, []);
  });

  it('offers the tools the globs name, matched on the name VS Code lists or the planner writes', () => {
    const { source, state } = setup({ globs: ['acme_f*'] });
    assert.deepEqual(names(source.tools(signal())), ['acme_find']);
    // `acme-lookup` is `acme_lookup` to the planner: either spelling names it.
    state.globs = ['acme_*'];
    assert.deepEqual(names(source.tools(signal())), ['acme_find', 'acme_lookup']);
    state.globs = ['acme-lookup', 'other_tool'];
    assert.deepEqual(names(source.tools(signal())), ['acme_lookup', 'other_tool']);
    state.globs = ['nothing*'];
    assert.deepEqual(names(source.tools(signal())), []);
  });

  it('never offers its own llm-compiler_ask, even to a glob that names every tool', () => {
    const { source } = setup({ globs: ['*'] });
    const offered = names(source.tools(signal()));
    assert.deepEqual(offered, ['acme_find', 'acme_lookup', 'other_tool']);
    assert.ok(!offered.some((n) => n.startsWith('llm')));
  });

  it('offers none in an untrusted workspace, and says so once in the log', () => {
    const { source, state, logged } = setup({ globs: ['*'], trusted: false });
    assert.deepEqual(source.tools(signal()), []);
    assert.deepEqual(source.tools(signal()), []);
    assert.deepEqual(logged, [['info', 'external tools: none offered, this workspace is not trusted']]);
    // Trust granted: the same setting offers them at the next question.
    state.trusted = true;
    assert.equal(source.tools(signal()).length, 3);
  });

  it('describes each tool to the planner: its name sanitised, its parameters from the input schema, its origin', () => {
    const { source } = setup({ globs: ['*'] });
    const [find, lookup] = source.tools(signal());
    assert.equal(find!.name, 'acme_find');
    assert.equal(find!.description, 'acme_find does things.');
    assert.deepEqual(find!.params, [
      { name: 'query', schema: FIND_SCHEMA.properties.query, description: 'What to find.' },
      { name: 'limit', schema: FIND_SCHEMA.properties.limit, optional: true, description: 'At most this many.' },
      { name: 'filter', schema: FIND_SCHEMA.properties.filter, optional: true, description: '' },
    ]);
    assert.deepEqual(find!.inputSchema, FIND_SCHEMA);
    assert.deepEqual(find!.origin, { kind: 'extension', name: 'acme.lookups' });
    // No input schema: no parameters, and none to check arguments against.
    assert.equal(lookup!.name, 'acme_lookup');
    assert.deepEqual(lookup!.params, []);
    assert.equal(lookup!.inputSchema, undefined);
  });

  it('names the source of a tool: the extension that contributes it, an MCP server, or VS Code', () => {
    assert.deepEqual(toolOrigin('other_tool', EXTENSIONS), { kind: 'extension', name: 'other.tools' });
    assert.deepEqual(toolOrigin('mcp_github_get_issue', EXTENSIONS), { kind: 'mcp', name: 'github' });
    assert.deepEqual(toolOrigin('vscode_fetchWebPage_internal', EXTENSIONS), { kind: 'extension', name: 'vscode' });
  });

  it('leaves out a tool whose name clashes, with an error in the log, once', () => {
    const { source, logged } = setup({
      globs: ['*'],
      tools: [info('grep'), info('acme-lookup'), info('acme.lookup'), info('acme_find')],
    });
    assert.deepEqual(names(source.tools(signal())), ['acme_find']);
    assert.deepEqual(names(source.tools(signal())), ['acme_find']);
    assert.deepEqual(logged, [
      ['error', 'external tools: "grep" would be called grep, the name of a workspace tool: left out'],
      ['error', 'external tools: "acme-lookup" and "acme.lookup" would all be called acme_lookup: each is left out'],
      ['info', 'external tools offered: acme_find (extension acme.lookups)'],
    ]);
  });

  it('calls the tool by its own name with the arguments as its input, and joins the text parts of its result', async () => {
    const { source, invocations } = setup({
      answer: async () => ({ content: [text('first '), text('second'), { value: { node: { text: 'a prompt-tsx tree' } } }, text('after')] }),
    });
    const tool = findTool([...source.tools(signal())], 'acme_lookup');
    const output = await tool.run({ query: 'x', limit: 2 }, toolContext([]));
    assert.equal(invocations[0]!.name, 'acme-lookup');
    assert.deepEqual(invocations[0]!.input, { query: 'x', limit: 2 });
    assert.equal(output.text, 'first second\n[a prompt-tsx element returned, not shown]\nafter');
  });

  it('turns a data part into one line naming what was returned', async () => {
    const png = { mimeType: 'image/png', data: new Uint8Array(12_345) };
    const { source } = setup({ answer: async () => ({ content: [png] }) });
    const output = await findTool([...source.tools(signal())], 'acme_find').run({ query: 'x' }, toolContext([]));
    assert.equal(output.text, '[image/png data returned, 12,345 bytes, not shown]');
    const empty = setup({ answer: async () => ({ content: [] }) });
    assert.equal((await findTool([...empty.source.tools(signal())], 'acme_find').run({}, toolContext([]))).text, '(the tool returned nothing)');
  });

  it('keeps the result within the text budget, marking the cut', async () => {
    const { source } = setup({ answer: async () => ({ content: [text('x'.repeat(5_000))] }) });
    const output = await findTool([...source.tools(signal())], 'acme_find').run({}, toolContext([], { maxChars: 1_000 }));
    assert.ok(output.text.length <= 1_000);
    assert.match(output.text, /\[truncated: \d+ more characters\]$/);
    assert.equal(output.truncated, true);
  });

  it('withholds keys and tokens another extension\'s tool returns, as the session offers it', async () => {
    const token = `ghp_${'A1b2C3d4'.repeat(5).slice(0, 36)}`;
    const { source } = setup({ answer: async () => ({ content: [text(`GITHUB_TOKEN=${token}`)] }) });
    // The session holds every external tool to the workspace tools' rules, whichever source brought it.
    const offered = await new Session({ sources: [source] }).tools(signal());
    const output = await offered.get('acme_find')!.run({}, toolContext([]));
    assert.ok(!output.text.includes(token), output.text);
    assert.match(output.text, /withheld/i);
  });

  it('says its results may not be reused by later questions', async () => {
    const { source } = setup();
    let volatile = 0;
    const reads: ToolReads = { path: async () => {}, tree: async () => {}, git: async () => {}, volatile: () => void volatile++ };
    await findTool([...source.tools(signal())], 'acme_find').run({}, toolContext([], { reads }));
    assert.equal(volatile, 1);
  });

  it('passes the Chat request\'s toolInvocationToken of the question the tools were offered for, else none', async () => {
    const { source, invocations } = setup();
    const chat = new AbortController();
    const palette = new AbortController();
    const chatToken = { chatRequest: 1 } as unknown as vscode.ChatParticipantToolToken;
    source.bindRun(chat.signal, chatToken);
    source.bindRun(palette.signal, undefined);
    await findTool([...source.tools(chat.signal)], 'acme_find').run({}, toolContext([]));
    await findTool([...source.tools(palette.signal)], 'acme_find').run({}, toolContext([]));
    assert.equal(invocations[0]!.toolInvocationToken, chatToken);
    assert.equal(invocations[1]!.toolInvocationToken, undefined);
  });

  it('fails as tool-failed when the tool throws, naming the tool', async () => {
    const { source, tokens } = setup({ answer: async () => Promise.reject(new Error('the server said no')) });
    const error = await rejectionOf(findTool([...source.tools(signal())], 'acme_find').run({}, toolContext([])));
    assert.ok(error instanceof CompilerError);
    assert.equal(error.reason, 'tool-failed');
    assert.equal(error.message, 'acme_find failed: the server said no');
    assert.equal(tokens.made.disposed, tokens.made.count);
  });

  it('cancels the call through its token when the task\'s signal aborts, and ends as cancelled', async () => {
    let cancelled = false;
    const { source, tokens } = setup({
      answer: ({ token }) =>
        new Promise((_, reject) => {
          token.onCancellationRequested(() => {
            cancelled = true;
            reject(Object.assign(new Error('Canceled'), { name: 'Canceled' }));
          });
        }),
    });
    const controller = new AbortController();
    const running = findTool([...source.tools(signal())], 'acme_find').run({}, toolContext([], { signal: controller.signal }));
    controller.abort();
    const error = await rejectionOf(running);
    assert.ok(cancelled, 'the token passed to invokeTool was cancelled');
    assert.ok(isAbortError(error), String(error));
    assert.equal(tokens.made.count, 1);
    assert.equal(tokens.made.disposed, 1);
  });

  it('runs in a session beside the workspace tools: the planner calls it by name with named arguments', async () => {
    const slowCalls: Array<{ input: object; toolInvocationToken: unknown }> = [];
    const { source } = setup({
      globs: ['acme_slow'],
      tools: [info('acme_slow', { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] })],
      answer: async ({ input, toolInvocationToken }) => {
        slowCalls.push({ input, toolInvocationToken });
        await new Promise((r) => setTimeout(r, 50));
        return { content: [text(`echo ${(input as JsonObject).text}`)] };
      },
    });
    const workspace: ToolSource = { name: 'workspace', tools: () => [fakeTool('grep')] };
    const session = new Session({ sources: [workspace, source] });
    const events: CompilerEvent[] = [];
    const controller = new AbortController();
    const chatToken = { chatRequest: 2 } as unknown as vscode.ChatParticipantToolToken;
    source.bindRun(controller.signal, chatToken);
    const summary = await session.ask({
      question: 'Echo both',
      models: {
        model: createScriptedModel(['1. acme_slow(text="a")\n2. acme_slow(text="b")\n3. grep("x")\njoin()\n<END_OF_PLAN>'], { id: 'planner' }),
        joinerModel: createScriptedModel(['Thought: Both echoed.\nAction: Finish(a and b.)'], { id: 'joiner' }),
      },
      roots: ['/tmp'],
      signal: controller.signal,
      observer: (e) => events.push(e),
    });
    assert.equal(summary.outcome, 'answered', JSON.stringify(summary.error));
    // The two calls run at once, and the guard's look at each argument (a file check) may let either start first.
    slowCalls.sort((x, y) => String((x.input as JsonObject).text).localeCompare(String((y.input as JsonObject).text)));
    assert.deepEqual(slowCalls, [
      { input: { text: 'a' }, toolInvocationToken: chatToken },
      { input: { text: 'b' }, toolInvocationToken: chatToken },
    ]);
    const finished = events.filter((e) => e.type === 'task-finished');
    assert.deepEqual(finished.map((e) => [e.id, e.status, e.text]).sort(), [[1, 'ok', 'echo a'], [2, 'ok', 'echo b'], [3, 'ok', 'grep:x']]);
    const planned = events.filter((e) => e.type === 'task-planned');
    assert.deepEqual(planned.map((e) => e.origin), [{ kind: 'extension', name: 'acme.lookups' }, { kind: 'extension', name: 'acme.lookups' }, undefined]);
    // The three calls ran at once.
    assert.equal(summary.maxParallel, 3);
  });
});
