import type { ChatMessage } from '../../shared/modelContract';
import type { PlannedTask } from '../plan/planTree';
import { AnswerStream } from '../join/answerStream';
import { CompilerError, throwIfAborted } from '../../base/errors';
import { JoinerParser } from '../join/joinerParser';
import { PlanParser } from '../plan/planParser';
import { REACT_STOP, reactSystemPrompt } from '../prompts';
import type { ModeResult, RunContext } from '../runContext';
import { fitConversation, fitHistory } from '../context/fitConversation';
import type { ResultRef } from '../context/fitConversation';
import { MESSAGE_TOKENS } from '../context/contextBudget';
import { narrowHint } from '../context/cutResult';

type ReactStep = { kind: 'finish'; answer: string } | { kind: 'call'; task: PlannedTask } | { kind: 'invalid'; message: string };

/**
 * ReAct as it is usually run, kept for comparison: think, make one tool call, observe, repeat, resending the whole
 * growing conversation each turn. Same tools, same model interface, same events as the compiler.
 */
export async function runReact(ctx: RunContext): Promise<ModeResult> {
  const { budget } = ctx;
  const system: ChatMessage = { role: 'system', content: reactSystemPrompt(ctx.tools.specs(), budget.form('react')) };
  const question: ChatMessage = { role: 'user', content: `Question: ${ctx.question}` };
  const history = fitHistory(ctx.history, budget.historyRoom('react', budget.promptTokens([system, question]) + MESSAGE_TOKENS), budget) ?? [];
  const messages: ChatMessage[] = [system, ...history, question];
  // Observations are the results: they give way when the conversation outgrows the context.
  const observations: ResultRef[] = [];
  for (let step = 1; step <= ctx.settings.maxReactSteps + 1; step++) {
    const mustAnswer = step > ctx.settings.maxReactSteps;
    if (mustAnswer) {
      messages.push({ role: 'user', content: 'No more tool calls are possible. Answer now with Action: Finish(...).' });
    }
    let output = '';
    // A turn that turns out to be the answer streams it as it is written, as the compiler's joiner does.
    const answerStream = new AnswerStream(ctx.emitter);
    const fitted = (shrink: number) => fitConversation(messages, observations, budget, 'react', [], shrink);
    for await (const text of ctx.caller.stream(ctx.planner, fitted, { purpose: 'react', round: step, stop: REACT_STOP })) {
      output += text;
      answerStream.push(text);
    }
    messages.push({ role: 'assistant', content: output.trim() });
    if (answerStream.streamed) {
      // Part of the answer is on screen: the turn is the answer, whatever follows it.
      const decision = answerStream.flush();
      return { answer: decision.decision === 'finish' ? decision.answer : decision.reason };
    }
    const parsed = parseReactStep(output);
    if (parsed.kind === 'finish' || mustAnswer) {
      const answer = parsed.kind === 'finish' ? parsed.answer : output.trim();
      ctx.emitter.emit({ type: 'answer-delta', text: answer });
      return { answer };
    }
    let observation: string;
    let taskId = 0;
    let tool: string | undefined;
    if (parsed.kind === 'invalid') {
      observation = `Error: ${parsed.message}`;
    } else {
      const task = { ...parsed.task, id: ctx.executor.nextId };
      tool = task.tool;
      try {
        ctx.executor.add(task, 1);
        taskId = task.id;
        await ctx.executor.whenIdle();
        observation = ctx.executor.records.get(task.id)!.text;
      } catch (error) {
        if (!(error instanceof CompilerError)) throw error;
        observation = `Error: ${error.message}`;
      }
    }
    throwIfAborted(ctx.signal);
    const prefix = 'Observation: ';
    messages.push({ role: 'user', content: `${prefix}${observation}` });
    observations.push({ message: messages.length - 1, prefix, turn: step, taskId, hint: narrowHint(tool ? ctx.tools.get(tool) : undefined) });
  }
  throw new CompilerError('internal', 'ReAct loop ended without an answer');
}

/** Reads one ReAct turn: a tool call after `Action:`, or a final answer in the joiner's `Finish(...)` form. */
export function parseReactStep(output: string): ReactStep {
  const action = /Action\s*:\s*/gi;
  let match: RegExpExecArray | null;
  let last: RegExpExecArray | undefined;
  while ((match = action.exec(output))) last = match;
  const call = last ? output.slice(last.index + last[0].length).trim() : '';
  if (!last || /^(finish|replan)\b/i.test(call)) {
    const parser = new JoinerParser();
    parser.push(output);
    const decision = parser.flush();
    return { kind: 'finish', answer: decision.decision === 'finish' ? decision.answer : decision.reason };
  }
  const parser = new PlanParser();
  const items = [...parser.push(`1. ${call}\n`), ...parser.flush()];
  const task = items.find((i) => i.kind === 'task');
  if (task?.kind === 'task') return { kind: 'call', task: task.task };
  const error = items.find((i) => i.kind === 'error');
  return { kind: 'invalid', message: error?.kind === 'error' ? error.error.message : `could not read the action "${call}"` };
}
