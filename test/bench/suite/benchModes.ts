import type { RunMode } from '../../../src/shared/modes';

/**
 * The modes the benchmark races, in the order its tables show them: the product's modes, and a second function-calling
 * baseline. `function-calling` is the ideal agent, which makes every call it can in one turn; `function-calling-serial`
 * is the same loop with a model that makes one call a turn, as agents are measured to do with MCP tools: 1.01 tool
 * calls per iteration against 1.74 without them over 500 SWE-bench-verified tasks (supermodeltools/mcp#125), and
 * Claude Code running a message's MCP calls one after another (anthropics/claude-code#14353).
 */
export type BenchMode = RunMode | 'function-calling-serial';

export const BENCH_MODES: readonly BenchMode[] = ['compiler', 'function-calling', 'function-calling-serial', 'react', 'plan-execute'];

/** The product mode that runs a benchmark mode. */
export function runModeOf(mode: BenchMode): RunMode {
  return mode === 'function-calling-serial' ? 'function-calling' : mode;
}

/** Whether the mode plans (its model writes a plan, then answers from the results), or calls tools turn by turn. */
export function plansAhead(mode: BenchMode): boolean {
  return mode === 'compiler' || mode === 'plan-execute';
}
