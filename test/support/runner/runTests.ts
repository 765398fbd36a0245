// `npm test`: the type check and the lint run beside the tests rather than before them. The tests leave a core idle
// whenever a worker waits on a server, a browser or a child process, and the checks fill those gaps; their output is
// held and printed after the tests', so the two never interleave. The checks run one after the other, so that at
// most one of them (tsc holds ~600 MB) adds to the memory of the test workers. The test files go to mocha's workers longest
// first, so that no long file starts last and runs alone at the end.
//
//   tsx test/support/runner/runTests.ts [--tests-only] [mocha options…]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Folders whose files take longest (a browser, language services, spawned CLIs and servers, git repositories), in
 * the order their files are handed out; every other test file follows in name order.
 */
export const LONGEST_FIRST = ['test/webview', 'test/unit/tools/symbols', 'test/unit/cli', 'test/unit/tools/git', 'test/unit/mcpClient', 'test/unit/mcp', 'test/unit/tools/search'];

const TEST_ROOTS = ['test/webview', 'test/unit'];

/** Every test file under `TEST_ROOTS`, those of `LONGEST_FIRST`'s folders first, in its order. */
export function orderedTestFiles(root: string): string[] {
  const all = TEST_ROOTS.flatMap((dir) =>
    (readdirSync(path.join(root, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.posix.join(dir, f.split(path.sep).join('/'))),
  ).sort();
  const rank = (file: string) => {
    const i = LONGEST_FIRST.findIndex((dir) => file.startsWith(`${dir}/`));
    return i < 0 ? LONGEST_FIRST.length : i;
  };
  return all.map((file, i) => ({ file, i, r: rank(file) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.file);
}

interface Step {
  name: string;
  child: ChildProcess;
  output: Buffer[];
  done: Promise<number>;
  ms: number;
}

function start(name: string, command: string, args: string[], hold: boolean): Step {
  const begun = Date.now();
  const child = spawn(command, args, { stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  const step: Step = { name, child, output: [], done: Promise.resolve(0), ms: 0 };
  child.stdout?.on('data', (b: Buffer) => step.output.push(b));
  child.stderr?.on('data', (b: Buffer) => step.output.push(b));
  step.done = new Promise((resolve) => {
    child.on('error', (error) => {
      step.output.push(Buffer.from(`${name}: ${error.message}\n`));
      resolve(1);
    });
    child.on('close', (code, signal) => {
      step.ms = Date.now() - begun;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
  return step;
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..', '..');
  process.chdir(root);
  const args = process.argv.slice(2);
  const testsOnly = args[0] === '--tests-only';
  const mochaArgs = testsOnly ? args.slice(1) : args;
  const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
  const steps: Step[] = [];
  let stopped = false;
  const stopAll = (signal: NodeJS.Signals) => {
    stopped = true;
    for (const s of steps) s.child.kill(signal);
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));

  const mocha = start('tests', bin('mocha'), ['--parallel', '--jobs', '2', ...mochaArgs, ...orderedTestFiles(root)], false);
  steps.push(mocha);
  const checks = testsOnly
    ? Promise.resolve()
    : (async () => {
        for (const name of ['typecheck', 'lint']) {
          if (stopped) return;
          const step = start(name, 'npm', ['run', '--silent', name], true);
          steps.push(step);
          await step.done;
        }
      })();
  await checks;
  const failed = (await Promise.all(steps.map(async (s) => ({ s, code: await s.done })))).filter((x) => x.code !== 0);
  for (const s of steps) {
    if (s === mocha) continue;
    const text = Buffer.concat(s.output).toString('utf8').trim();
    console.log(`\n--- ${s.name}: ${failed.some((x) => x.s === s) ? 'FAILED' : 'passed'} (${(s.ms / 1000).toFixed(1)} s)`);
    if (text) console.log(text);
  }
  return failed.length > 0 || stopped ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
