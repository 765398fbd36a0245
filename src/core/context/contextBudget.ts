import { CompilerError } from '../../base/errors';
import { formatCount } from '../../shared/format';
import type { ChatMessage, ModelContext, ModelToolSpec } from '../../shared/modelContract';
import type { ModelPurpose } from '../../shared/modes';
import type { RunContextInfo } from '../../shared/runEvents';
import type { RunSettings } from '../../shared/runSettings';
import { CONSERVATIVE_MEASURE, ROUGH_MEASURE } from '../../shared/tokenEstimate';
import type { TokenMeasure } from '../../shared/tokenEstimate';
import type { ToolSpec } from '../../shared/toolContract';
import { FULL_FORM, FUNCTION_CALLING_SYSTEM_PROMPT, functionsIn, plannerSystemPrompt, reactSystemPrompt } from '../prompts';
import type { PromptForm } from '../prompts';
import type { ResultBudget } from '../transcript';
import { narrowHint } from './cutResult';

/** Tokens a chat template adds around one message, and around a whole request: more than the common templates do. */
export const MESSAGE_TOKENS = 8;
const REQUEST_TOKENS = 8;
/** Tokens each function definition costs beyond its JSON (OpenAI's wrapper around it). */
const FUNCTION_TOKENS = 16;

/**
 * What each kind of request must be able to write at least (a plan of a few lines, an answer of a few paragraphs),
 * and the share of the context it is given when there is room, up to the run's `maxOutputTokens`.
 */
const OUTPUT: Readonly<Record<ModelPurpose, { floor: number; share: number }>> = {
  planner: { floor: 192, share: 0.15 },
  joiner: { floor: 384, share: 0.25 },
  react: { floor: 384, share: 0.25 },
  'function-calling': { floor: 384, share: 0.25 },
  'read-ahead': { floor: 1, share: 0 },
};

/** The least room for results that makes a request worth sending. */
export const MIN_RESULT_TOKENS = 128;
/** The fixed part of a prompt takes at most this share of the context; past it, a shorter form is chosen. */
const FIXED_SHARE = 0.45;
/** At this context size and below, the planner shows one example instead of three. */
export const COMPACT_CONTEXT = 8192;
/** Of what the planner's prompt may hold besides its fixed part and the question: the conversation so far, at most. */
const HISTORY_SHARE = 0.25;
/** Of what is left after the conversation: earlier rounds' results, at most; the current round's results get the rest. */
const PREVIOUS_SHARE = 0.5;

/** The three ways of answering, as far as their prompts go. */
export type PromptKind = 'planned' | 'react' | 'function-calling';

const FORMS_SMALL: readonly PromptForm[] = [
  { examples: 'one', tools: 'full' },
  { examples: 'one', tools: 'short' },
  { examples: 'one', tools: 'bare' },
];
const FORMS_LARGE: readonly PromptForm[] = [FULL_FORM, ...FORMS_SMALL];

/**
 * A run's budget: the model's context, how text is counted against it, which form of the fixed prompts it affords,
 * and how many tokens each request may hold and ask to write. A run whose model's context is not known keeps the
 * budgets of its settings (`joinerResultTokens`, `maxOutputTokens`), counted at four characters a token.
 */
export class ContextBudget {
  readonly measure: TokenMeasure;
  /** The context in tokens; infinite when it is not known. */
  tokens: number;
  private readonly margin: number;
  private readonly forms = new Map<PromptKind, PromptForm>();
  private readonly cut = new Set<number>();

  constructor(
    readonly context: ModelContext | undefined,
    private readonly settings: Pick<RunSettings, 'maxOutputTokens' | 'joinerResultTokens'>,
    private readonly tools: ToolSpec[],
    private readonly functions: () => ModelToolSpec[] = () => [],
  ) {
    this.tokens = context ? Math.max(1, Math.floor(context.tokens)) : Infinity;
    this.measure = context ? CONSERVATIVE_MEASURE : ROUGH_MEASURE;
    // Template tokens the counts above may miss, and a server's own count running a little over ours.
    this.margin = context ? Math.max(16, Math.ceil(this.tokens * 0.02)) : 0;
  }

  get known(): boolean {
    return this.context !== undefined;
  }

  /** For the run's events and summary. */
  get info(): RunContextInfo | undefined {
    if (!this.context) return undefined;
    return { tokens: this.tokens, source: this.context.source, ...(this.context.assumed ? { assumed: true } : {}) };
  }

  count(text: string): number {
    return this.measure.count(text);
  }

  /** A request's prompt as counted for the budget: its messages with their framing, and the functions it offers. */
  promptTokens(messages: readonly ChatMessage[], functions: readonly ModelToolSpec[] = []): number {
    let total = REQUEST_TOKENS;
    for (const m of messages) {
      total += MESSAGE_TOKENS + this.count(m.content);
      for (const r of m.toolResults ?? []) total += MESSAGE_TOKENS + this.count(r.content) + this.count(r.callId);
      for (const c of m.toolCalls ?? []) total += this.count(c.id) + this.count(c.name) + this.count(JSON.stringify(c.input)) + MESSAGE_TOKENS;
    }
    for (const f of functions) total += FUNCTION_TOKENS + this.count(JSON.stringify(f));
    return total;
  }

  /** Tokens a request's prompt and reply may use together (the prompt alone when the output has its own limit). */
  private get usable(): number {
    return this.tokens - this.margin;
  }

  /** The output a request of this kind should be able to write: its share of the context, within its floor and the cap. */
  reserve(purpose: ModelPurpose): number {
    const { floor, share } = OUTPUT[purpose];
    const cap = this.settings.maxOutputTokens;
    if (!this.known || this.context!.separateOutput) return cap;
    return Math.min(cap, Math.max(floor, Math.floor(this.usable * share)));
  }

  floor(purpose: ModelPurpose): number {
    return Math.min(OUTPUT[purpose].floor, this.settings.maxOutputTokens);
  }

  /** What a reply of this kind takes from the prompt's room: nothing when the output has its own limit. */
  private outputCost(purpose: ModelPurpose): number {
    return this.context?.separateOutput ? 0 : this.reserve(purpose);
  }

  /** Tokens a prompt may hold when its reply is to have `output` tokens. */
  room(output: number): number {
    if (!this.known) return Infinity;
    return this.usable - (this.context!.separateOutput ? 0 : output);
  }

  /** The `max_tokens` of a request whose prompt counts `promptTokens`: what is left, within the cap and what was asked. */
  outputFor(promptTokens: number, asked = this.settings.maxOutputTokens): number {
    const cap = Math.min(asked, this.settings.maxOutputTokens);
    if (!this.known || this.context!.separateOutput) return cap;
    return Math.min(cap, this.usable - promptTokens);
  }

  /** Lowers the context to what the server said it is, when it refused a request for not fitting. */
  learn(contextTokens: number | undefined): void {
    if (contextTokens !== undefined && contextTokens > 0 && contextTokens < this.tokens) this.tokens = contextTokens;
  }

  /**
   * The richest form whose fixed part fits its share of the context: the planner's examples give way first, then
   * the tool descriptions. The same for every question at one context size and tool set.
   */
  form(kind: PromptKind): PromptForm {
    if (!this.known) return FULL_FORM;
    let form = this.forms.get(kind);
    if (!form) {
      const candidates = this.tokens > COMPACT_CONTEXT ? FORMS_LARGE : FORMS_SMALL;
      form = candidates.find((f) => this.fixedTokens(kind, f) <= this.tokens * FIXED_SHARE) ?? candidates.at(-1)!;
      this.forms.set(kind, form);
    }
    return form;
  }

  /** Whether the run's prompts are shorter than they would be with room for everything. */
  shortened(kind: PromptKind): boolean {
    const form = this.form(kind);
    return form.examples !== FULL_FORM.examples || form.tools !== FULL_FORM.tools;
  }

  /** The functions a function-calling request offers, in the run's form. */
  functionsFor(): ModelToolSpec[] {
    return functionsIn(this.functions(), this.form('function-calling').tools);
  }

  /** The tokens of a kind's fixed part (system prompt, and the functions for function calling) in a form. */
  fixedTokens(kind: PromptKind, form: PromptForm): number {
    switch (kind) {
      case 'planned':
        return MESSAGE_TOKENS + this.count(plannerSystemPrompt(this.tools, form));
      case 'react':
        return MESSAGE_TOKENS + this.count(reactSystemPrompt(this.tools, form));
      case 'function-calling':
        return this.promptTokens([{ role: 'system', content: FUNCTION_CALLING_SYSTEM_PROMPT }], functionsIn(this.functions(), form.tools)) - REQUEST_TOKENS;
    }
  }

  /**
   * Stops a run that cannot fit before anything runs: the fixed part in its shortest form, the question, and the
   * least a plan (for the compiler), the results and the answer need.
   */
  ensureRoom(kind: PromptKind, question: string): void {
    if (!this.known) return;
    const shortest = this.tokens > COMPACT_CONTEXT ? FORMS_LARGE.at(-1)! : FORMS_SMALL.at(-1)!;
    const fixed = this.fixedTokens(kind, shortest);
    const asked = this.count(`Question: ${question}`) + MESSAGE_TOKENS;
    const answer = this.floor(kind === 'planned' ? 'joiner' : kind);
    const plan = kind === 'planned' ? this.floor('planner') + MESSAGE_TOKENS : 0;
    const need = REQUEST_TOKENS + fixed + asked + plan + MIN_RESULT_TOKENS + MESSAGE_TOKENS + answer + this.margin;
    if (need <= this.tokens) return;
    const context = this.context!;
    const what = kind === 'planned' ? 'a plan and its answer need' : 'answering needs';
    const parts =
      kind === 'planned'
        ? `the instructions and tools (${formatCount(fixed)}), the question (${formatCount(asked)}), a short plan, a few results and the answer`
        : `the instructions and tools (${formatCount(fixed)}), the question (${formatCount(asked)}), a few results and the answer`;
    throw new CompilerError(
      'context-too-small',
      `The model's context holds ${formatCount(this.tokens)} tokens (${context.source}), and ${what} at least ${formatCount(need)}: ${parts}. ` +
        `Nothing was run. ${context.raise ?? GENERIC_RAISE}`,
    );
  }

  /**
   * Room in the planner's prompt, besides its fixed part and the question, that leaves the joiner room for a plan,
   * the results and the answer: split between the conversation so far and earlier rounds' results.
   */
  plannerRoom(fixedAndQuestion: number, shrink = 1): { history: number; previous: number } {
    if (!this.known) return { history: Infinity, previous: this.settings.joinerResultTokens };
    const joinerNeeds = this.outputCost('joiner') + 3 * MESSAGE_TOKENS + MIN_RESULT_TOKENS;
    const variable = Math.max(0, (this.room(this.reserve('planner')) - joinerNeeds - fixedAndQuestion - REQUEST_TOKENS) * shrink);
    const history = Math.floor(variable * HISTORY_SHARE);
    return { history, previous: Math.min(this.settings.joinerResultTokens, Math.floor((variable - history) * PREVIOUS_SHARE)) };
  }

  /** The planner's `max_tokens` cap: its share, less what the joiner's results and answer need after it. */
  plannerOutput(plannerPromptTokens: number): number {
    if (!this.known || this.context!.separateOutput) return this.reserve('planner');
    const left = this.usable - plannerPromptTokens - this.outputCost('joiner') - MIN_RESULT_TOKENS - 3 * MESSAGE_TOKENS;
    return Math.max(this.floor('planner'), Math.min(this.reserve('planner'), left));
  }

  /** Tokens for the joiner's results after a prompt of `promptTokens` (conversation, plan, framing), scaled by `shrink`. */
  resultsRoom(promptTokens: number, shrink = 1): number {
    if (!this.known) return this.settings.joinerResultTokens;
    // The setting still bounds the results where the context has more room.
    return Math.max(0, Math.floor(Math.min(this.settings.joinerResultTokens, this.room(this.reserve('joiner')) - promptTokens) * shrink));
  }

  /**
   * A transcript's budget of `tokens`: the whole transcript, its task lines included, for a known context; the
   * results alone otherwise, as the settings always meant.
   */
  resultBudget(tokens: number, resultsFrom?: number): ResultBudget {
    return {
      tokens,
      measure: this.measure,
      whole: this.known,
      ...(resultsFrom !== undefined ? { resultsFrom } : {}),
      narrow: (tool) => narrowHint(this.tools.find((t) => t.name === tool)),
      // A task line's status and error at most: a failed task's message can run to 400 characters.
      ...(this.known ? { statusTokens: Math.min(140, Math.max(32, Math.floor(this.tokens / 64))) } : {}),
    };
  }

  /** Room for a conversation's results (ReAct, function calling) besides its other parts, scaled by `shrink`. */
  conversationRoom(purpose: ModelPurpose, otherTokens: number, shrink = 1): number {
    if (!this.known) return Infinity;
    return Math.max(0, Math.floor((this.room(this.reserve(purpose)) - otherTokens) * shrink));
  }

  /** Room for the conversation so far in a ReAct or function-calling prompt. */
  historyRoom(purpose: ModelPurpose, fixedAndQuestion: number): number {
    if (!this.known) return Infinity;
    return Math.floor(Math.max(0, this.room(this.reserve(purpose)) - fixedAndQuestion - MIN_RESULT_TOKENS) * HISTORY_SHARE);
  }

  /**
   * What the run log and the chat should say about the context, once: that it was assumed, or that it is the
   * server's default and too small for the full prompts, and how to raise it.
   */
  note(kind: PromptKind): string | undefined {
    const context = this.context;
    if (!context) return undefined;
    if (context.assumed) {
      return `The model's context is not known (${context.source}): ${formatCount(this.tokens)} tokens assumed. If it has more, set llmCompiler.contextTokens or --context-tokens.`;
    }
    if (context.serverDefault && this.shortened(kind)) {
      return `The model has ${formatCount(this.tokens)} tokens of context, its server's default (${context.source}), too few for the full prompts: they were shortened to fit. ${context.raise ?? GENERIC_RAISE}`;
    }
    return undefined;
  }

  /** Notes tasks whose results a request showed shortened; the summary counts each task once. */
  noteCut(ids: readonly number[]): void {
    for (const id of ids) this.cut.add(id);
  }

  get resultsCut(): number {
    return this.cut.size;
  }
}

const GENERIC_RAISE =
  'Give the model a larger context on its server; if it already has one, tell LLM Compiler with the llmCompiler.contextTokens setting or --context-tokens.';
