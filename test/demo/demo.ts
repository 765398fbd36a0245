// `npm run demo`: the real compiler, the real workspace tools and the real OpenAI client on this repository,
// with the model played by the loopback test server (scripted plan, latency like a hosted model), so the whole
// pipeline can be watched without an LLM.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startOpenAITestServer } from '../support/modelServer/openaiTestServer';
import type { TestChatRequest } from '../support/modelServer/testServerScript';

const ROOT = path.resolve(__dirname, '..', '..');
const QUESTION = 'How does the task scheduler decide which tasks to start, and which tests cover it?';

const PLAN = `1. grep("class TaskSchedule", glob="src/**")
2. find_files("test/unit/*chedule*")
3. grep("private fill", glob="src/core/**")
4. git_log("src/core/taskSchedule.ts", max_count=3)
5. read_file($3)
join()
<END_OF_PLAN>`;

/** The joiner's answer, built from the results it was really given, so the citations are true. */
function answer(request: TestChatRequest): string {
  const results = request.messages.at(-1)?.content ?? '';
  const fill = /(src\/core\/taskSchedule\.ts)\n\s+(\d+):\s+private fill/.exec(results);
  const tests = /test\/unit\/\S*chedule\S*\.test\.ts/.exec(results);
  const where = fill ? `${fill[1]}:${fill[2]}` : 'src/core/taskSchedule.ts';
  return `Action: Finish(The scheduler is \`TaskSchedule\`, a pure state machine. A task becomes *ready* when every task it
depends on has succeeded; \`fill()\` (${where}) then moves ready tasks to *running*, oldest first, while fewer than
\`maxConcurrency\` are running. Each call — \`add\`, \`complete\` — returns the tasks to start at once, so a dependent
task starts in the same turn its last dependency finishes; a failure skips its dependents instead.
Tests: ${tests ? tests[0] : 'none found'}.)`;
}

async function main(): Promise<void> {
  const server = await startOpenAITestServer({
    latency: { ttftBaseMs: 250, prefillMsPerToken: 0.05, tokensPerSecond: 120 },
    // The planner stops at the end-of-plan marker; the joiner, which continues its conversation, does not.
    script: (request) => (request.stop.includes('<END_OF_PLAN>') ? PLAN : answer(request)),
  });
  console.error(`Loopback model at ${server.url}\nQuestion: ${QUESTION}\n`);
  const cli = spawn(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'ask', QUESTION, '--cwd', ROOT, '--base-url', server.url, '--model', 'demo'],
    { stdio: 'inherit' },
  );
  const code = await new Promise<number>((resolve) => cli.on('close', (c) => resolve(c ?? 1)));
  await server.close();
  process.exitCode = code;
}

void main();
