import { RunEmitter } from '../core/runEmitter';
import type { TaskRecord } from '../core/taskExecutor';
import { TaskExecutor } from '../core/taskExecutor';
import type { ToolRegistry } from '../core/toolRegistry';
import type { JsonObject } from '../shared/json';
import type { RunSettings } from '../shared/runSettings';
import { callAsTask } from './askCall';

export interface ToolCallOptions {
  tools: ToolRegistry;
  roots: string[];
  settings: Pick<RunSettings, 'taskTimeoutMs' | 'maxToolChars'>;
  signal: AbortSignal;
}

/**
 * Runs one workspace tool the way a run's executor runs a task: checked arguments, the per-task time limit, the
 * text budget, and child processes stopped when `signal` aborts. Resolves with the finished task's record.
 */
export async function runToolCall(tool: string, args: JsonObject | undefined, options: ToolCallOptions): Promise<TaskRecord> {
  const executor = new TaskExecutor({
    tools: options.tools,
    roots: options.roots,
    settings: { ...options.settings, maxConcurrency: 1 },
    signal: options.signal,
    emitter: new RunEmitter(),
  });
  const task = callAsTask(tool, args);
  executor.add(task, 1);
  await executor.whenIdle();
  return executor.records.get(task.id)!;
}
