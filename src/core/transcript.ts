import type { PlanProblem } from '../shared/runEvents';
import type { TaskRecord } from './taskExecutor';
import { ROUGH_MEASURE } from '../shared/tokenEstimate';
import type { TokenMeasure } from '../shared/tokenEstimate';
import { cutText } from '../shared/format';
import { cutToTokens } from './context/cutResult';

export interface TranscriptOptions {
  /**
   * The round whose plan the reader has just read in its own conversation (the joiner continues the planner's):
   * that round's tasks are named by number and tool only, since their calls are written right above.
   */
  planInConversation?: number;
}

/** The tokens a transcript may take, and how they are counted. */
export interface ResultBudget {
  tokens: number;
  measure: TokenMeasure;
  /**
   * True when `tokens` bounds the whole transcript, its task lines included (a model whose context is known); false
   * when it bounds the results alone (`joinerResultTokens`, as for a model whose context is not known).
   */
  whole: boolean;
  /**
   * Earlier rounds than this show their calls without their results, which are in the reader's conversation
   * already: the first detail to give way once the results themselves are cut to little.
   */
  resultsFrom?: number;
  /** How a tool's call can be narrowed, said where its result was cut. */
  narrow?: (tool: string) => string;
  /** Status and error text of one task line at most, in tokens (a whole-transcript budget only). */
  statusTokens?: number;
}

/** A budget of `tokens` for the results alone, counted at four characters a token: a model whose context is not known. */
export function roughBudget(tokens: number): ResultBudget {
  return { tokens, measure: ROUGH_MEASURE, whole: false };
}

/** The tasks whose results a transcript shows cut. */
export interface Transcript {
  text: string;
  cut: number[];
}

/**
 * The plans and results of every round as the joiner and the replanner read them, each round's results in the
 * order they finished. When the results exceed the budget, each task gets a fair share: short results stay whole,
 * long ones are cut with a marker that says how much was left out and how to narrow the call.
 */
export function buildTranscript(
  records: TaskRecord[],
  problems: PlanProblem[],
  budget: number | ResultBudget,
  options: TranscriptOptions = {},
): string {
  return fitTranscript(records, problems, budget, options).text;
}

/** `buildTranscript`, also saying which results it cut. */
export function fitTranscript(records: TaskRecord[], problems: PlanProblem[], budget: number | ResultBudget, options: TranscriptOptions = {}): Transcript {
  const b = typeof budget === 'number' ? roughBudget(budget) : budget;
  const layout = layOut(records, problems, b, options, () => undefined);
  const { lines, cut } = transcriptLines(records, problems, layout, b, options);
  const text = lines.join('\n');
  if (!b.whole || b.measure.count(text) <= b.tokens) return { text, cut };
  // More tasks than lines can hold: the end gives way, saying so.
  return { text: cutToTokens(text, b.tokens, b.measure, 'the later tasks were left out to fit the model\'s context').text, cut: records.map((r) => r.task.id) };
}

/**
 * The start of the transcript the joiner will read, as far as it is certain while tasks still run: the finished
 * tasks in the order they finished, up to the first one whose result might yet be cut. An unfinished task is taken to need the
 * most a result can hold (`maxResultChars`) and the longest task line, so a finished one that fits its share now
 * fits the final one too. Null when nothing is certain yet.
 */
export function transcriptPrefix(
  records: TaskRecord[],
  problems: PlanProblem[],
  budget: number | ResultBudget,
  maxResultChars: number,
  options: TranscriptOptions = {},
): string | null {
  const b = typeof budget === 'number' ? roughBudget(budget) : budget;
  const layout = layOut(records, problems, b, options, (r) => (r.status === undefined ? b.measure.worst(maxResultChars) : undefined));
  const { lines, shown } = transcriptLines(records, problems, layout, b, options, (r, i) => r.status !== undefined && layout.needs[i]! <= layout.shares[i]!);
  return shown > 0 ? lines.join('\n') : null;
}

interface Layout {
  /** Tokens each task's result needs (0 when it shows none), and the share it gets. */
  needs: number[];
  shares: number[];
}

/** Each task's need and share of the budget; `assumeNeed` stands in for results not in yet. */
function layOut(
  records: TaskRecord[],
  problems: PlanProblem[],
  b: ResultBudget,
  options: TranscriptOptions,
  assumeNeed: (r: TaskRecord) => number | undefined,
): Layout {
  const needs = records.map((r) => {
    if (!showsResult(r, b)) return 0;
    // A result is followed by a blank line.
    return assumeNeed(r) ?? (hasBody(r) ? b.measure.count(r.text) + 1 : 0);
  });
  let room = b.tokens;
  if (b.whole) {
    // The task lines come first; an unfinished task's line is taken at its longest, so the room can only grow.
    const rounds = roundsOf(records, problems);
    let fixed = rounds.length > 1 ? rounds.reduce((n, round) => n + b.measure.count(`Round ${round}:\n`), 0) : 0;
    for (const r of records) fixed += b.measure.count(`${taskLine(r, b, options)}\n`) + (r.status === undefined ? (b.statusTokens ?? 0) : 0);
    for (const p of problems) fixed += b.measure.count(`${problemLine(p)}\n`);
    room -= fixed;
  }
  return { needs, shares: fairShares(needs, room) };
}

/** The transcript's lines, up to the first task `settled` refuses; `shown` counts the tasks written. */
function transcriptLines(
  records: TaskRecord[],
  problems: PlanProblem[],
  layout: Layout,
  b: ResultBudget,
  options: TranscriptOptions,
  settled: (record: TaskRecord, index: number) => boolean = () => true,
): { lines: string[]; shown: number; cut: number[] } {
  const rounds = roundsOf(records, problems);
  const out: string[] = [];
  const cut: number[] = [];
  let shown = 0;
  for (const round of rounds) {
    if (rounds.length > 1) out.push(`Round ${round}:`);
    for (const i of finishOrder(records)) {
      const r = records[i]!;
      if (r.round !== round) continue;
      if (!settled(r, i)) return { lines: out, shown, cut };
      out.push(taskLine(r, b, options));
      if (showsResult(r, b) && hasBody(r)) {
        // The result as the tool wrote it, ended by a blank line: indenting each line would cost a token or two per
        // line, a sixth more for numbered source lines, paid again in every prompt that carries the result.
        const body = cutToTokens(r.text, layout.shares[i]! - 1, b.measure, b.narrow?.(r.task.tool));
        if (body.cut) cut.push(r.task.id);
        if (body.text) out.push(body.text, '');
      }
      shown++;
    }
    for (const p of problems.filter((q) => q.round === round)) out.push(problemLine(p));
  }
  return { lines: out, shown, cut };
}

/**
 * Indices of `records` with the finished ones first, in the order they finished, then the rest in task order. A
 * result is written where it will stay once the slower tasks before it end, so a slow early task does not hold
 * back what is read ahead of the results after it.
 */
function finishOrder(records: TaskRecord[]): number[] {
  const rank = (r: TaskRecord) => (r.status === undefined ? Number.POSITIVE_INFINITY : (r.finishedAs ?? 0));
  return records.map((_, i) => i).sort((a, b) => rank(records[a]!) - rank(records[b]!) || a - b);
}

/** Arguments and messages as the joiner reads them: a plan can hold a megabyte-long argument. */
const MAX_LINE_CHARS = 400;

function roundsOf(records: TaskRecord[], problems: PlanProblem[]): number[] {
  return [...new Set([...records.map((r) => r.round), ...problems.map((p) => p.round)])].sort((a, b) => a - b);
}

function hasBody(r: TaskRecord): boolean {
  return (r.status === 'ok' || r.status === 'cached') && r.text !== '';
}

/** Whether a task's result is shown at all: earlier rounds' give way first when there is little room. */
function showsResult(r: TaskRecord, b: ResultBudget): boolean {
  return b.resultsFrom === undefined || r.round >= b.resultsFrom;
}

function taskLine(r: TaskRecord, b: ResultBudget, options: TranscriptOptions): string {
  const call = r.round === options.planInConversation ? r.task.tool : `${r.task.tool}(${cutText(r.argsText, MAX_LINE_CHARS)})`;
  let status = cutText(statusText(r), MAX_LINE_CHARS);
  if (b.whole && b.statusTokens !== undefined) status = cutToTokens(status, b.statusTokens, b.measure).text.replace(/\n/g, ' ');
  const elsewhere = hasBody(r) && !showsResult(r, b) ? ' (its result is with the earlier rounds above)' : '';
  return `${r.task.id}. ${call} -> ${status}${elsewhere}`;
}

function problemLine(p: PlanProblem): string {
  return `Plan line ${p.line} was not run (${p.error.reason}): ${cutText(p.error.message, MAX_LINE_CHARS)}`;
}

function statusText(r: TaskRecord): string {
  switch (r.status) {
    case 'ok':
      return 'ok';
    case 'cached':
      return `same call as task ${r.cachedFrom}`;
    case 'cancelled':
      return 'cancelled';
    case undefined:
      return 'not finished';
    default:
      return `${r.status}: ${r.error?.message ?? 'no detail'}`;
  }
}

/** Splits a budget so that no share exceeds its need and the unused part of small needs goes to larger ones. */
export function fairShares(needs: number[], budget: number): number[] {
  const shares = new Array<number>(needs.length).fill(0);
  const order = needs.map((n, i) => [n, i] as const).sort((a, b) => a[0] - b[0]);
  let left = Math.max(0, budget);
  order.forEach(([need, index], k) => {
    const even = Math.floor(left / (order.length - k));
    shares[index] = Math.min(need, even);
    left -= shares[index]!;
  });
  return shares;
}
