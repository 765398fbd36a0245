import type { ChatMessage } from '../../shared/modelContract';
import type { PlanProblem } from '../../shared/runEvents';
import { AnswerStream } from './answerStream';
import { CompilerError } from '../../base/errors';
import type { JoinerDecision } from './joinerParser';
import { joinerMessages, joinerRetryMessages } from '../prompts';
import type { RunContext } from '../runContext';
import type { FittedRequest } from '../modelCaller';
import type { ResultBudget } from '../transcript';
import { fitTranscript } from '../transcript';

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
  problems: PlanProblem[],
  mayReplan: boolean,
  results: (shrink: number, extra?: ChatMessage[]) => ResultBudget,
): Promise<JoinerDecision> {
  const { emitter } = ctx;
  emitter.emit({ type: 'join-start', round });
  // The results as the joiner reads them: this round's calls are right above in its conversation.
  const request = (shrink: number, then: (messages: ChatMessage[]) => ChatMessage[] = (m) => m, extra: ChatMessage[] = []): FittedRequest => {
    const transcript = fitTranscript([...ctx.executor.records.values()], problems, results(shrink, extra), { planInConversation: round });
    return { messages: then(joinerMessages({ planned, transcript: transcript.text, mayReplan })), ...(transcript.cut.length ? { cut: transcript.cut } : {}) };
  };
  let build = (shrink: number) => request(shrink);
  for (let attempt = 1; ; attempt++) {
    const answerStream = new AnswerStream(emitter);
    let reply = '';
    for await (const text of ctx.caller.stream(ctx.joiner, build, { purpose: 'joiner', round })) {
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
      // The reply and the reminder come after the results: the results make room for them.
      const again = (messages: ChatMessage[]) => joinerRetryMessages(messages, reply, mayReplan);
      const added = again([]);
      build = (shrink) => request(shrink, again, added);
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
