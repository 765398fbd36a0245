import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/**
 * Runs `script` (TypeScript, run from the repository root) in a fresh Node process and returns what it printed,
 * or throws if it has not ended within `ms`: the way to test that synchronous work on hostile input ends at all,
 * since a blocked event loop would also block a timer in this process.
 */
export function runBounded(script: string, ms: number): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: ms,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new Error(`did not finish within ${ms / 1000} s`);
  }
  if (result.signal === 'SIGKILL') throw new Error(`did not finish within ${ms / 1000} s`);
  if (result.status !== 0) throw new Error(`exited with ${result.status}: ${result.stderr}`);
  return result.stdout;
}
