import type { RunMode } from '../../../src/shared/modes';

/** The modes the benchmark races, in the order its tables show them. */
export type BenchMode = RunMode | 'function-calling';

export const BENCH_MODES: readonly BenchMode[] = ['compiler', 'function-calling', 'react', 'plan-execute'];
