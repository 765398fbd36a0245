import { REACT_STOP } from '../../../src/core/prompts';
import { END_OF_PLAN } from '../../../src/core/plan/stopMarkers';
import type { JsonObject } from '../../../src/shared/json';
import type { ToolSpec } from '../../../src/shared/toolContract';
import type { ScriptFunction, TestChatRequest } from '../../support/modelServer/testServerScript';
import { NoScriptedReplyError } from '../../support/modelServer/testServerScript';
import type { BenchMode } from './benchModes';
import type { BenchQuestion } from './benchQuestion';
import { functionCallingReply, joinerReply, plannerReply, reactReply } from './scriptedReplies';

export type PromptRole = 'planner' | 'joiner' | 'react' | 'function-calling';

/** How the planner's prompt introduces the rounds before it (see `plannerMessages`). */
const EARLIER_ROUNDS = 'Earlier rounds and their results';

/**
 * Which call the core is making: a request offering tools is a function-calling turn; otherwise the stop sequences
 * tell: the planner stops at END_OF_PLAN, ReAct at Observation:, the joiner at neither.
 */
export function promptRole(request: TestChatRequest): PromptRole {
  if (Array.isArray(request.body.tools) && request.body.tools.length > 0) return 'function-calling';
  if (request.stop.includes(END_OF_PLAN)) return 'planner';
  if (REACT_STOP.some((s) => request.stop.includes(s))) return 'react';
  return 'joiner';
}

/** The question: the `Question: ...` line of the first user message, or that whole message (function calling). */
export function promptQuestion(request: TestChatRequest): string | undefined {
  const user = request.messages.find((m) => m.role === 'user');
  if (!user) return undefined;
  return /^Question: (.*)$/m.exec(user.content)?.[1] ?? user.content;
}

/** Observations sent so far: ReAct's step number. */
function observations(request: TestChatRequest): number {
  return request.messages.filter((m) => m.role === 'user' && m.content.startsWith('Observation:')).length;
}

/** Assistant turns sent back so far: the function-calling turn number (0-based). */
function assistantTurns(request: TestChatRequest): number {
  const messages = Array.isArray(request.body.messages) ? (request.body.messages as Array<{ role?: string }>) : [];
  return messages.filter((m) => m.role === 'assistant').length;
}

/** The round a planner or joiner request belongs to: a replanner's prompt holds the earlier rounds. */
export function promptRound(request: TestChatRequest): number {
  return request.messages.some((m) => m.content.includes(EARLIER_ROUNDS)) ? 2 : 1;
}

export interface BenchScript {
  /** What the model of a mode's server answers: the serial baseline's makes one call a turn. */
  scriptFor(mode: BenchMode): ScriptFunction;
  /** Records the arguments a run resolved `$N` to, for ReAct and function calling to write as literals. */
  setResolved(questionId: string, resolved: Array<JsonObject | undefined>): void;
}

/** Answers each request of a benchmark question the way a model following the mode's prompts would. */
export function createBenchScript(questions: readonly BenchQuestion[], specs: ToolSpec[]): BenchScript {
  const byText = new Map(questions.map((q) => [q.question, q]));
  const resolved = new Map<string, Array<JsonObject | undefined>>();
  return {
    setResolved: (id, args) => resolved.set(id, args),
    scriptFor: (mode) => (request) => {
      const text = promptQuestion(request);
      const q = text === undefined ? undefined : byText.get(text);
      if (!q) throw new NoScriptedReplyError(`not a benchmark question: ${text?.slice(0, 200) ?? '(no user message)'}`);
      switch (promptRole(request)) {
        case 'planner': {
          const round = promptRound(request);
          if (round > 1 && !q.replan) throw new NoScriptedReplyError(`${q.id}: the joiner asked for another round, which this question does not plan`);
          return plannerReply(q, round);
        }
        case 'joiner':
          return joinerReply(q, promptRound(request));
        case 'react':
          return reactReply(q, observations(request), resolved.get(q.id) ?? [], specs);
        case 'function-calling':
          return functionCallingReply(q, assistantTurns(request), resolved.get(q.id) ?? [], { serial: mode === 'function-calling-serial' });
      }
    },
  };
}
