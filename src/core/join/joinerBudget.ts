import type { ChatMessage } from '../../shared/modelContract';
import { MIN_SHARE_TOKENS } from '../context/fitConversation';
import { joinerMessages } from '../prompts';
import type { RunContext } from '../runContext';
import type { ResultBudget } from '../transcript';

/**
 * The joiner's results budget for a round, as a function of `shrink` (1, or less for a retry after the server said
 * the request did not fit) and of messages its request adds after the results (a second attempt's). What the
 * joiner's prompt leaves besides the planner's conversation, the plan and the answer it must be able to write. When
 * the results of every round would each get too little, earlier rounds show their calls only: their results are in
 * the conversation already. Fixed once the plan is written, the same for the read-ahead and the joiner.
 */
export function joinerBudget(
  ctx: RunContext,
  round: number,
  planned: { messages: ChatMessage[]; plan: string },
  mayReplan: boolean,
): (shrink: number, extra?: ChatMessage[]) => ResultBudget {
  const { budget } = ctx;
  const tasks = ctx.executor.records.size;
  return (shrink, extra = []) => {
    const shell = [...joinerMessages({ planned, transcript: '', mayReplan }), ...extra];
    const tokens = budget.resultsRoom(budget.promptTokens(shell), shrink);
    const earlierGiveWay = budget.known && round > 1 && tokens / Math.max(1, tasks) < MIN_SHARE_TOKENS;
    return budget.resultBudget(tokens, earlierGiveWay ? round : undefined);
  };
}
