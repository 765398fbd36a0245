// The modes and model-call purposes as people and callers see them: names, chat commands, compare words and labels.
// How each mode runs is core's table (core/modes/modeTable.ts); a new mode is an entry in each, and its module.

/** How one mode is named and shown. */
export interface ModeLabels {
  /** In sentences, footers and the comparison table (`modeTitle` capitalises it). */
  name: string;
  /** What it does, in a few words, for the `ask` tool's `mode` parameter. */
  summary: string;
  /** The `@compiler` chat command that answers in this mode, if any; a word `/compare` accepts too. */
  chatCommand?: string;
  /** How the task graph draws a run: planning rounds with their joiners, chained steps, or model turns. */
  graph: 'rounds' | 'steps' | 'turns';
}

/** Every mode, in the order settings, the CLI and the `ask` tool list them; the first is the default. */
const MODES = {
  compiler: { name: 'LLM Compiler', summary: 'tasks in parallel', graph: 'rounds' },
  react: { name: 'ReAct', summary: 'one tool call per model turn', chatCommand: 'react', graph: 'steps' },
  'plan-execute': { name: 'plan-and-execute', summary: 'the whole plan, then its tasks one by one', chatCommand: 'plan', graph: 'rounds' },
  'function-calling': { name: 'function calling', summary: 'the tools as native functions, several per turn', chatCommand: 'fc', graph: 'turns' },
} as const satisfies Record<string, ModeLabels>;

/** The ways of answering, as `llmCompiler.mode` and the CLI's `--mode` spell them. */
export type RunMode = keyof typeof MODES;
export const RUN_MODES = Object.keys(MODES) as RunMode[];
export const MODE_LABELS: Readonly<Record<RunMode, ModeLabels>> = MODES;

/** The modes `/compare` races the compiler against: every other one. */
export type CompareMode = Exclude<RunMode, 'compiler'>;
export const COMPARE_MODES = RUN_MODES.filter((m): m is CompareMode => m !== 'compiler');

/** How the calls of one purpose are named. */
export interface PurposeLabels {
  /** The CLI's progress line, before the round: `planner round 2`. */
  cliName: string;
  /** The timeline's bar, and whether its number is a round (`Planner r2`) or a step (`ReAct step 2`). */
  barName: string;
  numbered: 'round' | 'step';
  /** The timeline row's colour: the planner's, the joiner's, or a model that calls tools itself. */
  bar: 'planner' | 'joiner' | 'react';
}

/**
 * What a model call is for. `function-calling`: one turn of a model that calls the workspace tools as native
 * functions; `read-ahead`: the joiner's prompt as far as it is known, sent ahead so a local server reads it into its
 * prompt cache while the last tasks run (one output token, never shown).
 */
const PURPOSES = {
  planner: { cliName: 'planner round', barName: 'Planner', numbered: 'round', bar: 'planner' },
  joiner: { cliName: 'joiner round', barName: 'Joiner', numbered: 'round', bar: 'joiner' },
  react: { cliName: 'react step', barName: 'ReAct step', numbered: 'step', bar: 'react' },
  'function-calling': { cliName: 'model turn', barName: 'Model turn', numbered: 'step', bar: 'react' },
  'read-ahead': { cliName: 'joiner prompt read ahead, round', barName: 'Joiner prompt read ahead', numbered: 'round', bar: 'joiner' },
} as const satisfies Record<string, PurposeLabels>;

export type ModelPurpose = keyof typeof PURPOSES;
export const MODEL_PURPOSES = Object.keys(PURPOSES) as ModelPurpose[];
export const PURPOSE_LABELS: Readonly<Record<ModelPurpose, PurposeLabels>> = PURPOSES;
