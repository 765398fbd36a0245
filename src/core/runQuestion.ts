import { randomUUID } from 'node:crypto';
import type { ChatMessage, ModelClient, ModelContext } from '../shared/modelContract';
import type { ErrorInfo } from '../base/errors';
import type { RunObserver, RunOutcome, RunSummary } from '../shared/runEvents';
import type { RunSettings } from '../shared/runSettings';
import { DEFAULT_RUN_SETTINGS } from '../shared/runSettings';
import { childController } from '../base/abortable';
import { CompilerError, isAbortError, throwIfAborted, toErrorInfo } from '../base/errors';
import { ModelCaller } from './modelCaller';
import { MODE_TABLE } from './modes/modeTable';
import type { RunContext } from './runContext';
import type { ResultCache } from './resultCache';
import { RunEmitter } from './runEmitter';
import { RunStats } from './runStats';
import { TaskExecutor } from './taskExecutor';
import type { ToolRegistry } from './toolRegistry';
import { ContextBudget } from './context/contextBudget';

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
  let budget: ContextBudget | undefined;
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
    // The context decides every request's size, so it is known before the first: learned from the model's server
    // (once per endpoint and model), or set.
    budget = new ContextBudget(await runContextOf(input, settings, signal), settings, input.tools.specs(), () => input.tools.functions());
    if (budget.info) {
      const note = budget.note(rules.prompts);
      emitter.emit({ type: 'context', ...budget.info, ...(note ? { note } : {}) });
    }
    // Too small for any answer: said before anything runs.
    budget.ensureRoom(rules.prompts, input.question);
    const ctx: RunContext = {
      question: input.question,
      history: input.history,
      planner: input.model,
      joiner: input.joinerModel ?? input.model,
      tools: input.tools,
      settings,
      signal,
      emitter,
      caller: new ModelCaller(emitter, signal, budget),
      executor,
      budget,
    };
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
  const info = budget?.info;
  const summary = {
    ...stats.summary(outcome, emitter.now(), result),
    ...(info ? { context: info } : {}),
    ...(budget?.resultsCut ? { resultsCut: budget.resultsCut } : {}),
  };
  emitter.emit({ type: 'run-end', ...summary });
  return summary;
}

/**
 * The context the run fits its requests to: the setting when there is one, else the smaller of what the planner's
 * and the joiner's models say (the joiner continues the planner's conversation). Undefined when neither says.
 */
async function runContextOf(input: RunInput, settings: RunSettings, signal: AbortSignal): Promise<ModelContext | undefined> {
  if (settings.contextTokens !== undefined && settings.contextTokens > 0) {
    return { tokens: settings.contextTokens, source: 'set by llmCompiler.contextTokens or --context-tokens' };
  }
  const models = [...new Set([input.model, input.joinerModel ?? input.model])];
  const contexts = await Promise.all(models.map((m) => m.context?.(signal)));
  throwIfAborted(signal);
  return contexts.filter((c): c is ModelContext => c !== undefined).sort((a, b) => a.tokens - b.tokens)[0];
}

function formatLimit(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}
