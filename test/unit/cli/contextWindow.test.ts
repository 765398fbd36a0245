import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import { buildCli, runCli } from '../../support/builtCli';
import type { ServerContext } from '../../support/modelServer/context/contextWindow';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { TestChatRequest } from '../../support/modelServer/testServerScript';

// A plan that reads a 3,000-line file whole, greps it and outlines it: far more than a 4,096-token context holds.
const PLAN = `1. read_file("src/big.ts")\n2. grep("export function", glob="src/**")\n3. outline("src/big.ts")\njoin()\n${END_OF_PLAN}`;
const ANSWER = 'Each handler appends its number to its input (src/big.ts:1).';
const reply = (request: TestChatRequest) => (request.stop.includes(END_OF_PLAN) ? PLAN : `Thought: it is clear.\nAction: Finish(${ANSWER})`);

describe("llm-compiler CLI against a small model's context (built bundle, loopback model server)", function () {
  this.timeout(90_000);
  let server: OpenAITestServer;
  let repo: string;

  before(async () => {
    await buildCli();
    repo = await mkdtemp(path.join(tmpdir(), 'llm-compiler-cli-context-'));
    await mkdir(path.join(repo, 'src'));
    const lines = Array.from({ length: 1000 }, (_, i) => `export function handler${i}(input: string): string {\n  return input + '${i}';\n}`);
    await writeFile(path.join(repo, 'src', 'big.ts'), `${lines.join('\n')}\n`);
    server = await startOpenAITestServer({ script: reply });
  });
  after(async () => {
    await server?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  const ask = (...extra: string[]) => ['ask', 'What do the handlers do?', '--cwd', repo, '--base-url', server.url, '--model', 'test-model', ...extra];

  async function run(context: ServerContext, ...extra: string[]) {
    server.setContext(context);
    const seen = server.requests.length;
    const result = await runCli(ask(...extra));
    return { result, chats: server.requests.slice(seen).filter((r) => r.chat !== undefined) };
  }

  for (const kind of ['llama.cpp', 'ollama'] as const) {
    it(`${kind} reporting 4,096 tokens: every request is served whole, results cut with a marker, and the answer comes back`, async () => {
      const { result, chats } = await run({ kind, tokens: 4096 }, '--verbose');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${ANSWER}\n`);
      assert.match(result.stderr, /context: 4,096 tokens|4,096 tokens of context/);
      assert.ok(chats.length >= 2);
      for (const r of chats) {
        assert.ok(!r.context?.refused && !r.context?.dropped, JSON.stringify(r.context));
        assert.ok(r.context!.promptTokens + r.chat!.maxTokens! <= 4096);
      }
      const joiner = chats.at(-1)!.chat!;
      assert.match(joiner.messages.at(-1)!.content, /cut to fit the model's context: [\d,]+ more characters/);
      // The footer (on stderr, after the answer) says results were cut.
      assert.match(result.stderr.trimEnd().split('\n').at(-1)!, /cut/);
    });
  }

  it('against 1,024 tokens: exits 1 before anything runs, with the context, the minimum and the fix', async () => {
    const { result, chats } = await run({ kind: 'ollama', tokens: 1024 });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /context holds 1,024 tokens \(Ollama \/api\/ps/);
    assert.match(result.stderr, /at least [\d,]+/);
    assert.match(result.stderr, /OLLAMA_CONTEXT_LENGTH=8192 ollama serve/);
    assert.doesNotMatch(result.stderr, /read_file/);
    assert.equal(chats.length, 0);
  });

  it('--context-tokens overrides the assumption for a server that does not say: nothing is refused', async () => {
    // OpenAI's shape: no metadata, and a request past the context refused.
    const { result, chats } = await run({ kind: 'openai', tokens: 4096 }, '--context-tokens', '4096');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(chats.every((r) => !r.context?.refused));
  });
});
