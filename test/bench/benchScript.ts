import { REACT_STOP } from '../../src/core/prompts';
import { END_OF_PLAN } from '../../src/core/plan/stopMarkers';
import type { JsonObject, ToolSpec } from '../../src/shared/types';
import type { ScriptFunction, TestChatRequest } from '../support/testServerScript';
import { NoScriptedReplyError } from '../support/testServerScript';
import type { BenchQuestion } from './benchQuestion';
import { finishReply, plannerReply, reactReply } from './scriptedReplies';

export type PromptRole = 'planner' | 'joiner' | 'react';

/** Which call the core is making, told by its stop sequences: the planner stops at END_OF_PLAN, ReAct at Observation:. */
export function promptRole(request: TestChatRequest): PromptRole {
  if (request.stop.includes(END_OF_PLAN)) return 'planner';
  if (REACT_STOP.some((s) => request.stop.includes(s))) return 'react';
  return 'joiner';
}

/** The `Question: ...` line of the first user message (later ones are observations). */
export function promptQuestion(request: TestChatRequest): string | undefined {
  const user = request.messages.find((m) => m.role === 'user');
  return user ? /^Question: (.*)$/m.exec(user.content)?.[1] : undefined;
}

/** Observations sent so far: ReAct's step number. */
function observations(request: TestChatRequest): number {
  return request.messages.filter((m) => m.role === 'user' && m.content.startsWith('Observation:')).length;
}

export interface BenchScript {
  script: ScriptFunction;
  /** Records the arguments a run resolved `$N` to, for ReAct to write as literals. */
  setResolved(questionId: string, resolved: Array<JsonObject | undefined>): void;
}

/** Answers each request of a benchmark question the way a model following the core's prompts would. */
export function createBenchScript(questions: readonly BenchQuestion[], specs: ToolSpec[]): BenchScript {
  const byText = new Map(questions.map((q) => [q.question, q]));
  const resolved = new Map<string, Array<JsonObject | undefined>>();
  return {
    setResolved: (id, args) => resolved.set(id, args),
    script: (request) => {
      const text = promptQuestion(request);
      const q = text === undefined ? undefined : byText.get(text);
      if (!q) throw new NoScriptedReplyError(`not a benchmark question: ${text ?? '(no Question: line)'}`);
      switch (promptRole(request)) {
        case 'planner':
          if (request.messages.some((m) => m.content.includes('Earlier rounds and their results'))) {
            throw new NoScriptedReplyError(`${q.id}: the joiner asked for another round, which the benchmark does not script`);
          }
          return plannerReply(q);
        case 'joiner':
          return finishReply(q);
        case 'react':
          return reactReply(q, observations(request), resolved.get(q.id) ?? [], specs);
      }
    },
  };
}
