import { Worker } from 'node:worker_threads';
import { CompilerError, abortError } from '../../base/errors';
import type { SymbolOp, SymbolOps, SymbolQuery, SymbolRequest, SymbolResponse } from './symbolProtocol';
import { workerScript } from '../workerScript';
import { DEFAULT_LIMITS } from './tsProjectSet';
import type { ProjectLimits } from './tsProjectSet';

interface Job {
  id: number;
  query: SymbolQuery;
  signal: AbortSignal;
  resolve: (answer: SymbolAnswer<SymbolOp>) => void;
  reject: (error: Error) => void;
  onAbort: () => void;
}

/** The files the program covers; `version` changes whenever the list does. */
export interface ProgramFiles {
  version: number;
  files: ReadonlySet<string>;
}

/** A query's result, and the files the program read beyond those it was given. */
export interface SymbolAnswer<K extends SymbolOp> {
  result: SymbolOps[K]['result'];
  read: string[];
}

/** Worker threads started and not yet exited, across all clients. */
const live = new Set<Worker>();

export function liveSymbolWorkers(): number {
  return live.size;
}

/** Ends every worker thread; each client starts a fresh one on its next request. For a host done with its clients. */
export async function stopSymbolWorkers(): Promise<void> {
  const exited = (worker: Worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  await Promise.all([...live].map((worker) => Promise.all([exited(worker), worker.terminate()])));
}

/**
 * Runs symbol queries in a worker thread that keeps one language service warm. Requests go one at a time (the
 * service is single-threaded anyway). The worker cannot be interrupted mid-query, so aborting the running request
 * terminates it and the next request starts a fresh one. An idle worker does not keep the process alive.
 */
export class SymbolWorker {
  private worker: Worker | undefined;
  /** The files version the current worker has; -1 until it has any. */
  private sentVersion = -1;
  private current: Job | undefined;
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly roots: readonly string[],
    private readonly program: () => ProgramFiles,
    /** The user's protected-file globs, for the worker's read policy. */
    private readonly protectedGlobs: readonly string[] = [],
    private readonly limits: ProjectLimits = DEFAULT_LIMITS,
  ) {}

  run<K extends SymbolOp>(query: SymbolQuery<K>, signal: AbortSignal): Promise<SymbolAnswer<K>> {
    if (signal.aborted) return Promise.reject(abortError(signal.reason));
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, query, signal, resolve: resolve as (answer: SymbolAnswer<SymbolOp>) => void, reject, onAbort: () => this.abort(job) };
      signal.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Ends the worker; pending requests end with an AbortError. */
  close(): void {
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = undefined;
    this.stop();
    for (const job of jobs) this.settle(job, () => job.reject(abortError()));
  }

  private abort(job: Job): void {
    if (job === this.current) {
      this.current = undefined;
      this.stop();
    } else {
      const at = this.queue.indexOf(job);
      if (at >= 0) this.queue.splice(at, 1);
    }
    this.settle(job, () => job.reject(abortError(job.signal.reason)));
    this.pump();
  }

  private settle(job: Job, finish: () => void): void {
    job.signal.removeEventListener('abort', job.onAbort);
    finish();
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    this.current = job;
    const worker = (this.worker ??= this.start());
    worker.ref();
    const { version, files } = this.program();
    const request: SymbolRequest = { id: job.id, query: job.query, ...(version !== this.sentVersion ? { files: [...files] } : {}) };
    this.sentVersion = version;
    worker.postMessage(request);
  }

  private start(): Worker {
    const { file, execArgv } = workerScript('tsSymbolsWorker', __dirname);
    const worker = new Worker(file, { workerData: { roots: [...this.roots], protectedGlobs: [...this.protectedGlobs], limits: this.limits }, ...(execArgv ? { execArgv } : {}) });
    live.add(worker);
    worker.on('message', (response: SymbolResponse) => this.answered(worker, response));
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => {
      live.delete(worker);
      this.stopped(worker, new Error(`exit code ${code}`));
    });
    return worker;
  }

  private answered(worker: Worker, response: SymbolResponse): void {
    const job = this.current;
    if (worker !== this.worker || !job || response.id !== job.id) return;
    this.current = undefined;
    if ('result' in response) this.settle(job, () => job.resolve({ result: response.result as SymbolAnswer<SymbolOp>['result'], read: response.read }));
    else {
      const { reason, message } = response.error;
      this.settle(job, () => job.reject(reason ? new CompilerError(reason, message) : new Error(message)));
    }
    this.pump();
  }

  /** The worker died on its own (a crash, out of memory): the running request fails, later ones get a new worker. */
  private stopped(worker: Worker, error: Error): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.sentVersion = -1;
    const job = this.current;
    this.current = undefined;
    if (job) this.settle(job, () => job.reject(new CompilerError('tool-failed', `The TypeScript language service stopped: ${error.message}`, { cause: error })));
    this.pump();
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.sentVersion = -1;
    void worker?.terminate();
  }
}
