import type { ChatMessage } from '../../shared/modelContract';
import { AnswerStream } from './answerStream';
import { CompilerError } from '../../base/errors';
import type { JoinerDecision } from './joinerParser';
import { joinerMessages, joinerRetryMessages } from '../prompts';
import type { RunContext } from '../runContext';

/** A joiner reply without an answer (empty, or `Finish()`) is asked for once more before the run fails on it. */
const JOINER_ATTEMPTS = 2;

/**
 * One joiner call: the answer streams to observers token by token as it is written. On the last round a request
 * to replan is turned into an answer that says what is missing, since the run must end with an answer.
 */
export async function joinRound(
  ctx: RunContext,
  round: number,
  planned: { messages: ChatMessage[]; plan: string },
  transcript: string,
  mayReplan: boolean,
): Promise<JoinerDecision> {
  const { emitter } = ctx;
  emitter.emit({ type: 'join-start', round });
  let messages = joinerMessages({ planned, transcript, mayReplan });
  for (let attempt = 1; ; attempt++) {
    const answerStream = new AnswerStream(emitter);
    let reply = '';
    for await (const text of ctx.caller.stream(ctx.joiner, messages, { purpose: 'joiner', round })) {
      reply += text;
      answerStream.push(text);
    }
    let decision: JoinerDecision;
    try {
      decision = answerStream.flush();
    } catch (error) {
      // Asked again only while nothing of the reply has reached the reader.
      const retry = error instanceof CompilerError && error.reason === 'joiner-format' && !answerStream.streamed && attempt < JOINER_ATTEMPTS;
      if (!retry) throw error;
      messages = joinerRetryMessages(messages, reply, mayReplan);
      continue;
    }
    if (decision.thought) emitter.emit({ type: 'thought', round, text: decision.thought });
    if (decision.decision === 'replan' && !mayReplan) {
      const answer = `I could not find enough to answer this. What is missing: ${decision.reason}`;
      emitter.emit({ type: 'answer-delta', text: answer });
      return { decision: 'finish', answer, thought: decision.thought, deltas: [] };
    }
    return decision;
  }
}
