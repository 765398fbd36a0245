import type { SymbolToolName } from '../../../src/tools/symbols/symbolContract';

/**
 * Fan-out questions gather independent facts at once; sequential ones need each result for the next call; multi-hop
 * ones follow a chain of three dependent lookups; deep ones a chain of four to six (an error message to the code that
 * throws it, to its callers, to the commit that wrote the call); replan ones start from a plan that misses (a wrong
 * file, a name that does not exist, a search too narrow), so the compiler must plan a second round where an agent
 * adapts turn by turn; large-repo ones ask the same kinds of things of a larger codebase with a long history; external
 * ones call tools that take their time: those of MCP servers that stand in for web services (an issue tracker, a docs
 * search), or the symbol tools on the larger codebase, cold (see `BenchQuestion.coldTools`).
 */
export type QuestionKind = 'fan-out' | 'sequential' | 'multi-hop' | 'deep' | 'replan' | 'large-repo' | 'external';

export const QUESTION_KINDS: readonly QuestionKind[] = ['fan-out', 'sequential', 'multi-hop', 'deep', 'replan', 'large-repo', 'external'];

/** Which benchmark codebase a question is about. */
export type BenchWorkspace = 'ajv' | 'openai-node';

/** One tool call, written once and shared by every mode. */
export interface BenchCall {
  tool: string;
  /** Arguments in plan syntax; `$N` is the result of call N (1-based over every round, an earlier call). */
  args: string;
  /** Why the call is made, as a ReAct turn's thought says it. */
  why: string;
  /**
   * The call is a wrong guess of the first plan, and its result shows it (an error, or nothing found): what is wrong.
   * Calls that depend on it are made only by a plan written before its result was in.
   */
  miss?: string;
}

/**
 * A benchmark question: the calls that answer it (with their dependencies) and the answer. Every mode's scripted
 * model output is derived from this one definition, so all modes make the same tool calls and write the same answer;
 * only a first plan's calls that depend on a miss are left to the planned modes, since an agent that has seen the miss
 * does not make them.
 */
export interface BenchQuestion {
  id: string;
  kind: QuestionKind;
  /** Default `ajv`. */
  workspace?: BenchWorkspace;
  /**
   * Every timed run, in every mode, gets workspace tools of its own with no language service built, as the first
   * question of a fresh CLI or MCP process meets them: the symbol tools are cold, and the warm-up the product starts
   * when a question arrives builds their service while the model writes. Other questions share tools kept warm.
   */
  coldTools?: boolean;
  question: string;
  /** The first plan. */
  calls: BenchCall[];
  /**
   * When the first plan misses: the joiner asks for another round for `reason`, and the planner writes `calls`,
   * numbered on from the first plan's (an agent makes them once it has seen the misses).
   */
  replan?: { reason: string; calls: BenchCall[] };
  /** The thought before the final answer (joiner and ReAct alike). */
  conclusion: string;
  /**
   * Markdown, citing path:line, written from the real tool results: the suite stops before timing anything if it cites
   * a line or commit its warm-up run's results did not show (see `unbackedCitations`).
   */
  answer: string;
}

/** The symbol tools that need a project's language service built (an outline reads one file's syntax). */
export const SERVICE_TOOLS: readonly SymbolToolName[] = ['symbols', 'definition', 'references'];

export function isServiceCall(tool: string): boolean {
  return (SERVICE_TOOLS as readonly string[]).includes(tool);
}

/** Every call of every round, numbered on: call N is `allCalls(q)[N - 1]`. */
export function allCalls(q: BenchQuestion): BenchCall[] {
  return [...q.calls, ...(q.replan?.calls ?? [])];
}

/** The calls a call depends on, as 1-based numbers. */
export function callDeps(call: BenchCall): number[] {
  const deps = new Set<number>();
  for (const match of call.args.matchAll(/\$\{?(\d+)\}?/g)) deps.add(Number(match[1]));
  return [...deps].sort((a, b) => a - b);
}

/** 0-based indices of the calls that depend, directly or not, on a miss: only a plan written ahead makes them. */
export function doomedCalls(q: BenchQuestion): Set<number> {
  const calls = allCalls(q);
  const doomed = new Set<number>();
  calls.forEach((call, i) => {
    if (callDeps(call).some((d) => calls[d - 1]!.miss !== undefined || doomed.has(d - 1))) doomed.add(i);
  });
  return doomed;
}

/**
 * The calls an agent makes, as 0-based indices in call order (which respects every dependency): all but the doomed.
 * ReAct and the one-call-a-turn agent make them one by one in this order.
 */
export function agentCalls(q: BenchQuestion): number[] {
  const doomed = doomedCalls(q);
  return allCalls(q)
    .map((_, i) => i)
    .filter((i) => !doomed.has(i));
}

/**
 * Each call's level: 1 without dependencies, else one more than its deepest dependency; a second round's call also
 * comes after every miss, whose result is what it answers. An agent that calls tools in parallel makes the calls of
 * one level in one turn.
 */
export function callLevels(q: BenchQuestion): number[] {
  const calls = allCalls(q);
  const misses = q.calls.map((c, i) => (c.miss !== undefined ? i + 1 : 0)).filter((n) => n > 0);
  const level: number[] = [];
  calls.forEach((call, i) => {
    const after = [...callDeps(call), ...(i >= q.calls.length ? misses : [])];
    level[i] = 1 + Math.max(0, ...after.map((d) => level[d - 1]!));
  });
  return level;
}

/** Length of the longest dependency chain, in calls, a second round's calls counted after the misses. */
export function chainDepth(q: BenchQuestion): number {
  return Math.max(0, ...callLevels(q));
}

/**
 * Every reference points to an earlier call (so the list order is a valid sequential order), misses come with a
 * second round and only in the first plan, a question with cold tools calls a symbol tool, and an agent's calls fit
 * in the turns a run allows.
 */
export function checkQuestion(q: BenchQuestion, limits: { maxTurns: number }): void {
  allCalls(q).forEach((call, i) => {
    for (const dep of callDeps(call)) {
      if (dep < 1 || dep > i) throw new Error(`${q.id}: call ${i + 1} refers to $${dep}, which is not an earlier call`);
    }
  });
  const misses = q.calls.some((c) => c.miss !== undefined);
  if (misses !== (q.replan !== undefined)) throw new Error(`${q.id}: a first plan with misses needs a second round, and only it`);
  if (q.replan?.calls.some((c) => c.miss !== undefined)) throw new Error(`${q.id}: only the first plan misses`);
  if (q.coldTools && !allCalls(q).some((c) => isServiceCall(c.tool))) {
    throw new Error(`${q.id}: cold tools, yet no call of a symbol tool to meet them`);
  }
  if (agentCalls(q).length > limits.maxTurns) throw new Error(`${q.id}: ${agentCalls(q).length} calls, more than the ${limits.maxTurns} turns an agent may take`);
}
