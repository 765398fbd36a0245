import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runAsk } from '../../../src/cli/askCommand';
import type { AskOptions } from '../../../src/cli/askCommand';
import { createNodeSession } from '../../../src/host/nodeSession';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import type { CompilerEvent, EventOf } from '../../../src/shared/runEvents';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { TestChatRequest } from '../../support/modelServer/testServerScript';

const PLAN = `1. grep("function add", glob="src/**")\n2. read_file("src/math.ts")\njoin()\n${END_OF_PLAN}`;
const FINISH = 'Thought: Seen.\nAction: Finish(`add` is in src/math.ts:1.)';

/** Collects what a `--json` run prints. */
function sink() {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    lines: () => text.trim().split('\n').map((l) => JSON.parse(l) as CompilerEvent | { type: 'summary'; tasks: { cached: number }; savedToolMs?: number }),
  };
}

describe('llm-compiler ask: one process is one session', function () {
  this.timeout(60_000);
  let server: OpenAITestServer;
  let repo: string;

  before(async () => {
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-session-')));
    await mkdir(path.join(repo, 'src'));
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
    server = await startOpenAITestServer({ script: (request: TestChatRequest) => (request.stop.includes(END_OF_PLAN) ? PLAN : FINISH) });
    await sleep(150);
  });
  after(async () => {
    await server?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  const options = (): AskOptions => ({
    question: 'Where is add defined?',
    cwd: repo,
    mode: 'compiler',
    readAhead: 'auto',
    baseURL: server.url,
    baseURLSource: '--base-url',
    model: 'test-model',
    json: true,
  });

  async function ask(session: ReturnType<typeof createNodeSession>) {
    const out = sink();
    const err = sink();
    const code = await runAsk(options(), { stdout: out, stderr: err, env: {}, interrupt: new AbortController().signal, session });
    assert.equal(code, 0);
    const lines = out.lines();
    const finished = lines.filter((l): l is EventOf<'task-finished'> => l.type === 'task-finished').sort((a, b) => a.id - b.id);
    const start = lines.find((l): l is EventOf<'run-start'> => l.type === 'run-start')!;
    const summary = lines.at(-1) as { type: 'summary'; tasks: { cached: number }; savedToolMs?: number };
    return { finished, runId: start.runId, summary };
  }

  it('reuses the first question\'s tool results in the second, and reads an edited file afresh in the third', async () => {
    const session = createNodeSession();
    const first = await ask(session);
    assert.deepEqual(first.finished.map((e) => e.status), ['ok', 'ok']);
    const second = await ask(session);
    assert.deepEqual(second.finished.map((e) => [e.status, e.cachedFromRun]), [['cached', first.runId], ['cached', first.runId]]);
    assert.equal(second.summary.tasks.cached, 2);
    await writeFile(path.join(repo, 'src', 'math.ts'), 'export function add(a: number, b: number): number {\n  return b + a;\n}\n');
    const third = await ask(session);
    assert.deepEqual(third.finished.map((e) => e.status), ['ok', 'ok']);
    assert.match(third.finished[1].text, /return b \+ a/);
    const fresh = await ask(createNodeSession());
    assert.deepEqual(fresh.finished.map((e) => e.status), ['ok', 'ok'], 'another process shares nothing');
  });
});
