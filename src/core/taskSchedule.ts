/**
 * The task fetching unit as a pure state machine: no I/O, no timers, no promises. Tasks are added as the planner
 * streams them and completions are reported; every call answers at once with what to do next — tasks to start
 * and tasks to skip — so the caller can act in the same turn of the event loop.
 */

type TaskState = 'waiting' | 'ready' | 'running' | 'succeeded' | 'failed';

interface ScheduledTask {
  id: number;
  deps: number[];
  state: TaskState;
}

export interface SkippedTask {
  id: number;
  /** The failed task that caused the skip, the root of the chain (not the skipped task in between). */
  failedDep: number;
}

export interface ScheduleStep {
  /** Tasks to start now, in id order; they are `running` from here on. */
  start: number[];
  /** Tasks that will never run because a dependency failed; they are finished from here on. */
  skip: SkippedTask[];
}

export class TaskSchedule {
  private readonly tasks = new Map<number, ScheduledTask>();
  /** Ready tasks waiting for a free slot, oldest first. */
  private readonly readyQueue: number[] = [];
  /** For a failed or skipped task: the root failure that dependents should name. */
  private readonly failureRoot = new Map<number, number>();
  private readonly dependents = new Map<number, number[]>();
  private running = 0;
  private held = false;
  /** Tasks added and not finished, kept as a count: the executor asks after every step. */
  private unfinished = 0;
  /** `readyQueue[readyHead]` is the oldest; shifting a long array costs its length. */
  private readyHead = 0;

  constructor(private readonly maxConcurrency: number) {
    if (!(maxConcurrency >= 1)) throw new RangeError(`maxConcurrency must be at least 1, got ${maxConcurrency}`);
  }

  /**
   * Adds a task. Every dependency must already have been added (the plan validator guarantees it): a task can
   * only refer to tasks written before it.
   */
  add(id: number, deps: readonly number[]): ScheduleStep {
    if (this.tasks.has(id)) throw new Error(`Task ${id} is already scheduled`);
    for (const dep of deps) {
      if (!this.tasks.has(dep)) throw new Error(`Task ${id} depends on unknown task ${dep}`);
    }
    const task: ScheduledTask = { id, deps: [...deps], state: 'waiting' };
    this.tasks.set(id, task);
    this.unfinished++;
    for (const dep of new Set(task.deps)) {
      const list = this.dependents.get(dep);
      if (list) list.push(id);
      else this.dependents.set(dep, [id]);
    }
    const skip: SkippedTask[] = [];
    const failed = task.deps.find((d) => this.tasks.get(d)!.state === 'failed');
    if (failed !== undefined) {
      this.markSkipped(task, this.failureRoot.get(failed) ?? failed, skip);
    } else if (this.depsSucceeded(task)) {
      this.enqueue(task);
    }
    return { start: this.fill(), skip };
  }

  /** Adds a task that failed before it could be scheduled (e.g. an unknown tool): it never takes a slot. */
  addFailed(id: number, deps: readonly number[]): void {
    if (this.tasks.has(id)) throw new Error(`Task ${id} is already scheduled`);
    this.tasks.set(id, { id, deps: [...deps], state: 'failed' });
    // Finished from the start: not counted in `unfinished`.
    this.failureRoot.set(id, id);
  }

  /** Records that a task not yet running will never run (cancellation): it never takes a slot. */
  reject(id: number): ScheduleStep {
    const task = this.tasks.get(id);
    if (!task || task.state === 'running' || this.isFinished(task)) {
      throw new Error(`Task ${id} cannot be rejected in state ${task?.state ?? 'unknown'}`);
    }
    // Left in the queue: `fill` passes over tasks that are no longer ready.
    return this.settle(task, false);
  }

  /** Reports a running task's outcome. A failure skips every task that depends on it, directly or not. */
  complete(id: number, succeeded: boolean): ScheduleStep {
    const task = this.tasks.get(id);
    if (!task || task.state !== 'running') throw new Error(`Task ${id} is not running`);
    this.running--;
    return this.settle(task, succeeded);
  }

  /** Stops starting tasks (used to run a whole plan only after it is written); `release` resumes. */
  hold(): void {
    this.held = true;
  }

  release(): ScheduleStep {
    this.held = false;
    return { start: this.fill(), skip: [] };
  }

  /** Tasks added and not finished (waiting, ready or running). */
  get pending(): number[] {
    return [...this.tasks.values()].filter((t) => !this.isFinished(t)).map((t) => t.id);
  }

  get runningCount(): number {
    return this.running;
  }

  isIdle(): boolean {
    return this.unfinished === 0;
  }

  private settle(task: ScheduledTask, succeeded: boolean): ScheduleStep {
    const skip: SkippedTask[] = [];
    this.unfinished--;
    if (succeeded) {
      task.state = 'succeeded';
      for (const dependent of this.dependentsOf(task.id)) {
        if (dependent.state === 'waiting' && this.depsSucceeded(dependent)) this.enqueue(dependent);
      }
    } else {
      task.state = 'failed';
      this.failureRoot.set(task.id, task.id);
      this.skipDependents(task.id, task.id, skip);
    }
    return { start: this.fill(), skip };
  }

  /** Skips every waiting task that depends on `id`, directly or not: iteratively, since chains can be thousands long. */
  private skipDependents(id: number, root: number, skip: SkippedTask[]): void {
    const stack = this.dependentsOf(id).reverse();
    while (stack.length > 0) {
      const task = stack.pop()!;
      if (task.state !== 'waiting') continue;
      this.markSkipped(task, root, skip);
      const next = this.dependentsOf(task.id);
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
    }
  }

  private markSkipped(task: ScheduledTask, root: number, skip: SkippedTask[]): void {
    task.state = 'failed';
    this.unfinished--;
    this.failureRoot.set(task.id, root);
    skip.push({ id: task.id, failedDep: root });
  }

  private dependentsOf(id: number): ScheduledTask[] {
    return (this.dependents.get(id) ?? []).map((d) => this.tasks.get(d)!);
  }

  private depsSucceeded(task: ScheduledTask): boolean {
    return task.deps.every((d) => this.tasks.get(d)!.state === 'succeeded');
  }

  private enqueue(task: ScheduledTask): void {
    task.state = 'ready';
    this.readyQueue.push(task.id);
  }

  private fill(): number[] {
    const start: number[] = [];
    while (!this.held && this.running < this.maxConcurrency && this.readyHead < this.readyQueue.length) {
      const id = this.readyQueue[this.readyHead++]!;
      if (this.readyHead > 1024 && this.readyHead * 2 > this.readyQueue.length) {
        this.readyQueue.splice(0, this.readyHead);
        this.readyHead = 0;
      }
      const task = this.tasks.get(id)!;
      if (task.state !== 'ready') continue;
      task.state = 'running';
      this.running++;
      start.push(id);
    }
    return start;
  }

  private isFinished(task: ScheduledTask): boolean {
    return task.state === 'succeeded' || task.state === 'failed';
  }
}
