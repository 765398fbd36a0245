import { randomUUID } from 'node:crypto';
import type { ChatMessage, ModelClient } from '../shared/modelContract';
import type { ErrorInfo } from '../base/errors';
import type { RunObserver, RunOutcome, RunSummary } from '../shared/runEvents';
import type { RunSettings } from '../shared/runSettings';
import { DEFAULT_RUN_SETTINGS } from '../shared/runSettings';
import { childController } from '../base/abortable';
import { CompilerError, isAbortError, toErrorInfo } from '../base/errors';
import { ModelCaller } from './modelCaller';
import { MODE_TABLE } from './modes/modeTable';
import type { RunContext } from './runContext';
import type { ResultCache } from './resultCache';
import { RunEmitter } from './runEmitter';
import { RunStats } from './runStats';
import { TaskExecutor } from './taskExecutor';
import type { ToolRegistry } from './toolRegistry';

export interface RunInput {
  question: string;
  /** Earlier turns of the conversation, oldest first, so follow-up questions have their context. */
  history?: ChatMessage[];
  /** The planner's model; also the joiner's unless `joinerModel` is given. */
  model: ModelClient;
  joinerModel?: ModelClient;
  tools: ToolRegistry;
  /** Workspace roots, absolute. */
  roots: string[];
  settings?: Partial<RunSettings>;
  /** Aborting ends the run with outcome `cancelled`: model streams, tools and child processes stop. */
  signal?: AbortSignal;
  observer?: RunObserver;
  /** The run's id, for a caller that keys its views by it before the first event; a new one when absent. */
  runId?: string;
  /** The session's tool results (one per VS Code window, MCP server or CLI process), shared by its questions. */
  resultCache?: ResultCache;
}

/**
 * Answers one question in the mode of `settings.mode`. Resolves with the run summary (also sent as the `run-end`
 * event); cancellation and failures are outcomes, not rejections.
 */
export async function runQuestion(input: RunInput): Promise<RunSummary> {
  const settings: RunSettings = { ...DEFAULT_RUN_SETTINGS, ...input.settings };
  const rules = MODE_TABLE[settings.mode];
  const runId = input.runId ?? randomUUID();
  // The run's own cancellation: the caller's signal, and the run's time limit and failures below.
  const { controller, dispose } = childController(input.signal ?? new AbortController().signal);
  const signal = controller.signal;
  // The run's own time limit ends it as a failure that says so, not as a cancellation.
  const overtime = new CompilerError(
    'timeout',
    `The run did not finish within its time limit of ${formatLimit(settings.runTimeoutMs)} (the llmCompiler.runTimeoutMs setting, --timeout on the command line).`,
  );
  const limit = setTimeout(() => controller.abort(overtime), settings.runTimeoutMs);
  // The tools prepare while the planner writes (the symbol tools build their language service); tied to the
  // caller's cancellation only, so what is built stays for the next question.
  void input.tools.warmUp(input.roots, input.signal ?? new AbortController().signal);
  const stats = new RunStats();
  const emitter = new RunEmitter(stats.observe, input.observer);
  const executor = new TaskExecutor({
    tools: input.tools,
    roots: input.roots,
    settings: { ...settings, maxConcurrency: rules.maxConcurrency ?? settings.maxConcurrency },
    signal,
    emitter,
    cache: input.resultCache,
    runId,
  });
  const ctx: RunContext = {
    question: input.question,
    history: input.history,
    planner: input.model,
    joiner: input.joinerModel ?? input.model,
    tools: input.tools,
    settings,
    signal,
    emitter,
    caller: new ModelCaller(emitter, signal, settings.maxOutputTokens),
    executor,
  };
  emitter.emit({
    type: 'run-start',
    runId,
    question: input.question,
    mode: settings.mode,
    model: input.model.id,
    tools: input.tools.names,
  });

  let outcome: RunOutcome;
  let result: { answer?: string; error?: ErrorInfo } = {};
  try {
    result = await rules.run(ctx);
    outcome = 'answered';
  } catch (error) {
    if (signal.reason === overtime) {
      outcome = 'failed';
      result = { error: overtime.toInfo() };
    } else if (signal.aborted || isAbortError(error)) {
      outcome = 'cancelled';
    } else {
      outcome = 'failed';
      result = { error: toErrorInfo(error) };
    }
    // Stop whatever is still running before reporting the end.
    controller.abort();
    await executor.whenIdle();
  } finally {
    clearTimeout(limit);
    dispose();
  }
  const summary = stats.summary(outcome, emitter.now(), result);
  emitter.emit({ type: 'run-end', ...summary });
  return summary;
}

function formatLimit(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}
