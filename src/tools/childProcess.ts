import { spawn } from 'node:child_process';
import { CompilerError, abortError, throwIfAborted } from '../base/errors';

export interface LineProcessOptions {
  cwd: string;
  signal: AbortSignal;
  /** Called for each stdout line (without the newline). Returning false stops: the process is killed. */
  onLine(line: string): boolean | void;
  /** The byte ending a line: `\n` by default, 0 for NUL-separated output such as `rg --null --files-with-matches`. */
  separator?: number;
}

export interface LineProcessResult {
  /** Exit code; null when the process was killed. */
  code: number | null;
  /** True when `onLine` asked to stop and the process was killed for it. */
  stopped: boolean;
  stderr: string;
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals;
}

const STDERR_KEEP = 8_192;

export interface ChunkProcessOptions {
  cwd: string;
  signal: AbortSignal;
  /** The environment; the process's own when absent. */
  env?: NodeJS.ProcessEnv;
  /** Called for each stdout chunk. Returning false stops: the process is killed. */
  onChunk(chunk: Buffer): boolean | void;
}

/**
 * Runs a program (never through a shell) and streams its stdout chunk by chunk. Aborting the signal kills the
 * process at once and rejects with an `AbortError` once it has exited, so no child outlives a cancelled call.
 */
export function runChunks(command: string, args: readonly string[], options: ChunkProcessOptions): Promise<LineProcessResult> {
  throwIfAborted(options.signal);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      ...(options.env ? { env: options.env } : {}),
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stopped = false;
    let stderr = '';
    let spawnError: Error | undefined;

    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = (): void => kill();
    options.signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped || options.signal.aborted) return;
      if (options.onChunk(chunk) === false) {
        stopped = true;
        kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      spawnError = error;
      // A process that never started emits no reliable 'close'.
      if (child.pid === undefined) {
        options.signal.removeEventListener('abort', onAbort);
        reject(new CompilerError('tool-failed', `Cannot run ${command}: ${error.message}`, { cause: error }));
      }
    });
    child.on('close', (code, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      if (options.signal.aborted) return reject(abortError(options.signal.reason));
      if (spawnError) {
        return reject(new CompilerError('tool-failed', `Cannot run ${command}: ${spawnError.message}`, { cause: spawnError }));
      }
      resolve({ code, stopped, stderr: stderr.slice(0, STDERR_KEEP).trim(), ...(signal ? { signal } : {}) });
    });
  });
}

/** Runs a program (never through a shell) and streams its stdout line by line; see `runChunks`. */
export async function runLines(command: string, args: readonly string[], options: LineProcessOptions): Promise<LineProcessResult> {
  // The bytes after the last separator, kept as chunks and joined once when their line ends: joining them on each
  // chunk would copy a long line again for every chunk of it. A separator byte never falls inside a UTF-8
  // sequence, so lines decode whole.
  const separator = options.separator ?? 10;
  let pending: Buffer[] = [];
  let stopped = false;
  const result = await runChunks(command, args, {
    cwd: options.cwd,
    signal: options.signal,
    onChunk(chunk) {
      const last = chunk.lastIndexOf(separator);
      if (last === -1) {
        pending.push(chunk);
        return;
      }
      // One decode and one split per chunk: decoding line by line costs more than ripgrep takes to list the files.
      const whole = pending.length ? Buffer.concat([...pending, chunk.subarray(0, last)]) : chunk.subarray(0, last);
      pending = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
      for (const line of whole.toString('utf8').split(String.fromCharCode(separator))) {
        if (options.signal.aborted) return;
        if (options.onLine(line) === false) {
          stopped = true;
          pending = [];
          return false;
        }
      }
    },
  });
  if (!stopped && pending.length && !options.signal.aborted) options.onLine(Buffer.concat(pending).toString('utf8'));
  return result;
}
