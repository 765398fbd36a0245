import { spawn } from 'node:child_process';
import { CompilerError, abortError, throwIfAborted } from '../../base/errors';

/** Receives git's stdout as it comes; returning false stops git (the process is killed). */
export type ChunkSink = (chunk: Buffer) => boolean | void;

export interface GitSpawn {
  git: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** stderr kept from one call: git's own complaint fits many times over; a hostile repository cannot flood memory. */
const STDERR_KEEP = 16_384;
/** Characters of git's complaint an error carries. */
const ERROR_CHARS = 400;

/**
 * The error of a failed git call, short: git's own `fatal:` (or `error:`) line when it printed one, else the start
 * of what it printed on stderr; never its stdout (a failed `git log` may have printed thousands of records first).
 */
export function gitFailure(args: readonly string[], stderr: string, code: number | null): CompilerError {
  const sub = args.find((a) => !a.startsWith('-')) ?? '';
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const own = lines.find((l) => l.startsWith('fatal:')) ?? lines.find((l) => l.startsWith('error:')) ?? lines[0] ?? `exit code ${code}`;
  const text = own.length > ERROR_CHARS ? `${own.slice(0, ERROR_CHARS)}…` : own;
  return new CompilerError('tool-failed', `git ${sub} failed: ${text}`);
}

/**
 * Runs git directly (no shell), handing its stdout on chunk by chunk. Resolves once git has exited and its output
 * ended; rejects with `gitFailure` when git failed (a non-zero exit with a complaint on stderr, or a crash), with an
 * `AbortError` when the signal aborted (git is killed at once). A call that prints nothing costs only git's own
 * time.
 */
export function spawnGit(run: GitSpawn, args: readonly string[], onChunk: ChunkSink): Promise<{ code: number | null; stopped: boolean }> {
  throwIfAborted(run.signal);
  return new Promise((resolve, reject) => {
    const child = spawn(run.git, args, { cwd: run.cwd, env: run.env, shell: false, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stopped = false;
    let spawnError: Error | undefined;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = (): void => kill();
    run.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      if (onChunk(chunk) === false) {
        stopped = true;
        kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      spawnError = error;
      if (child.pid === undefined) {
        run.signal.removeEventListener('abort', onAbort);
        reject(new CompilerError('tool-failed', `Cannot run ${run.git}: ${error.message}`, { cause: error }));
      }
    });
    child.on('close', (code, signal) => {
      run.signal.removeEventListener('abort', onAbort);
      if (run.signal.aborted) return reject(abortError(run.signal.reason));
      if (spawnError) return reject(new CompilerError('tool-failed', `Cannot run ${run.git}: ${spawnError.message}`, { cause: spawnError }));
      if (stopped) return resolve({ code, stopped });
      // Exit 1 without a word is an answer (`rev-parse --verify --quiet` of an unknown name), as simple-git reads it.
      if ((code !== 0 && stderr.trim()) || (code === null && signal) || (code !== null && code >= 128)) {
        return reject(gitFailure(args, stderr.slice(0, STDERR_KEEP), code));
      }
      resolve({ code, stopped });
    });
  });
}
