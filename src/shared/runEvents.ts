// A run's record: its mode, the events every observer receives, the per-call figures and the summary.
import type { ErrorInfo } from '../base/errors';
import type { JsonObject } from './json';
import type { FileLocation, ToolOrigin } from './toolContract';
import type { ModelPurpose, RunMode } from './modes';

/** A plan line that could not become a task: its round, line, text and why. */
export interface PlanProblem {
  round: number;
  line: number;
  source: string;
  error: ErrorInfo;
}

export type TaskStatus = 'ok' | 'error' | 'skipped' | 'cancelled' | 'cached';

export type RunOutcome = 'answered' | 'cancelled' | 'failed';

export interface LlmCallStats {
  call: number;
  purpose: ModelPurpose;
  round: number;
  inputTokens: number;
  /** Of `inputTokens`, those served from the server's prompt-prefix cache, when it reports them. */
  cachedInputTokens?: number;
  outputTokens: number;
  estimated: boolean;
  /** Milliseconds since the run started. */
  start: number;
  end: number;
  /** Milliseconds from the request to the first text chunk. */
  firstTokenMs?: number;
  /** Function calling: the tool calls the model made in this call (absent when none). */
  toolCalls?: number;
  /**
   * How the call ended: `ok`, `truncated` (stopped at the output limit, the text so far is used), `failed` (with
   * `error`) or `cancelled`. Absent in runs recorded before calls had outcomes: read as `ok`.
   */
  outcome?: LlmCallOutcome;
  error?: ErrorInfo;
  /**
   * How the request was fitted to the model's context (absent when the context is not known): its prompt as counted
   * for the budget, the output tokens it asked for, and the context they had to fit.
   */
  fit?: { promptTokens: number; maxOutputTokens: number; contextTokens: number };
  /** Tasks whose results this request showed shortened to fit the context (absent when none). */
  cutResults?: number[];
}

export type LlmCallOutcome = 'ok' | 'truncated' | 'failed' | 'cancelled';

export interface RunSummary {
  outcome: RunOutcome;
  answer?: string;
  error?: ErrorInfo;
  /** Calls that wrote something the run used; read-aheads are counted apart. */
  llmCalls: number;
  /** Read-aheads of the joiner's prompt into a local server's cache (one output token each; absent when none). */
  readAheads?: number;
  /** Every call's tokens, read-aheads included. */
  inputTokens: number;
  outputTokens: number;
  /** True when any call's usage was estimated. */
  tokensEstimated: boolean;
  wallMs: number;
  rounds: number;
  tasks: { total: number; ok: number; error: number; skipped: number; cancelled: number; cached: number };
  /** Sum of all task durations: what the same tasks would have taken one after another. */
  sequentialToolMs: number;
  /** Tool time the `cached` tasks did not spend: what their original calls took, less the time to check them (absent in runs saved before it was counted). */
  savedToolMs?: number;
  /** The most tasks that were running at the same instant. */
  maxParallel: number;
  calls: LlmCallStats[];
  /** The model's context the run was fitted to (absent when the context was not known). */
  context?: RunContextInfo;
  /** Tool results shown shortened somewhere to fit the context, each task once (absent when none). */
  resultsCut?: number;
}

/** The context a run's requests were fitted to, and where it came from. */
export interface RunContextInfo {
  tokens: number;
  source: string;
  /** Nothing answered: a conservative default. */
  assumed?: boolean;
}

interface EventBase {
  /** Milliseconds since the run started. */
  t: number;
}

/** Every observer — chat, panel, CLI, benchmark, log — receives these and only these. */
export type CompilerEvent = EventBase &
  (
    | { type: 'run-start'; runId: string; question: string; mode: RunMode; model: string; tools: string[] }
    | ({
        type: 'context';
        /** What the run log and the chat should say about it: an assumption, or a default the prompts overflow. */
        note?: string;
      } & RunContextInfo)
    | { type: 'llm-start'; call: number; purpose: ModelPurpose; round: number }
    | ({ type: 'llm-end' } & LlmCallStats)
    | { type: 'plan-start'; round: number }
    | { type: 'plan-end'; round: number; tasks: number }
    | ({ type: 'plan-error' } & PlanProblem)
    | {
        type: 'task-planned';
        id: number;
        round: number;
        tool: string;
        /** The arguments as written, `$N` kept, for display. */
        args: string;
        deps: number[];
        thought?: string;
        /** An external tool's source (see `Tool.origin`). */
        origin?: ToolOrigin;
      }
    | {
        type: 'task-started';
        id: number;
        tool: string;
        resolvedArgs: JsonObject;
        /**
         * When the schedule released the task (its inputs ready, a slot free). Tasks released together start one
         * after another, each after the synchronous start of the one before (a process spawn, say), so `t` can be later.
         */
        readyAt?: number;
        /** An external tool's source (see `Tool.origin`). */
        origin?: ToolOrigin;
      }
    | {
        type: 'task-finished';
        id: number;
        round: number;
        tool: string;
        args: string;
        deps: number[];
        status: TaskStatus;
        /** Wall time of the tool call; 0 for tasks that never ran. */
        ms: number;
        /** For `cached`: the task whose result was reused. */
        cachedFrom?: number;
        /** For `cached` from an earlier question of the session: that question's run. */
        cachedFromRun?: string;
        /** For `cached`: the tool time of the call whose result was reused. */
        originalMs?: number;
        error?: ErrorInfo;
        /** The text the model sees (within budget). */
        text: string;
        locations?: FileLocation[];
      }
    | { type: 'join-start'; round: number }
    | { type: 'thought'; round: number; text: string }
    | { type: 'answer-delta'; text: string }
    | { type: 'replan'; round: number; reason: string }
    | ({ type: 'run-end' } & RunSummary)
  );

export type CompilerEventType = CompilerEvent['type'];
export type EventOf<K extends CompilerEventType> = Extract<CompilerEvent, { type: K }>;
export type RunObserver = (event: CompilerEvent) => void;
