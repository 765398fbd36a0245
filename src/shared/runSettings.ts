// A run's settings and their defaults: the one place the CLI, MCP server, VS Code and the benchmark start from.
import type { RunMode } from './modes';

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
  /**
   * The model's context window in tokens, when set (`llmCompiler.contextTokens`, `--context-tokens`): overrides what
   * the model's server says. Unset: learned from the server, or a conservative default when it says nothing.
   */
  contextTokens?: number;
  /** How long the joiner waits for a read-ahead of its prompt still in flight before cancelling it (default 10 000). */
  readAheadGraceMs?: number;
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
