import { Worker } from 'node:worker_threads';
import type { ErrorReason } from '../../base/errors';
import { CompilerError, abortError, throwIfAborted } from '../../base/errors';
import { compileGlob } from '../paths/globMatch';
import type { LineHit } from './lineSearch';
import { compilePattern } from './lineSearch';
import type { HitSink, TextQuery } from './searchTypes';
import { workerScript } from '../workerScript';

/** What the main thread asks the grep fallback's worker. */
export type JsSearchRequest =
  | { kind: 'search'; id: number; root: string; excludeGlobs: string[]; query: TextQuery }
  /** The last batch was taken: go on. */
  | { kind: 'more'; id: number }
  /** The sink has enough: stop, and be ready for the next search. */
  | { kind: 'stop'; id: number };

export type JsSearchResponse =
  | { kind: 'hits'; id: number; hits: LineHit[] }
  | { kind: 'done'; id: number; complete: boolean }
  | { kind: 'error'; id: number; reason?: ErrorReason; message: string };

export interface JsSearchRun {
  root: string;
  excludeGlobs: readonly string[];
  signal: AbortSignal;
}

/** Idle workers kept for the next search, and for how long: starting one costs tens of milliseconds. */
const MAX_IDLE = 2;
const IDLE_MS = 60_000;

interface Job {
  id: number;
  onHit: HitSink;
  signal: AbortSignal;
  resolve: (complete: boolean) => void;
  reject: (error: Error) => void;
  onAbort: () => void;
}

const idle: SearchThread[] = [];
let nextId = 1;

/** One worker thread running one search at a time. */
class SearchThread {
  private readonly worker: Worker;
  private job: Job | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private exited = false;

  constructor() {
    const { file, execArgv } = workerScript('jsSearchWorker', __dirname);
    this.worker = new Worker(file, execArgv ? { execArgv } : {});
    this.worker.on('message', (response: JsSearchResponse) => this.received(response));
    this.worker.on('error', (error) => this.died(error));
    this.worker.on('exit', (code) => this.died(new Error(`exit code ${code}`)));
  }

  get usable(): boolean {
    return !this.exited;
  }

  search(run: JsSearchRun, query: TextQuery, onHit: HitSink): Promise<boolean> {
    clearTimeout(this.idleTimer);
    this.worker.ref();
    return new Promise((resolve, reject) => {
      const job: Job = { id: nextId++, onHit, signal: run.signal, resolve, reject, onAbort: () => this.aborted(job) };
      this.job = job;
      run.signal.addEventListener('abort', job.onAbort, { once: true });
      this.post({ kind: 'search', id: job.id, root: run.root, excludeGlobs: [...run.excludeGlobs], query });
    });
  }

  private post(request: JsSearchRequest): void {
    this.worker.postMessage(request);
  }

  private received(response: JsSearchResponse): void {
    const job = this.job;
    if (!job || response.id !== job.id) return;
    if (response.kind === 'hits') {
      for (const hit of response.hits) {
        let more: boolean | void;
        try {
          more = job.onHit(hit);
        } catch (error) {
          this.end(job);
          this.terminate();
          job.reject(error as Error);
          return;
        }
        if (more === false) {
          this.post({ kind: 'stop', id: job.id });
          this.end(job);
          this.release();
          job.resolve(false);
          return;
        }
      }
      this.post({ kind: 'more', id: job.id });
    } else if (response.kind === 'done') {
      this.end(job);
      this.release();
      job.resolve(response.complete);
    } else {
      this.end(job);
      this.release();
      job.reject(response.reason ? new CompilerError(response.reason, response.message) : new Error(response.message));
    }
  }

  /** Cancelled: the worker may be in the middle of matching one line for seconds, so it is ended, not asked. */
  private aborted(job: Job): void {
    if (this.job !== job) return;
    this.end(job);
    this.terminate();
    job.reject(abortError(job.signal.reason));
  }

  /** The worker stopped on its own (a crash, out of memory) or was terminated. */
  private died(error: Error): void {
    this.exited = true;
    clearTimeout(this.idleTimer);
    const at = idle.indexOf(this);
    if (at >= 0) idle.splice(at, 1);
    const job = this.job;
    if (!job) return;
    this.end(job);
    job.reject(new CompilerError('tool-failed', `The grep fallback stopped: ${error.message}`, { cause: error }));
  }

  private end(job: Job): void {
    job.signal.removeEventListener('abort', job.onAbort);
    this.job = undefined;
  }

  /** Kept for the next search (an idle worker does not keep the process alive), or ended when enough are kept. */
  private release(): void {
    if (this.exited) return;
    if (idle.length >= MAX_IDLE) {
      this.terminate();
      return;
    }
    this.worker.unref();
    idle.push(this);
    this.idleTimer = setTimeout(() => {
      const at = idle.indexOf(this);
      if (at >= 0) idle.splice(at, 1);
      this.terminate();
    }, IDLE_MS).unref();
  }

  private terminate(): void {
    this.exited = true;
    void this.worker.terminate();
  }
}

function takeThread(): SearchThread {
  while (idle.length > 0) {
    const thread = idle.pop()!;
    if (thread.usable) return thread;
  }
  return new SearchThread();
}

/**
 * The grep fallback when no ripgrep is available: same selection, results and order as the ripgrep search (files
 * by path, lines in order), so a capped search stops at the same lines. The search runs in a worker thread, so no
 * file, line or pattern can block the event loop; cancelling terminates it at once, and it stops as soon as the
 * sink has enough. Resolves true when the search ran to the end.
 */
export async function jsSearch(run: JsSearchRun, query: TextQuery, onHit: HitSink): Promise<boolean> {
  throwIfAborted(run.signal);
  // A bad pattern or glob is the caller's error, found before a thread starts.
  compilePattern(query);
  if (query.glob) compileGlob(query.glob);
  return takeThread().search(run, query, onHit);
}
