import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runAsk } from '../../../src/cli/askCommand';
import type { AskOptions } from '../../../src/cli/askCommand';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import { createNodeSession } from '../../../src/host/nodeSession';
import type { Session } from '../../../src/host/session';
import { RIPGREP } from '../../support/backends';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { OpenAITestServerOptions } from '../../support/modelServer/serverState';
import type { Reply, TestChatRequest } from '../../support/modelServer/testServerScript';

const PLAN = `1. grep("function add", glob="src/**")\n2. read_file($1)\njoin()\n${END_OF_PLAN}`;
const ANSWER = '`add` is defined in src/math.ts:1.';

function reply(request: TestChatRequest): Reply {
  return request.stop.includes(END_OF_PLAN) ? PLAN : `Thought: Seen.\nAction: Finish(${ANSWER})`;
}

/** One session for the file: its tools (and their language service) are made once. */
let shared: Session | undefined;

/** What `llm-compiler ask` prints, in process: its exit code, stdout and stderr. */
async function ask(server: OpenAITestServer, repo: string, options: Partial<AskOptions> & { baseURL?: string } = {}, session = shared) {
  let stdout = '';
  let stderr = '';
  const code = await runAsk(
    {
      question: 'Where is add defined?',
      cwd: repo,
      mode: 'compiler',
      readAhead: 'off',
      baseURL: server.url,
      baseURLSource: '--base-url',
      json: false,
      ...options,
    },
    {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: {},
      interrupt: new AbortController().signal,
      session: session ?? (shared = createNodeSession()),
    },
  );
  return { code, stdout, stderr, lines: stderr.trimEnd().split('\n') };
}

describe('llm-compiler ask: what a terminal is told', function () {
  this.timeout(30_000);
  let repo: string;
  const servers: OpenAITestServer[] = [];
  const serve = async (options: OpenAITestServerOptions) => {
    const server = await startOpenAITestServer({ script: reply, ...options });
    servers.push(server);
    return server;
  };

  before(async () => {
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-messages-')));
    await mkdir(path.join(repo, 'src'));
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await shared?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  describe('failures, in words for a terminal', () => {
    it('a 401 without a key: says none was sent, and to set OPENAI_API_KEY', async () => {
      const server = await serve({ apiKey: 'sk-right' });
      const result = await ask(server, repo, { model: 'test-model' });
      assert.equal(result.code, 1, result.stderr);
      assert.deepEqual(result.lines.slice(-2), [
        `llm-compiler: The model server at ${server.url} asks for an API key (401) and none was sent: Incorrect API key provided.`,
        '  Set OPENAI_API_KEY to a key for this server.',
      ]);
      assert.doesNotMatch(result.stderr, /LLM Compiler: Set API Key|\.\./);
    });

    it('a 401 with a wrong key: says the key was refused, and to check OPENAI_API_KEY', async () => {
      const server = await serve({ apiKey: 'sk-right' });
      const result = await ask(server, repo, { model: 'test-model', apiKey: 'sk-wrong' });
      assert.equal(result.code, 1, result.stderr);
      assert.deepEqual(result.lines.slice(-2), [
        `llm-compiler: The model server at ${server.url} refused the API key (401): Incorrect API key provided.`,
        '  Check OPENAI_API_KEY: the server refused the key it holds.',
      ]);
      assert.doesNotMatch(result.stderr, /LLM Compiler: Set API Key/);
    });

    it('a plain web server (501): the endpoint hint after one request, exit 1, not "no model server answers"', async () => {
      const server = await serve({ script: () => ({ fault: 'web-page', status: 501 }) });
      const result = await ask(server, repo, { model: 'test-model' });
      assert.equal(result.code, 1, result.stderr);
      assert.equal(
        result.lines.at(-1),
        `llm-compiler: The model server at ${server.url} does not serve chat completions (501 Not Implemented): an HTML page. Is this an OpenAI-compatible endpoint? (Its base URL usually ends in /v1.)`,
      );
      assert.equal(server.requests.filter((r) => r.chat).length, 1);
    });

    for (const [name, fault, said] of [
      ['an HTML page labelled text/event-stream', { fault: 'html-stream' }, /sent a web page \(HTML\) labelled as a stream of events/],
      ['a chunk whose content is a number', { fault: 'wrong-content', content: 12345 }, /delta\.content is a number \(12345\), not text\.$/],
      ['a connection cut mid-answer', { fault: 'cut', afterChunks: 2 }, /closed the connection in the middle of the answer\.$/],
    ] as const) {
      it(`${name}: names what the server did after one request, exit 1`, async () => {
        const server = await serve({ script: () => fault });
        const result = await ask(server, repo, { model: 'test-model' });
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.lines.at(-1)!, said);
        assert.doesNotMatch(result.stderr, /no model server answers|ollama serve|wrote no answer|is not a function/);
        assert.equal(server.requests.filter((r) => r.chat).length, 1);
      });
    }
  });

  describe('the model, when none is named', () => {
    it('is the first the server lists by name that chats, and stderr says which in one line (--verbose: how)', async () => {
      const server = await serve({ models: ['qwen2.5-coder:7b', 'nomic-embed-text', 'llama3.1:8b'] });
      const result = await ask(server, repo);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${ANSWER}\n`);
      assert.deepEqual(
        result.lines.filter((l) => l.includes('picked')),
        [`llm-compiler: model llama3.1:8b, picked from the 3 models at ${server.url} (--model NAME or OPENAI_MODEL names another)`],
      );
      assert.deepEqual([...new Set(server.requests.flatMap((r) => (r.chat ? [r.chat.model] : [])))], ['llama3.1:8b']);

      const verbose = await ask(server, repo, { verbose: true });
      assert.equal(verbose.code, 0, verbose.stderr);
      assert.ok(
        verbose.lines.includes(
          `llm-compiler: picked as the first by name of GET ${server.url}/models, leaving out nomic-embed-text (names of models that do not chat); listed: llama3.1:8b, nomic-embed-text, qwen2.5-coder:7b`,
        ),
        verbose.stderr,
      );
    });

    it('a named model is used as named, without picking from the server\'s list', async () => {
      const server = await serve({ models: ['qwen2.5-coder:7b', 'llama3.1:8b'] });
      const result = await ask(server, repo, { model: 'qwen2.5-coder:7b' });
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /picked/);
      assert.deepEqual([...new Set(server.requests.flatMap((r) => (r.chat ? [r.chat.model] : [])))], ['qwen2.5-coder:7b']);
      // The one listing left is the model's context being looked up; picking a model would list them once more.
      assert.equal(server.requests.filter((r) => r.path === '/v1/models').length, 1);
    });

    it('a server that lists none, only models that do not chat, or no list at all: exit 1, a clear error naming --model', async () => {
      const empty = await serve({ models: [] });
      const none = await ask(empty, repo);
      assert.equal(none.code, 1, none.stderr);
      assert.equal(
        none.stderr,
        `llm-compiler: The model server at ${empty.url} lists no models (for Ollama, \`ollama pull <model>\` first).\n  Name a model with --model NAME (or OPENAI_MODEL).\n`,
      );
      const embeddings = await serve({ models: ['nomic-embed-text'] });
      const only = await ask(embeddings, repo);
      assert.equal(only.code, 1, only.stderr);
      assert.deepEqual(only.lines, [
        `llm-compiler: The model server at ${embeddings.url} lists only models that do not chat: nomic-embed-text.`,
        '  Name a model with --model NAME (or OPENAI_MODEL).',
      ]);
      const noList = await ask(empty, repo, { baseURL: `${empty.url}/nowhere` });
      assert.equal(noList.code, 1, noList.stderr);
      assert.deepEqual(noList.lines, [
        `llm-compiler: The model server at ${empty.url}/nowhere has no model list to pick a model from (GET ${empty.url}/nowhere/models answered 404). Is this an OpenAI-compatible endpoint? (Its base URL usually ends in /v1.)`,
        '  Name a model with --model NAME (or OPENAI_MODEL).',
      ]);
      assert.equal([empty, embeddings].flatMap((s) => s.requests.filter((r) => r.chat)).length, 0, 'no question was sent');
    });
  });

  it('--verbose names the workspace, the model and endpoint, the search backend and the tools offered; without it, none', async () => {
    const server = await serve({});
    const fallback = 'llm-compiler: search the JavaScript fallback (no rg on the PATH; slower on large trees)';
    const verbose = await ask(server, repo, { model: 'test-model', verbose: true });
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.equal(verbose.stdout, `${ANSWER}\n`);
    assert.deepEqual(verbose.lines.slice(0, 5), [
      `llm-compiler: workspace ${repo}`,
      `llm-compiler: model test-model at ${server.url} (base URL from --base-url, no API key)`,
      RIPGREP ? `llm-compiler: search ripgrep ${RIPGREP}` : fallback,
      'llm-compiler: tools offered (12): list_dir, find_files, grep, read_file, symbols, definition, references, outline, git_log, git_show, git_blame, git_diff',
      'llm-compiler: mode compiler, up to 8 tasks at once, 3 planning rounds, time limit 600 s',
    ]);

    // A session made without rg on the PATH searches with the fallback, and says so.
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    const noRg = createNodeSession();
    try {
      const withoutRg = await ask(server, repo, { model: 'test-model', verbose: true }, noRg);
      assert.equal(withoutRg.code, 0, withoutRg.stderr);
      assert.equal(withoutRg.lines[2], fallback);
    } finally {
      process.env.PATH = path;
      await noRg.close();
    }

    const quiet = await ask(server, repo, { model: 'test-model' });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /llm-compiler: (workspace|model|search|tools offered|mode)/);
  });
});
