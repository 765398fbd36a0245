import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import { buildCli, runCli } from '../../support/builtCli';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { Reply, TestChatRequest } from '../../support/modelServer/testServerScript';

const PLAN = `Thought: Find the function, then read its file.\n1. grep("function add", glob="src/**")\n2. read_file($1)\njoin()\n${END_OF_PLAN}`;
const ANSWER = '`add` is defined in src/math.ts:1 and returns a + b.';
const FINISH = `Thought: The file shows it.\nAction: Finish(${ANSWER})`;

function reply(request: TestChatRequest): Reply {
  return request.stop.includes(END_OF_PLAN) ? PLAN : FINISH;
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('llm-compiler CLI (built bundle, loopback model server)', function () {
  this.timeout(60_000);
  let server: OpenAITestServer;
  let repo: string;

  before(async () => {
    await buildCli();
    repo = await mkdtemp(path.join(tmpdir(), 'llm-compiler-cli-'));
    await mkdir(path.join(repo, 'src'));
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
    await writeFile(path.join(repo, 'src', 'main.ts'), "import { add } from './math';\nconsole.log(add(1, 2));\n");
    server = await startOpenAITestServer({ script: reply });
  });

  after(async () => {
    await server?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  beforeEach(() => server.setScript(reply));

  const ask = (...extra: string[]) => ['ask', 'Where is add defined?', '--cwd', repo, '--base-url', server.url, '--model', 'test-model', ...extra];

  it('shows the plan as it runs and the footer on stderr, the answer alone on stdout, and exits 0', async () => {
    const result = await runCli(ask());
    assert.equal(result.code, 0, result.stderr);
    // `llm-compiler ask … > answer.md` keeps the answer alone.
    assert.equal(result.stdout, `${ANSWER}\n`);
    assert.match(result.stderr, /1\. grep\("function add", glob="src\/\*\*"\)/);
    assert.match(result.stderr, /2\. read_file\(\$1\)\s+after \$1/);
    assert.match(result.stderr, /▸ 1 grep/);
    assert.match(result.stderr, /✓ 1 grep ok \d+ ms/);
    assert.match(result.stderr, /✓ 2 read_file ok \d+ ms/);
    assert.doesNotMatch(result.stderr, /\u001b\[/, 'no colors when stderr is not a terminal');
    const footer = result.stderr.trimEnd().split('\n').at(-1)!;
    assert.match(footer, /^LLM Compiler · 2 tasks \(up to 1 in parallel\) · 2 LLM calls(?: \(\+\d+ read-aheads?\))? · [\d,]+ in \/ [\d,]+ out tokens · [\d.]+ m?s wall time/);
  });

  it('--json prints every event as one JSON line, then the summary', async () => {
    const result = await runCli(ask('--json'));
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const types = lines.map((l) => l.type);
    for (const type of ['run-start', 'llm-start', 'llm-end', 'plan-start', 'task-planned', 'task-started', 'task-finished', 'plan-end', 'join-start', 'answer-delta', 'run-end']) {
      assert.ok(types.includes(type), `a ${type} event`);
    }
    for (const event of lines.slice(0, -1)) assert.equal(typeof event.t, 'number', `${String(event.type)} has t`);
    for (const event of lines.filter((l) => l.type === 'task-planned' || l.type === 'task-finished')) {
      assert.equal(typeof event.id, 'number');
      assert.equal(typeof event.tool, 'string');
      assert.equal(typeof event.args, 'string');
      assert.ok(Array.isArray(event.deps));
    }
    const finished = lines.filter((l) => l.type === 'task-finished');
    assert.deepEqual(finished.map((f) => [f.id, f.status, f.deps]), [[1, 'ok', []], [2, 'ok', [1]]]);
    for (const f of finished) assert.equal(typeof f.ms, 'number');
    const summary = lines.at(-1)!;
    assert.equal(summary.type, 'summary');
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, ANSWER);
    assert.equal(summary.llmCalls, 2);
    for (const key of ['inputTokens', 'outputTokens', 'wallMs']) assert.equal(typeof summary[key], 'number', key);
    assert.ok((summary.inputTokens as number) > 0);
    assert.equal(summary.exitCode, 0);
    assert.equal(lines.at(-2)!.type, 'run-end');
  });

  it('--mode function-calling: the model calls the real tools as functions, two at once, and answers', async () => {
    const FC_ANSWER = '`add` is in src/math.ts:1.';
    server.setScript((request) =>
      request.messages.some((m) => m.role === 'tool')
        ? FC_ANSWER
        : {
            text: '',
            toolCalls: [
              { id: 'call_grep', name: 'grep', arguments: '{"pattern": "function add", "glob": "src/**"}' },
              { id: 'call_files', name: 'find_files', arguments: '{"glob": "src/*.ts"}' },
            ],
          },
    );
    const seen = server.requests.length;
    const result = await runCli(ask('--mode', 'function-calling'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /function-calling · openai:test-model/);
    assert.match(result.stderr, /model turn 1 …/);
    assert.match(result.stderr, /1\. grep\(pattern="function add", glob="src\/\*\*"\)/);
    assert.match(result.stderr, /2\. find_files\(glob="src\/\*\.ts"\)/);
    assert.match(result.stderr, /✓ 1 grep ok/);
    assert.match(result.stderr, /✓ 2 find_files ok/);
    assert.equal(result.stdout, `${FC_ANSWER}\n`);
    assert.match(result.stderr.trimEnd().split('\n').at(-1)!, /^function calling · 2 tasks \(up to 2 in parallel\) · 2 LLM calls/);

    const [first, second] = server.requests.slice(seen).flatMap((r) => (r.chat ? [r.chat] : []));
    assert.ok(first!.tools.some((t) => t.name === 'grep' && (t.parameters as { required?: string[] }).required?.includes('pattern')));
    assert.equal(first!.body.tool_choice, 'auto');
    const results = second!.messages.filter((m) => m.role === 'tool');
    assert.deepEqual(results.map((m) => m.toolCallId), ['call_grep', 'call_files']);
    assert.match(results[0]!.content, /src\/math\.ts\n\s+1: export function add/);
    assert.match(results[1]!.content, /src\/main\.ts/);
  });

  it('--max-turns bounds a function-calling run', async () => {
    server.setScript((request) =>
      request.tools.length ? { text: '', toolCalls: [{ id: 'c', name: 'list_dir', arguments: '{}' }] } : 'Stopped looking: src/ has two files.',
    );
    const seen = server.requests.length;
    const result = await runCli(ask('--mode', 'function-calling', '--max-turns', '1'));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Stopped looking/);
    assert.deepEqual(
      server.requests.slice(seen).flatMap((r) => (r.chat ? [r.chat.tools.length > 0] : [])),
      [true, false],
    );
  });

  it('exits 2 on a usage error with one line that names the mistake and points to --help', async () => {
    const result = await runCli(['ask', '--mode', 'fast', 'q']);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'llm-compiler: --mode must be one of compiler, react, plan-execute, function-calling; got "fast" (see llm-compiler --help)\n',
    );
    const negative = await runCli(['ask', 'q', '--timeout', '-5']);
    assert.equal(negative.code, 2);
    assert.equal(negative.stderr, 'llm-compiler: --timeout must be a whole number of at least 1; got "-5" (see llm-compiler --help)\n');
    const missing = await runCli(['ask', 'q', '--cwd', path.join(repo, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
  });

  it('exits 3 naming the URL and how to set it when no model server answers', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const result = await runCli(['ask', 'q', '--cwd', repo, '--base-url', url]);
    assert.equal(result.code, 3, result.stderr);
    assert.ok(result.stderr.includes(url));
    assert.match(result.stderr, /--base-url/);
    assert.match(result.stderr, /OPENAI_BASE_URL/);
    assert.match(result.stderr, /OPENAI_API_KEY/);
  });

  it('exits 1 when the run fails', async () => {
    server.setScript(() => ({ fault: 'model-not-found' }));
    const result = await runCli(ask());
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /test-model/);
    assert.match(result.stderr, /\n {2}Name a model with --model NAME \(or OPENAI_MODEL\)\.\n$/);
  });

  it('cancels on Ctrl-C: prints "cancelled" and exits 130', async () => {
    server.setScript(() => ({ fault: 'hang' }));
    const seen = server.requests.length;
    const result = await runCli(ask('--json'), {
      onStart: (child) => {
        void server.waitFor((requests) => requests.length > seen).then(() => child.kill('SIGINT'));
      },
    });
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /cancelled/);
    const last = JSON.parse(result.stdout.trimEnd().split('\n').at(-1)!) as { type: string; outcome: string };
    assert.deepEqual([last.type, last.outcome], ['summary', 'cancelled']);
  });

  it('prints its version and help', async () => {
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--max-concurrency/);
  });
});
