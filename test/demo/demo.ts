// `npm run demo`: the real compiler, the real workspace tools and the real OpenAI client on this repository,
// with the model played by the loopback test server (scripted plan, latency like a hosted model), so the whole
// pipeline can be watched without an LLM. Arguments after `--` go to the CLI, e.g. `npm run demo -- --json`.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { DEMO_QUESTION, DEMO_ROOT, demoCliArgs, startDemoModel } from './demoScript';

async function main(): Promise<void> {
  const server = await startDemoModel({ ttftBaseMs: 250, prefillMsPerToken: 0.05, tokensPerSecond: 120 });
  console.error(`Loopback model at ${server.url}\nQuestion: ${DEMO_QUESTION}\n`);
  const cli = spawn(process.execPath, [path.join(DEMO_ROOT, 'dist', 'cli.js'), ...demoCliArgs(server.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => cli.on('close', (c) => resolve(c ?? 1)));
  await server.close();
  process.exitCode = code;
}

void main();
