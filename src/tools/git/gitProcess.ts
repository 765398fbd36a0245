import { CompilerError } from '../../base/errors';
import { runChunks } from '../childProcess';

/** Receives git's stdout as it comes; returning false stops git (the process is killed). */
export type ChunkSink = (chunk: Buffer) => boolean | void;

export interface GitSpawn {
  git: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

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
export async function spawnGit(run: GitSpawn, args: readonly string[], onChunk: ChunkSink): Promise<{ code: number | null; stopped: boolean }> {
  const { code, stopped, stderr, signal } = await runChunks(run.git, args, { cwd: run.cwd, env: run.env, signal: run.signal, onChunk });
  // Exit 1 without a word is an answer (`rev-parse --verify --quiet` of an unknown name), as simple-git reads it.
  if (!stopped && ((code !== 0 && stderr) || (code === null && signal) || (code !== null && code >= 128))) throw gitFailure(args, stderr, code);
  return { code, stopped };
}
