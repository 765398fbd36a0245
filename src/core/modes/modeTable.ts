import type { ModelPurpose, RunMode } from '../../shared/modes';
import type { ModeResult, RunContext } from '../runContext';
import type { PromptKind } from '../context/contextBudget';
import { runFunctionCalling } from './functionCallingMode';
import { runPlanned } from './plannedMode';
import { runReact } from './reactMode';

/** How one mode runs a question. Its names and labels are in shared/modes.ts. */
export interface ModeRules {
  /** Answers the question of `ctx`. */
  run(ctx: RunContext): Promise<ModeResult>;
  /** Whether it plans first: `eager` runs each task as its plan line arrives, `whole` once the plan is written. */
  planning: 'eager' | 'whole' | 'none';
  /** What its model calls are for. */
  purposes: readonly ModelPurpose[];
  /** The setting that bounds its model calls: planning rounds, ReAct steps or function-calling turns. */
  rounds: 'maxRounds' | 'maxReactSteps' | 'maxToolTurns';
  /** Which prompts it sends: the planner's and joiner's, ReAct's, or function calling's. */
  prompts: PromptKind;
  /** Tasks at once when not the run's `maxConcurrency`: plan-and-execute runs them one by one, as its name says. */
  maxConcurrency?: number;
}

/** Every mode, keyed by its name; a new mode is an entry here, one in shared/modes.ts, and its module. */
export const MODE_TABLE: Readonly<Record<RunMode, ModeRules>> = {
  compiler: {
    run: (ctx) => runPlanned(ctx, { eager: true }),
    planning: 'eager',
    purposes: ['planner', 'joiner', 'read-ahead'],
    rounds: 'maxRounds',
    prompts: 'planned',
  },
  react: { run: runReact, planning: 'none', purposes: ['react'], rounds: 'maxReactSteps', prompts: 'react' },
  'plan-execute': {
    run: (ctx) => runPlanned(ctx, { eager: false }),
    planning: 'whole',
    purposes: ['planner', 'joiner', 'read-ahead'],
    rounds: 'maxRounds',
    prompts: 'planned',
    maxConcurrency: 1,
  },
  'function-calling': {
    run: runFunctionCalling,
    planning: 'none',
    purposes: ['function-calling'],
    rounds: 'maxToolTurns',
    prompts: 'function-calling',
  },
};
