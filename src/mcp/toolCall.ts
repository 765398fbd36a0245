import { formatArgs } from '../core/plan/formatArgs';
import { RunEmitter } from '../core/runEmitter';
import type { TaskRecord } from '../core/taskExecutor';
import { TaskExecutor } from '../core/taskExecutor';
import type { ToolRegistry } from '../core/toolRegistry';
import type { ParsedArgs, PlannedTask } from '../core/plan/planTree';
import type { JsonObject, JsonValue, RunSettings } from '../shared/types';

/**
 * A call from a client as the task a planner would have written, `tool(name=value, …)`: it goes through the same
 * checks, so a bad argument gets the message the planner would have got.
 */
export function callAsTask(tool: string, args: JsonObject | undefined): PlannedTask {
  const parsed: ParsedArgs = {
    positional: [],
    named: Object.entries(args ?? {}).map(([name, value]): [string, { kind: 'literal'; value: JsonValue }] => [name, { kind: 'literal', value }]),
  };
  return { id: 1, tool, args: parsed, deps: [], source: `${tool}(${formatArgs(parsed)})`, line: 1 };
}

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
