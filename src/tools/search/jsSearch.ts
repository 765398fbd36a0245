import { Worker } from 'node:worker_threads';
import type { ErrorReason } from '../../base/errors';
import { CompilerError, abortError, throwIfAborted } from '../../base/errors';
import { globFilter } from './globPlan';
import type { FilesSearched, LineHit } from './lineSearch';
import type { HitSink, TextQuery } from './searchTypes';
import { workerScript } from '../workerScript';

/** What the main thread asks the grep fallback's worker. */
export type JsSearchRequest =
  | { kind: 'search'; id: number; root: string; excludeGlobs: string[]; query: TextQuery }
  /** The last batch was taken: go on. */
  | { kind: 'more'; id: number }
  /** The sink has enough: stop, and be ready for the next search. */
  | { kind: 'stop'; id: number }
  /** Where rg's engine finds the first match in each line (for grep through rg, which prints no column). */
  | { kind: 'columns'; id: number; pattern: string; caseSensitive: boolean; lines: string[] };

export type JsSearchResponse =
  | { kind: 'hits'; id: number; hits: LineHit[] }
  | { kind: 'done'; id: number; complete: boolean; tooLarge: string[] }
  /** 1-based UTF-16 columns, 0 where a line holds no match. */
  | { kind: 'columns'; id: number; columns: number[] }
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
  resolve: (result: FilesSearched & { columns?: number[] }) => void;
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

  search(run: JsSearchRun, query: TextQuery, onHit: HitSink): Promise<FilesSearched> {
    clearTimeout(this.idleTimer);
    this.worker.ref();
    return new Promise((resolve, reject) => {
      const job: Job = { id: nextId++, onHit, signal: run.signal, resolve, reject, onAbort: () => this.aborted(job) };
      this.job = job;
      run.signal.addEventListener('abort', job.onAbort, { once: true });
      this.post({ kind: 'search', id: job.id, root: run.root, excludeGlobs: [...run.excludeGlobs], query });
    });
  }

  columns(pattern: string, caseSensitive: boolean, lines: string[], signal: AbortSignal): Promise<number[]> {
    clearTimeout(this.idleTimer);
    this.worker.ref();
    return new Promise((resolve, reject) => {
      const done = (result: { columns?: number[] }): void => resolve(result.columns ?? []);
      const job: Job = { id: nextId++, onHit: () => true, signal, resolve: done, reject, onAbort: () => this.aborted(job) };
      this.job = job;
      signal.addEventListener('abort', job.onAbort, { once: true });
      this.post({ kind: 'columns', id: job.id, pattern, caseSensitive, lines });
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
          job.resolve({ complete: false, tooLarge: [] });
          return;
        }
      }
      this.post({ kind: 'more', id: job.id });
    } else if (response.kind === 'columns') {
      this.end(job);
      this.release();
      job.resolve({ complete: true, tooLarge: [], columns: response.columns });
    } else if (response.kind === 'done') {
      this.end(job);
      this.release();
      job.resolve({ complete: response.complete, tooLarge: response.tooLarge });
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
 * sink has enough. Resolves with whether the search ran to the end and the files too large to search.
 */
export async function jsSearch(run: JsSearchRun, query: TextQuery, onHit: HitSink): Promise<FilesSearched> {
  throwIfAborted(run.signal);
  // A bad glob is the caller's error, found before a thread starts; a pattern is compiled in the thread (a large
  // Unicode one takes a second), which reports a bad one as the caller's error.
  globFilter(query.glob);
  return takeThread().search(run, query, onHit);
}

/**
 * The 1-based UTF-16 column of the first match of a regular expression in each line, 0 where there is none, found
 * by rg's own engine in the worker thread: compiling a large Unicode pattern can take a second, which the main
 * thread must not spend.
 */
export async function rgColumns(pattern: string, caseSensitive: boolean, lines: string[], signal: AbortSignal): Promise<number[]> {
  throwIfAborted(signal);
  if (lines.length === 0) return [];
  return takeThread().columns(pattern, caseSensitive, lines, signal);
}
