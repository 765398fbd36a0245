/**
 * Fan-out questions gather independent facts at once; sequential ones need each result for the next call; multi-hop
 * ones follow a chain of three or more dependent lookups; slow-tools ones use tools that take real time (symbol
 * lookups in a project of several hundred files, a long history, a large tree).
 */
export type QuestionKind = 'fan-out' | 'sequential' | 'multi-hop' | 'slow-tools';

export const QUESTION_KINDS: readonly QuestionKind[] = ['fan-out', 'sequential', 'multi-hop', 'slow-tools'];

/** Which benchmark codebase a question is about. */
export type BenchWorkspace = 'ajv' | 'openai-node';

/** One tool call, written once and shared by every mode. */
export interface BenchCall {
  tool: string;
  /** Arguments in plan syntax; `$N` is the result of call N (1-based, an earlier call). */
  args: string;
  /** Why the call is made, as a ReAct turn's thought says it. */
  why: string;
}

/**
 * A benchmark question: the calls that answer it (with their dependencies) and the answer. Every mode's scripted
 * model output is derived from this one definition, so all modes make the same tool calls and write the same answer.
 */
export interface BenchQuestion {
  id: string;
  kind: QuestionKind;
  /** Default `ajv`. */
  workspace?: BenchWorkspace;
  question: string;
  calls: BenchCall[];
  /** The thought before the final answer (joiner and ReAct alike). */
  conclusion: string;
  /** Markdown, citing path:line; checked against the real tool results when the suite is written. */
  answer: string;
}

/** The calls a call depends on, as 1-based numbers. */
export function callDeps(call: BenchCall): number[] {
  const deps = new Set<number>();
  for (const match of call.args.matchAll(/\$\{?(\d+)\}?/g)) deps.add(Number(match[1]));
  return [...deps].sort((a, b) => a - b);
}

/** Every reference points to an earlier call: the list order is a valid sequential order. */
export function checkQuestion(q: BenchQuestion): void {
  q.calls.forEach((call, i) => {
    for (const dep of callDeps(call)) {
      if (dep < 1 || dep > i) throw new Error(`${q.id}: call ${i + 1} refers to $${dep}, which is not an earlier call`);
    }
  });
}

/** Each call's level: 1 without dependencies, else one more than its deepest dependency. */
export function callLevels(q: BenchQuestion): number[] {
  const level: number[] = [];
  q.calls.forEach((call, i) => {
    level[i] = 1 + Math.max(0, ...callDeps(call).map((d) => level[d - 1]!));
  });
  return level;
}

/** Length of the longest dependency chain, in calls. */
export function chainDepth(q: BenchQuestion): number {
  const depth: number[] = [];
  q.calls.forEach((call, i) => {
    depth[i] = 1 + Math.max(0, ...callDeps(call).map((d) => depth[d - 1]!));
  });
  return Math.max(0, ...depth);
}
