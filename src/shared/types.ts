// The types every layer shares: the core, the tools, the model providers, the VS Code surfaces, the webview,
// the CLI and the benchmark. Plain data only, so it can cross the webview boundary and be printed as JSON.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------------------------
// Tools

/** A JSON Schema object, as far as tool parameters need it. */
export interface JsonSchema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null' | Array<string>;
  description?: string;
  enum?: JsonValue[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  default?: JsonValue;
  additionalProperties?: boolean | JsonSchema;
}

export interface ToolParam {
  name: string;
  schema: JsonSchema;
  optional?: boolean;
  description: string;
}

/** What the planner sees of a tool. */
export interface ToolSpec {
  name: string;
  /** One paragraph: what it does, what it returns, when to use it. */
  description: string;
  /** Positional order; keywords use the same names. */
  params: ToolParam[];
}

/** A location in a workspace file. Lines and columns are 1-based. */
export interface FileLocation {
  /** Absolute path on disk. */
  path: string;
  /** Path relative to its workspace root, with `/` separators, for display and prompts. */
  relPath: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** What a tool returns. */
export interface ToolOutput {
  /** Text for the model. Tools keep it within their budget; truncation is marked visibly in the text. */
  text: string;
  /** Structured result, passed by a bare `$N` reference. Defaults to `text`. */
  value?: JsonValue;
  /** File locations for clickable references and the graph panel. */
  locations?: FileLocation[];
  truncated?: boolean;
}

export interface ToolContext {
  signal: AbortSignal;
  /** Workspace roots, absolute, symlinks resolved. The first is the default. */
  roots: string[];
  /** Character budget for `ToolOutput.text`. */
  maxChars: number;
  /** Present when results may be reused by later questions: the tool says here what its result depends on. */
  reads?: ToolReads;
}

/**
 * What a tool result was computed from. A result is reused only while everything recorded here is unchanged; a
 * tool that records nothing, or calls `volatile`, is run afresh every time.
 */
export interface ToolReads {
  /**
   * A file, or a folder's entries, that the result reflects (or its absence). Awaited before reading it; or, for a
   * file found only while computing the result, afterwards with `since` (when the computation began): a change
   * from then on may be missing from the result, which is then not reused.
   */
  path(abs: string, options?: { since?: number }): Promise<void>;
  /**
   * Every entry a search under `root` selects (ignore files and `excludeGlobs` honoured, `.git` skipped): their
   * names, and their contents when `contents` is set. `under` (root-relative, `/`-separated) and `depth` (levels of
   * folders read) narrow it to a listing. Changes since `since` (default: when the call started) count. Awaited
   * before searching.
   */
  tree(
    root: string,
    options: { excludeGlobs: readonly string[]; contents: boolean; under?: string; depth?: number; since?: number },
  ): Promise<void>;
  /** A git repository's HEAD, refs, index and config. Awaited before running git. */
  git(gitDir: string, commonDir: string): Promise<void>;
  /** The result depends on something that cannot be checked cheaply: it is not reused. */
  volatile(): void;
}

export interface Tool extends ToolSpec {
  /** Arguments arrive resolved, keyed by parameter name, already validated against the schemas. */
  run(args: JsonObject, ctx: ToolContext): Promise<ToolOutput>;
  /** Overrides the run's per-task timeout. */
  timeoutMs?: number;
  /**
   * Prepares what the tool's first call would otherwise wait for (e.g. building a language service), started when a
   * question arrives so it overlaps the planner. Never throws; aborting the signal stops it.
   */
  warmUp?(ctx: { roots: readonly string[]; signal: AbortSignal }): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors (plain data form; the classes live in src/base/errors.ts)

export type ErrorReason =
  // plans
  | 'plan-syntax'
  | 'unknown-tool'
  | 'invalid-args'
  | 'bad-reference'
  | 'duplicate-id'
  | 'unusable-plan'
  // tasks
  | 'tool-failed'
  | 'timeout'
  | 'dependency-failed'
  | 'path-escape'
  | 'protected-path'
  | 'not-found'
  | 'unsupported'
  // models
  | 'model-unreachable'
  | 'model-auth'
  | 'model-not-found'
  | 'rate-limited'
  | 'context-too-long'
  | 'model-error'
  | 'no-model'
  | 'model-consent'
  | 'joiner-format'
  /** Function calling: the model still called tools at the last turn allowed. */
  | 'turn-limit'
  // anything else
  | 'internal';

export interface ErrorInfo {
  reason: ErrorReason;
  message: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Models

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** An assistant's calls of the request's tools (only for callers that pass `tools`, such as VS Code's agents). */
  toolCalls?: ModelToolCall[];
  /** In a user message: the results of earlier tool calls, sent before its text. */
  toolResults?: ModelToolResult[];
}

/** A tool offered to the model itself (function calling), as opposed to the compiler's planned tool calls. */
export interface ModelToolSpec {
  name: string;
  description: string;
  /** JSON schema of the tool's input object. */
  inputSchema?: object;
}

export interface ModelToolCall {
  id: string;
  name: string;
  input: JsonObject;
}

export interface ModelToolResult {
  callId: string;
  content: string;
}

/**
 * What a model call is for. `function-calling`: one turn of a model that calls the workspace tools as native
 * functions; `prefill`: the joiner's prompt as far as it is known, sent ahead so a local server reads it into its
 * prompt cache while the last tasks run (one output token, never shown).
 */
export const MODEL_PURPOSES = ['planner', 'joiner', 'react', 'function-calling', 'prefill'] as const;
export type ModelPurpose = (typeof MODEL_PURPOSES)[number];

export interface ModelRequestOptions {
  signal: AbortSignal;
  /** Stop sequences; the model stops before writing any of them. */
  stop?: string[];
  purpose: ModelPurpose;
  maxOutputTokens?: number;
  /** Tools the model may call; its calls arrive as `tool-call` chunks. */
  tools?: ModelToolSpec[];
  /** `required`: the model must call one of `tools`. Default `auto`. */
  toolMode?: 'auto' | 'required';
}

export interface ModelUsage {
  inputTokens: number;
  /** Of `inputTokens`, those the server read from its prompt-prefix cache, when it says (OpenAI's `cached_tokens`). */
  cachedInputTokens?: number;
  outputTokens: number;
  /** True when the server did not report usage and the figures come from a tokenizer. */
  estimated: boolean;
}

export type ModelChunk = { type: 'text'; text: string } | { type: 'tool-call'; call: ModelToolCall } | { type: 'usage'; usage: ModelUsage };

/**
 * The only model interface the core knows. Implementations: the OpenAI-compatible client, VS Code's Language Model
 * API, the scripted model of the tests. Errors are thrown as `CompilerError`s with a model reason; an aborted signal
 * ends the iteration with an `AbortError`.
 */
export interface ModelClient {
  /** Shown to users, e.g. `openai:gpt-4o-mini` or `vscode-lm:copilot/gpt-4o`. */
  readonly id: string;
  /**
   * True when a prompt sent ahead pays off: the server keeps prompt prefixes and reads prompts slowly against the
   * wait for tools (a local server), so the joiner's prompt is read in while the plan's last tasks run.
   */
  readonly warmsPromptCache?: boolean;
  stream(messages: ChatMessage[], options: ModelRequestOptions): AsyncIterable<ModelChunk>;
}

// ---------------------------------------------------------------------------------------------------------------
// Runs

/** The ways of answering, as `llmCompiler.mode` and the CLI's `--mode` spell them. */
export const RUN_MODES = ['compiler', 'react', 'plan-execute', 'function-calling'] as const;
export type RunMode = (typeof RUN_MODES)[number];

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
}

interface EventBase {
  /** Milliseconds since the run started. */
  t: number;
}

/** Every observer — chat, panel, CLI, benchmark, log — receives these and only these. */
export type CompilerEvent = EventBase &
  (
    | { type: 'run-start'; runId: string; question: string; mode: RunMode; model: string; tools: string[] }
    | { type: 'llm-start'; call: number; purpose: ModelPurpose; round: number }
    | ({ type: 'llm-end' } & LlmCallStats)
    | { type: 'plan-start'; round: number }
    | { type: 'plan-end'; round: number; tasks: number }
    | { type: 'plan-error'; round: number; line: number; source: string; error: ErrorInfo }
    | {
        type: 'task-planned';
        id: number;
        round: number;
        tool: string;
        /** The arguments as written, `$N` kept, for display. */
        args: string;
        deps: number[];
        thought?: string;
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

export interface RunSettings {
  mode: RunMode;
  /** Tasks running at once (default 8). */
  maxConcurrency: number;
  /** Per-task timeout in milliseconds (default 30 000). */
  taskTimeoutMs: number;
  /** Planning rounds in all, the first included (default 3). The last round must answer. */
  maxRounds: number;
  /** Character budget of one task's text (default 6 000). */
  maxToolChars: number;
  /** Approximate token budget for all results shown to the joiner (default 12 000). */
  joinerResultTokens: number;
  /** Tool calls a `react` run may make before it must answer (default 12). */
  maxReactSteps: number;
  /** Model turns a `function-calling` run may spend calling tools; a turn may make several calls (default 10). */
  maxToolTurns: number;
  /** Plan lines (tasks and unusable lines) read per round; the plan is cut there (default 100). */
  maxPlanLines: number;
  /** Output tokens of one model call; the call stops there and what it wrote is used (default 4 096). */
  maxOutputTokens: number;
  /** Time limit of the whole run in milliseconds (default 600 000): past it the run fails as `timeout`. */
  runTimeoutMs: number;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  mode: 'compiler',
  maxConcurrency: 8,
  taskTimeoutMs: 30_000,
  maxRounds: 3,
  maxToolChars: 6_000,
  joinerResultTokens: 12_000,
  maxReactSteps: 12,
  maxToolTurns: 10,
  maxPlanLines: 100,
  maxOutputTokens: 4_096,
  runTimeoutMs: 600_000,
};
