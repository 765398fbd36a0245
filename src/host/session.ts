import { randomUUID } from 'node:crypto';
import { CompilerError } from '../base/errors';
import { ResultCache } from '../core/resultCache';
import { runQuestion } from '../core/runQuestion';
import type { TaskRecord } from '../core/taskExecutor';
import { ToolRegistry } from '../core/toolRegistry';
import type { JsonObject } from '../shared/json';
import type { ChatMessage, ModelClient } from '../shared/modelContract';
import type { RunObserver, RunSummary } from '../shared/runEvents';
import type { RunSettings } from '../shared/runSettings';
import { DEFAULT_RUN_SETTINGS } from '../shared/runSettings';
import { nodeReadTracker } from '../tools/reuse/readTracker';
import { guardedExternalTool } from './externalGuard';
import { runToolCall } from './toolCall';
import type { ToolSource } from './toolSource';

/** The models of one question: the planner's, and the joiner's when it differs. */
export interface RunModels {
  model: ModelClient;
  joinerModel?: ModelClient;
}

/** One question put to a session. */
export interface Question {
  question: string;
  /** Earlier turns of the conversation, oldest first. */
  history?: ChatMessage[];
  models: RunModels;
  /** Workspace roots, absolute, symlinks resolved. */
  roots: readonly string[];
  /** The run's settings, its mode and time limit (`runTimeoutMs`) among them; the others keep their defaults. */
  settings?: Partial<RunSettings>;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  observer?: RunObserver;
  /** The run's id, for a caller that keys its views by it before the first event; a new one when absent. */
  runId?: string;
}

export interface SessionOptions {
  /** Where the tools come from, the workspace's first; a tool whose name an earlier source took is left out. */
  sources: readonly ToolSource[];
  /** Tool results later questions reuse; a function when the cache may be replaced or turned off between questions. */
  resultCache?: ResultCache | (() => ResultCache | undefined);
  /**
   * The user's protected globs beyond the built-in ones: external tools are refused paths they name too. A function
   * when the user may change them between questions (a setting).
   */
  protectedGlobs?: readonly string[] | (() => readonly string[]);
}

/** A new run id: runs of every session are told apart by it (the panel, the log, reused results). */
export function newRunId(): string {
  return randomUUID();
}

/** The tool results of one session, for its later questions to reuse while what they read is unchanged. */
export function createResultCache(options: { maxBytes?: number } = {}): ResultCache {
  return new ResultCache({ tracker: nodeReadTracker, ...options });
}

/**
 * What lasts from one question to the next in one place that asks (a CLI process, an MCP server, a VS Code window):
 * the tools of its sources and the results they returned. Every surface asks through a session, so a question is
 * put together the same way everywhere; `close` ends the sources with the session.
 */
export class Session {
  private closed = false;

  constructor(private readonly options: SessionOptions) {}

  /**
   * The tools every source offers now, the first source's first. External tools (those with an `origin`) are held to
   * the workspace tools' rules here, whichever source brought them: see `guardedExternalTool`.
   */
  async tools(signal: AbortSignal): Promise<ToolRegistry> {
    this.checkOpen();
    const registry = new ToolRegistry();
    const globs = this.options.protectedGlobs ?? [];
    const protectedGlobs = typeof globs === 'function' ? globs() : globs;
    for (const source of this.options.sources) {
      for (const tool of await source.tools(signal)) {
        if (!registry.get(tool.name)) registry.add(tool.origin ? guardedExternalTool(tool, protectedGlobs) : tool);
      }
    }
    return registry;
  }

  /**
   * Answers one question. Resolves with the run summary and the run's id; cancellation and failures, the run's
   * time limit included, are outcomes, not rejections.
   */
  async ask(question: Question): Promise<RunSummary & { runId: string }> {
    const runId = question.runId ?? newRunId();
    const signal = question.signal ?? new AbortController().signal;
    const resultCache = typeof this.options.resultCache === 'function' ? this.options.resultCache() : this.options.resultCache;
    const summary = await runQuestion({
      question: question.question,
      ...(question.history ? { history: question.history } : {}),
      model: question.models.model,
      ...(question.models.joinerModel ? { joinerModel: question.models.joinerModel } : {}),
      tools: await this.tools(signal),
      roots: [...question.roots],
      ...(question.settings ? { settings: question.settings } : {}),
      signal,
      ...(question.observer ? { observer: question.observer } : {}),
      runId,
      ...(resultCache ? { resultCache } : {}),
    });
    return { ...summary, runId };
  }

  /**
   * Runs one tool as a run's executor runs a task: arguments checked as a planner's are, the per-task time limit,
   * the text budget, child processes stopped when `signal` aborts. Resolves with the finished task's record.
   */
  async callTool(
    name: string,
    args: JsonObject | undefined,
    options: { roots: readonly string[]; settings?: Partial<RunSettings>; signal: AbortSignal },
  ): Promise<TaskRecord> {
    const settings = { ...DEFAULT_RUN_SETTINGS, ...options.settings };
    return runToolCall(name, args, {
      tools: await this.tools(options.signal),
      roots: [...options.roots],
      settings: { taskTimeoutMs: settings.taskTimeoutMs, maxToolChars: settings.maxToolChars },
      signal: options.signal,
    });
  }

  /** Closes every source once; the session takes no question after. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.options.sources.map(async (source) => source.close?.()));
  }

  private checkOpen(): void {
    if (this.closed) throw new CompilerError('internal', 'The session is closed: it takes no more questions.');
  }
}
