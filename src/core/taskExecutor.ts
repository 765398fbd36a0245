import type { ErrorInfo } from '../base/errors';
import type { FileLocation, ToolOutput } from '../shared/toolContract';
import type { JsonObject, JsonValue } from '../shared/json';
import type { RunSettings } from '../shared/runSettings';
import type { TaskStatus } from '../shared/runEvents';
import type { PlannedTask } from './plan/planTree';
import { raceAbort, childController } from '../base/abortable';
import { bindArgs } from './plan/bindArgs';
import { CompilerError, isAbortError, toErrorInfo } from '../base/errors';
import { formatArgs } from './plan/formatArgs';
import type { RunEmitter } from './runEmitter';
import { stableKey } from './stableKey';
import type { ScheduleStep } from './taskSchedule';
import { TaskSchedule } from './taskSchedule';
import type { ReadRecording } from '../shared/toolContract';
import type { ResultCache } from './resultCache';
import type { ToolRegistry } from './toolRegistry';
import { truncateText } from './truncate';
import { validateTask } from './plan/validateTask';

/** Everything known about one task of a run; the joiner and the replanner read these. */
export interface TaskRecord {
  task: PlannedTask;
  round: number;
  /** The arguments as written, `$N` kept. */
  argsText: string;
  status?: TaskStatus;
  resolvedArgs?: JsonObject;
  text: string;
  value?: JsonValue;
  locations?: FileLocation[];
  error?: ErrorInfo;
  cachedFrom?: number;
  /** For a result reused from an earlier question: that question's run. */
  cachedFromRun?: string;
  /** Milliseconds since the run started; `ms` is the tool's wall time. */
  start?: number;
  end?: number;
  ms: number;
  /** Its place among the run's finished tasks (1 for the first to finish): the order prompts show results in. */
  finishedAs?: number;
}

interface CallOutcome {
  owner: number;
  ok: boolean;
  output?: ToolOutput;
  error?: ErrorInfo;
  /** The tool time the result cost when it was computed. */
  toolMs?: number;
}

export interface ExecutorOptions {
  tools: ToolRegistry;
  roots: string[];
  settings: Pick<RunSettings, 'maxConcurrency' | 'taskTimeoutMs' | 'maxToolChars'>;
  signal: AbortSignal;
  emitter: RunEmitter;
  /** The session's results: a call answered by an earlier question is not run again, and new results are kept. */
  cache?: ResultCache;
  /** This run's id, recorded with the results it keeps. */
  runId?: string;
}

/**
 * Runs tasks as they are added: each starts in the same turn of the event loop in which its last dependency
 * finishes (the `TaskSchedule` decides, this class acts). Identical calls run once per run, earlier rounds included,
 * and with a session cache, once per session while what they read is unchanged.
 */
export class TaskExecutor {
  readonly records = new Map<number, TaskRecord>();
  private readonly schedule: TaskSchedule;
  private readonly calls = new Map<string, Promise<CallOutcome>>();
  /** Tasks the schedule has started, whether their tool is running or they wait for an identical call. */
  private readonly started = new Set<number>();
  private idleWaiters: Array<() => void> = [];
  /** Tool calls whose promise has not settled yet: a cancelled task is finished at once, its tool may still be ending. */
  private readonly toolsRunning = new Set<Promise<unknown>>();
  private finishWaiters: Array<() => void> = [];
  private lastId = 0;
  private finishedCount = 0;

  constructor(private readonly options: ExecutorOptions) {
    this.schedule = new TaskSchedule(options.settings.maxConcurrency);
    options.signal.addEventListener('abort', () => this.cancelAll(), { once: true });
  }

  /** The id the next task should have: numbering continues across rounds. */
  get nextId(): number {
    return this.lastId + 1;
  }

  /**
   * Accepts a parsed task. A task that breaks the plan's rules is recorded as failed without running; one whose id
   * cannot be used at all (a repeated or decreasing number) is refused with the error, since its id is not its own.
   */
  add(task: PlannedTask, round: number): void {
    try {
      validateTask(task, this.options.tools, { knownIds: this.records, lastId: this.lastId });
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.reason === 'duplicate-id') throw error;
      this.register(task, round);
      this.schedule.addFailed(task.id, task.deps);
      this.finish(task.id, 'error', { error: info });
      return;
    }
    this.register(task, round);
    this.apply(this.schedule.add(task.id, task.deps));
  }

  /** Holds tasks back until `release` (plan-and-execute runs a plan only once it is written). */
  hold(): void {
    this.schedule.hold();
  }

  release(): void {
    this.apply(this.schedule.release());
  }

  /** Resolves once every task added so far has finished. */
  whenIdle(): Promise<void> {
    if (this.schedule.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when the next task finishes, or at once when every task added so far has. */
  whenTaskFinishes(): Promise<void> {
    if (this.schedule.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.finishWaiters.push(resolve));
  }

  /**
   * Resolves once every tool call started has settled (a cancelled one ends its child processes before it settles),
   * or after `graceMs`, so a tool that ignores its signal cannot hold the run.
   */
  async whenToolsSettled(graceMs: number): Promise<void> {
    if (this.toolsRunning.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.toolsRunning]), grace]);
    clearTimeout(timer);
  }

  private register(task: PlannedTask, round: number): void {
    const argsText = formatArgs(task.args);
    this.records.set(task.id, { task, round, argsText, text: '', ms: 0 });
    this.lastId = Math.max(this.lastId, task.id);
    const origin = this.options.tools.get(task.tool)?.origin;
    this.options.emitter.emit({
      type: 'task-planned',
      id: task.id,
      round,
      tool: task.tool,
      args: argsText,
      deps: task.deps,
      ...(task.thought ? { thought: task.thought } : {}),
      ...(origin ? { origin } : {}),
    });
  }

  private apply(step: ScheduleStep): void {
    for (const { id, failedDep } of step.skip) {
      const failed = this.records.get(failedDep)!;
      if (this.options.signal.aborted) {
        this.finish(id, 'cancelled', {});
        continue;
      }
      const why = failed.error?.message ?? failed.status ?? 'failed';
      this.finish(id, 'skipped', {
        error: {
          reason: 'dependency-failed',
          message: `skipped because task ${failedDep} (${failed.task.tool}) ${failed.status === 'cancelled' ? 'was cancelled' : `failed: ${why}`}`,
        },
      });
    }
    if (step.start.length) {
      const readyAt = this.options.emitter.now();
      for (const id of step.start) this.start(id, readyAt);
    }
    if (this.schedule.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private start(id: number, readyAt: number): void {
    const record = this.records.get(id)!;
    const { signal, tools } = this.options;
    this.started.add(id);
    if (signal.aborted) return this.settle(id, 'cancelled', {});
    const tool = tools.get(record.task.tool)!;
    let args: JsonObject;
    try {
      args = bindArgs(record.task, tool, (dep) => this.records.get(dep)!);
    } catch (error) {
      return this.settle(id, 'error', { error: toErrorInfo(error, 'invalid-args') });
    }
    record.resolvedArgs = args;
    // An external tool's result may change at any moment and nothing can check it: never kept for later questions
    // (identical calls within the run still share one result).
    const cache = tool.origin ? undefined : this.options.cache;
    const key = cache
      ? cache.key(tool, args, this.options.roots, this.options.settings.maxToolChars)
      : `${tool.name}\u0000${stableKey(args)}`;
    const earlier = this.calls.get(key);
    if (earlier) {
      // The same call is running or has run: share its outcome rather than running it again.
      void earlier.then((outcome) =>
        outcome.ok
          ? this.settle(id, 'cached', { output: outcome.output, cachedFrom: outcome.owner, originalMs: outcome.toolMs })
          : this.settle(id, this.options.signal.aborted ? 'cancelled' : 'error', { error: outcome.error }),
      );
      return;
    }
    const call = cache ? this.reuseOrRun(id, args, key, cache, readyAt) : this.runTool(id, args, readyAt);
    this.calls.set(key, call);
    void call.then((outcome) => {
      // Failed calls may be retried by a later round; successful ones are reused for the rest of the run.
      if (!outcome.ok) this.calls.delete(key);
    });
  }

  /** Answers from an earlier question's result when it is still valid; otherwise runs the tool and keeps the result. */
  private async reuseOrRun(id: number, args: JsonObject, key: string, cache: ResultCache, readyAt: number): Promise<CallOutcome> {
    const record = this.records.get(id)!;
    const { emitter, signal } = this.options;
    record.start = emitter.now();
    const origin = this.options.tools.get(record.task.tool)?.origin;
    emitter.emit({ type: 'task-started', id, tool: record.task.tool, resolvedArgs: args, readyAt, ...(origin ? { origin } : {}) });
    const hit = await cache.lookup(key, signal);
    if (signal.aborted) {
      this.settle(id, 'cancelled', {});
      return { owner: id, ok: false };
    }
    if (hit) {
      this.settle(id, 'cached', { output: hit.output, cachedFrom: hit.taskId, cachedFromRun: hit.runId, originalMs: hit.ms });
      return { owner: id, ok: true, output: hit.output, toolMs: hit.ms };
    }
    const recording = cache.record();
    const outcome = await this.runTool(id, args, readyAt, recording, true);
    if (outcome.ok && outcome.output) {
      const reads = await recording.finish().catch(() => undefined);
      if (reads) cache.store(key, { output: outcome.output, runId: this.options.runId ?? '', taskId: id, ms: record.ms }, reads);
    }
    return outcome;
  }

  private async runTool(id: number, args: JsonObject, readyAt: number, recording?: ReadRecording, announced = false): Promise<CallOutcome> {
    const record = this.records.get(id)!;
    const tool = this.options.tools.get(record.task.tool)!;
    const { controller, dispose } = childController(this.options.signal);
    const timeoutMs = tool.timeoutMs ?? this.options.settings.taskTimeoutMs;
    // Built only when it fires: an Error records a stack, which costs more than the dispatch itself.
    let timeout: CompilerError | undefined;
    const timer = setTimeout(() => {
      timeout = new CompilerError('timeout', `${tool.name} did not finish within ${timeoutMs} ms`);
      controller.abort(timeout);
    }, timeoutMs);
    const toolStart = this.options.emitter.now();
    if (!announced) {
      record.start = toolStart;
      this.options.emitter.emit({ type: 'task-started', id, tool: tool.name, resolvedArgs: args, readyAt, ...(tool.origin ? { origin: tool.origin } : {}) });
    }
    try {
      const call = tool.run(args, {
        signal: controller.signal,
        roots: this.options.roots,
        maxChars: this.options.settings.maxToolChars,
        ...(recording ? { reads: recording.reads } : {}),
      });
      this.toolsRunning.add(call);
      void call.then(
        () => this.toolsRunning.delete(call),
        () => this.toolsRunning.delete(call),
      );
      const output = await raceAbort(call, controller.signal);
      const toolMs = this.options.emitter.now() - toolStart;
      this.settle(id, 'ok', { output });
      return { owner: id, ok: true, output, toolMs };
    } catch (error) {
      if (timeout && controller.signal.reason === timeout) {
        this.settle(id, 'error', { error: timeout.toInfo() });
        return { owner: id, ok: false, error: timeout.toInfo() };
      }
      if (this.options.signal.aborted || isAbortError(error)) {
        this.settle(id, 'cancelled', {});
        return { owner: id, ok: false };
      }
      const info = toErrorInfo(error, 'tool-failed');
      this.settle(id, 'error', { error: info });
      return { owner: id, ok: false, error: info };
    } finally {
      clearTimeout(timer);
      dispose();
    }
  }

  /** Finishes a running task and lets the schedule start what it unblocked, in this same turn. */
  private settle(id: number, status: TaskStatus, outcome: FinishDetails): void {
    this.finish(id, status, outcome);
    this.apply(this.schedule.complete(id, status === 'ok' || status === 'cached'));
  }

  private finish(id: number, status: TaskStatus, { output, error, cachedFrom, cachedFromRun, originalMs }: FinishDetails): void {
    const record = this.records.get(id)!;
    const now = this.options.emitter.now();
    record.status = status;
    record.end = now;
    record.finishedAs = ++this.finishedCount;
    record.ms = record.start !== undefined ? now - record.start : 0;
    if (output) {
      const { text } = truncateText(output.text, this.options.settings.maxToolChars);
      record.text = text;
      record.value = output.value;
      record.locations = output.locations;
    } else {
      record.text = error ? `Error: ${error.message}` : status === 'cancelled' ? 'Cancelled.' : '';
    }
    if (error) record.error = error;
    if (cachedFrom !== undefined) record.cachedFrom = cachedFrom;
    if (cachedFromRun !== undefined) record.cachedFromRun = cachedFromRun;
    const waiters = this.finishWaiters;
    this.finishWaiters = [];
    for (const resolve of waiters) resolve();
    this.options.emitter.emit({
      type: 'task-finished',
      id,
      round: record.round,
      tool: record.task.tool,
      args: record.argsText,
      deps: record.task.deps,
      status,
      ms: record.ms,
      text: record.text,
      ...(cachedFrom !== undefined ? { cachedFrom } : {}),
      ...(cachedFromRun !== undefined ? { cachedFromRun } : {}),
      ...(originalMs !== undefined ? { originalMs } : {}),
      ...(error ? { error } : {}),
      ...(record.locations?.length ? { locations: record.locations } : {}),
    });
  }

  /** Cancellation: running tools are aborted by the run signal; tasks not yet started are finished here. */
  private cancelAll(): void {
    for (const id of this.schedule.pending) {
      if (this.started.has(id) || this.records.get(id)!.status) continue;
      this.finish(id, 'cancelled', {});
      this.apply(this.schedule.reject(id));
    }
  }
}

interface FinishDetails {
  output?: ToolOutput;
  error?: ErrorInfo;
  cachedFrom?: number;
  cachedFromRun?: string;
  originalMs?: number;
}
