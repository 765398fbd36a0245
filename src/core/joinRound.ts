import type { JoinerDecision } from './joinerParser';
import { JoinerParser } from './joinerParser';
import { joinerMessages } from './prompts';
import type { RunContext } from './runContext';

/**
 * One joiner call: the answer streams to observers token by token as it is written. On the last round a request
 * to replan is turned into an answer that says what is missing, since the run must end with an answer.
 */
export async function joinRound(
  ctx: RunContext,
  round: number,
  transcript: string,
  mayReplan: boolean,
): Promise<JoinerDecision> {
  const { emitter } = ctx;
  emitter.emit({ type: 'join-start', round });
  const messages = joinerMessages({ question: ctx.question, history: ctx.history, transcript, mayReplan });
  const parser = new JoinerParser();
  const forward = (deltas: ReturnType<JoinerParser['push']>) => {
    for (const delta of deltas) {
      if (delta.kind === 'answer') emitter.emit({ type: 'answer-delta', text: delta.text });
    }
  };
  for await (const text of ctx.caller.stream(ctx.joiner, messages, { purpose: 'joiner', round })) {
    forward(parser.push(text));
  }
  const decision = parser.flush();
  forward(decision.deltas);
  if (decision.thought) emitter.emit({ type: 'thought', round, text: decision.thought });
  if (decision.decision === 'replan' && !mayReplan) {
    const answer = `I could not find enough to answer this. What is missing: ${decision.reason}`;
    emitter.emit({ type: 'answer-delta', text: answer });
    return { decision: 'finish', answer, thought: decision.thought, deltas: [] };
  }
  return decision;
}
