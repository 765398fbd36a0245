import type { PlanProblem } from '../shared/runEvents';
import type { TaskRecord } from './taskExecutor';
import { CHARS_PER_TOKEN } from '../shared/tokenEstimate';
import { truncateText } from './truncate';
import { cutText } from '../shared/format';

export interface TranscriptOptions {
  /**
   * The round whose plan the reader has just read in its own conversation (the joiner continues the planner's):
   * that round's tasks are named by number and tool only, since their calls are written right above.
   */
  planInConversation?: number;
}

/**
 * The plans and results of every round as the joiner and the replanner read them, each round's results in the
 * order they finished. When the results exceed the budget, each task gets a fair share: short results stay whole, long ones are cut with a visible marker.
 */
export function buildTranscript(records: TaskRecord[], problems: PlanProblem[], budgetTokens: number, options: TranscriptOptions = {}): string {
  const budgets = fairShares(
    records.map((r) => r.text.length),
    budgetTokens * CHARS_PER_TOKEN,
  );
  return transcriptLines(records, problems, budgets, options).lines.join('\n');
}

/**
 * The start of the transcript the joiner will read, as far as it is certain while tasks still run: the finished
 * tasks in the order they finished, up to the first one whose result might yet be cut. An unfinished task is taken
 * to need the most a result can hold (`maxResultChars`), so a finished one that fits its share now fits the final
 * one too. Null when nothing is certain yet.
 */
export function transcriptPrefix(
  records: TaskRecord[],
  problems: PlanProblem[],
  budgetTokens: number,
  maxResultChars: number,
  options: TranscriptOptions = {},
): string | null {
  const budgets = fairShares(
    records.map((r) => (r.status === undefined ? maxResultChars : r.text.length)),
    budgetTokens * CHARS_PER_TOKEN,
  );
  const { lines, shown } = transcriptLines(records, problems, budgets, options, (r, budget) => r.status !== undefined && r.text.length <= budget);
  return shown > 0 ? lines.join('\n') : null;
}

/** The transcript's lines, up to the first task `settled` refuses; `shown` counts the tasks written. */
function transcriptLines(
  records: TaskRecord[],
  problems: PlanProblem[],
  budgets: number[],
  options: TranscriptOptions,
  settled: (record: TaskRecord, budget: number) => boolean = () => true,
): { lines: string[]; shown: number } {
  const rounds = [...new Set([...records.map((r) => r.round), ...problems.map((p) => p.round)])].sort((a, b) => a - b);
  const out: string[] = [];
  let shown = 0;
  for (const round of rounds) {
    if (rounds.length > 1) out.push(`Round ${round}:`);
    for (const i of finishOrder(records)) {
      const r = records[i]!;
      if (r.round !== round) continue;
      if (!settled(r, budgets[i]!)) return { lines: out, shown };
      const call = round === options.planInConversation ? r.task.tool : `${r.task.tool}(${cutText(r.argsText, MAX_LINE_CHARS)})`;
      out.push(`${r.task.id}. ${call} -> ${cutText(statusText(r), MAX_LINE_CHARS)}`);
      const body = r.status === 'ok' || r.status === 'cached' ? truncateText(r.text, budgets[i]!).text : '';
      // The result as the tool wrote it, ended by a blank line: indenting each line would cost a token or two per
      // line, a sixth more for numbered source lines, paid again in every prompt that carries the result.
      if (body) out.push(body, '');
      shown++;
    }
    for (const p of problems.filter((q) => q.round === round)) {
      out.push(`Plan line ${p.line} was not run (${p.error.reason}): ${cutText(p.error.message, MAX_LINE_CHARS)}`);
    }
  }
  return { lines: out, shown };
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
