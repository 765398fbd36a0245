import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const PROJECT = path.resolve(__dirname, '..', '..');
export const BUILT_CLI = path.join(PROJECT, 'dist', 'cli.js');

/** Names the test run (set by mochaHooks.ts): the bundles are built once per run, whichever worker asks first. */
export const TEST_RUN_ENV = 'LLMC_TEST_RUN';

/**
 * Builds the bundles with the project's own build script, once per test run: the first suite to ask builds while
 * the others wait (parallel workers included), so no test runs a bundle being rewritten. Resolves with the time
 * (`Date.now()`) that build started: the bundles it wrote are no older.
 */
export async function buildCli(): Promise<number> {
  const run = process.env[TEST_RUN_ENV];
  const lock = path.join(PROJECT, 'dist', '.test-build-lock');
  const marker = path.join(PROJECT, 'dist', '.test-build-run');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (const deadline = Date.now() + 180_000; ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a run that died is taken over once it is older than any build.
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    const [builtRun, builtAt] = existsSync(marker) ? readFileSync(marker, 'utf8').split('\n') : [];
    if (run !== undefined && builtRun === run) return Number(builtAt);
    const started = Date.now();
    await buildOnce();
    if (run !== undefined) writeFileSync(marker, `${run}\n${started}`);
    return started;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the bundles with the project's own build script and checks the CLI bundle was written by it: the other
 * bundles may fail to build without making the CLI's tests meaningless. The benchmark's bundle, which no test runs,
 * is left out.
 */
async function buildOnce(): Promise<void> {
  const before = Date.now();
  let output = '';
  try {
    const result = await promisify(execFile)(process.execPath, ['esbuild.js', '--no-bench'], { cwd: PROJECT });
    output = result.stdout + result.stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  let built = 0;
  try {
    built = statSync(BUILT_CLI).mtimeMs;
  } catch {
    // Not built at all; reported below.
  }
  if (built < before - 1000) throw new Error(`dist/cli.js was not rebuilt by esbuild.js:\n${output}`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a clean model environment; `onStart` gets the child, e.g. to interrupt it. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; onStart?: (child: ChildProcess) => void } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL']) if (!options.env?.[name]) delete env[name];
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  options.onStart?.(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
