// A plan's syntax tree: what the plan parser makes of the planner's text, and what binding and validation read.
import type { ErrorInfo } from '../../base/errors';
import type { JsonValue } from '../../shared/json';

/** An argument as the planner wrote it, before `$N` references are resolved. */
export type ArgExpr =
  | { kind: 'literal'; value: JsonValue }
  /** A bare `$N` / `${N}`: passes task N's structured result, or the part of it `path` picks (`$1[0].path`). */
  | { kind: 'ref'; id: number; path?: RefPath }
  /** A string with `$N` inside: each reference is replaced by task N's result text, or the picked part as text. */
  | { kind: 'template'; parts: Array<string | { ref: number; path?: RefPath }> }
  | { kind: 'list'; items: ArgExpr[] }
  | { kind: 'object'; entries: Array<[string, ArgExpr]> };

/** Steps into a result: list indexes (negative from the end) and field names. Omitted when empty. */
export type RefPath = Array<string | number>;

export interface ParsedArgs {
  positional: ArgExpr[];
  named: Array<[string, ArgExpr]>;
}

/** One task as parsed from a plan line, e.g. `3. read_file($1, start_line=10)`. */
export interface PlannedTask {
  id: number;
  tool: string;
  args: ParsedArgs;
  /** Ids this task refers to with `$N`, sorted, unique. */
  deps: number[];
  /** The `Thought:` line(s) written just before the task, if any. */
  thought?: string;
  /** The task's source text, as the planner wrote it (may span lines). */
  source: string;
  /** 1-based line in the planner output where the task starts. */
  line: number;
}

/** What the incremental plan parser emits. */
export type PlanItem =
  | { kind: 'task'; task: PlannedTask }
  /** `join()`: the plan is complete. */
  | { kind: 'join'; line: number; thought?: string }
  /** A line that looks like a task but cannot be parsed; the plan goes on without it. */
  | { kind: 'error'; error: ErrorInfo; line: number; source: string };
