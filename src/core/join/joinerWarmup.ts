import type { ChatMessage } from '../../shared/types';
import { joinerMessages } from '../prompts';
import type { RunContext } from '../runContext';
import type { TaskRecord } from '../taskExecutor';
import { CHARS_PER_TOKEN } from '../tokenEstimate';
import type { PlanProblem } from '../transcript';
import { buildTranscript } from '../transcript';

/** New results worth a request of their own: below this, the request costs more than it saves. */
const MIN_NEW_TOKENS = 64;

/**
 * While the plan's last tasks run, sends the joiner's prompt as far as it is known (the planner's conversation,
 * the plan, and the results in so far, in task order) for one output token, so that a server keeping prompt prefixes
 * reads it while it would otherwise wait; the joiner's request then reads only what came after. Only the compiler
 * can do this, since it knows its next prompt before the last result is in.
 *
 * Starts once the plan is written (a server with one slot would otherwise queue it behind the planner) and sends
 * nothing more once every task has finished: the joiner then goes at once, and on a server with one slot waits for
 * a read-ahead still in flight no longer than reading that part itself would take. `until` ends the one in flight
 * (the joiner has answered); a read-ahead that fails costs the run nothing but its time.
 */
export async function warmJoinerPrompt(
  ctx: RunContext,
  round: number,
  planned: { messages: ChatMessage[]; plan: string },
  problems: readonly PlanProblem[],
  mayReplan: boolean,
  until: AbortSignal,
): Promise<void> {
  // Earlier rounds' unrunnable lines sit between their tasks and this round's; this round's come after all its tasks.
  const earlierProblems = problems.filter((p) => p.round < round);
  let sentChars = 0;
  for (;;) {
    if (ctx.signal.aborted || until.aborted) return;
    const done = finishedPrefix(ctx.executor.records.values());
    if (done.all) return;
    const transcript = buildTranscript(done.records, earlierProblems, ctx.settings.joinerResultTokens, { planInConversation: round });
    if (done.records.length > 0 && transcript.length - sentChars >= MIN_NEW_TOKENS * CHARS_PER_TOKEN) {
      sentChars = transcript.length;
      const messages = joinerMessages({ planned, transcript, mayReplan, partial: true });
      try {
        for await (const text of ctx.caller.stream(ctx.joiner, messages, { purpose: 'prefill', round, maxOutputTokens: 1 })) void text;
      } catch {
        if (ctx.signal.aborted || until.aborted) return;
        // The joiner reads the whole prompt itself; a server that refused this one will say so to the joiner too.
      }
      continue;
    }
    await ctx.executor.whenTaskFinishes();
  }
}

/**
 * The tasks finished so far, up to the first still running: the joiner's transcript lists tasks in order, so only
 * these make a prefix of it. `all` when none is left running.
 */
function finishedPrefix(records: Iterable<TaskRecord>): { records: TaskRecord[]; all: boolean } {
  const out: TaskRecord[] = [];
  let running = false;
  for (const record of records) {
    if (record.status === undefined) {
      running = true;
      break;
    }
    out.push(record);
  }
  return { records: out, all: !running };
}
