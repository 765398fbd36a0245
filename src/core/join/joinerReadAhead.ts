import { sleep } from '../../base/abortable';
import type { ChatMessage } from '../../shared/modelContract';
import { joinerMessages } from '../prompts';
import type { RunContext } from '../runContext';
import type { PlanProblem } from '../../shared/runEvents';
import { transcriptPrefix } from '../transcript';
import type { ResultBudget } from '../transcript';

/** New results worth a request of their own: below this, the request costs more than it saves. */
const MIN_NEW_TOKENS = 64;

/**
 * How long the tasks must go without a new result before a read-ahead is sent. It costs a request's fixed time and
 * an output token, which the joiner waits for; tools that finish within this would have it only add to the wait.
 */
export const READ_AHEAD_QUIET_MS = 100;

/**
 * How long the joiner waits for a read-ahead still in flight when the last task finishes. Waiting, rather than
 * going at once, keeps the two from reading the same prompt side by side on a server with several slots (on one
 * slot the joiner would queue behind it anyway); past this the read-ahead is taken to be stuck, and is cancelled.
 */
export const READ_AHEAD_GRACE_MS = 10_000;

export interface ReadAhead {
  /** Sends nothing more; resolves once the read-ahead in flight ended, or was cancelled after `graceMs`. */
  finish(graceMs?: number): Promise<void>;
}

/**
 * While the plan's last tasks run, sends the joiner's prompt as far as it is certain (the planner's conversation,
 * the plan, and the results in so far, in task order) for one output token, so that a server keeping prompt
 * prefixes reads it while it would otherwise wait; the joiner's request then reads only what came after. Only the
 * compiler can do this, since it knows its next prompt before the last result is in.
 *
 * Starts once the plan is written (a server with one slot would otherwise queue it behind the planner), waits for
 * the tasks to go `READ_AHEAD_QUIET_MS` without a new result, and sends nothing once every task has finished. A
 * read-ahead that fails costs the run nothing but its time; the run's cancellation ends it.
 */
export function startReadAhead(
  ctx: RunContext,
  round: number,
  planned: { messages: ChatMessage[]; plan: string },
  problems: readonly PlanProblem[],
  mayReplan: boolean,
  /** The joiner's results budget: the same, so what is sent is a prefix of the joiner's request. */
  results: ResultBudget,
): ReadAhead {
  const stop = new AbortController();
  let finishing = false;
  const loop = (async () => {
    let sentChars = 0;
    while (!finishing && !ctx.signal.aborted) {
      const records = [...ctx.executor.records.values()];
      if (records.every((r) => r.status !== undefined)) return;
      const transcript = transcriptPrefix(records, [...problems], results, ctx.settings.maxToolChars, { planInConversation: round });
      if (transcript !== null && results.measure.count(transcript.slice(sentChars)) >= MIN_NEW_TOKENS) {
        if (await nextResultWithin(ctx, READ_AHEAD_QUIET_MS)) continue;
        if (finishing || ctx.signal.aborted) return;
        sentChars = transcript.length;
        const messages = joinerMessages({ planned, transcript, mayReplan, partial: true });
        try {
          const reply = ctx.caller.stream(ctx.joiner, messages, { purpose: 'read-ahead', round, maxOutputTokens: 1, signal: stop.signal });
          for await (const text of reply) void text;
        } catch {
          // Cancelled, or refused: the joiner reads the whole prompt itself, and a server that refused this one
          // will say why to the joiner too.
        }
        continue;
      }
      await ctx.executor.whenTaskFinishes();
    }
  })();
  return {
    async finish(graceMs = READ_AHEAD_GRACE_MS) {
      finishing = true;
      const grace = new AbortController();
      await Promise.race([loop, sleep(graceMs, grace.signal).catch(() => undefined)]);
      grace.abort();
      stop.abort();
      await loop;
    },
  };
}

/** True when a task finishes (or none is left) within `ms`. */
async function nextResultWithin(ctx: RunContext, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([ctx.executor.whenTaskFinishes().then(() => true), sleep(ms, timer.signal).then(() => false)]);
  } finally {
    timer.abort();
  }
}
