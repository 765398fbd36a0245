import type { ChatMessage, ModelToolCall, ModelToolResult } from '../../shared/modelContract';
import type { JsonValue } from '../../shared/json';
import type { ArgExpr, PlannedTask } from '../plan/planTree';
import { CompilerError, throwIfAborted } from '../../base/errors';
import { FUNCTION_CALLING_SYSTEM_PROMPT, lastTurnMessage } from '../prompts';
import type { ModeResult, RunContext } from '../runContext';
import { fitConversation, fitHistory } from '../context/fitConversation';
import type { ResultRef } from '../context/fitConversation';
import { MESSAGE_TOKENS } from '../context/contextBudget';
import { narrowHint } from '../context/cutResult';

/**
 * Native function calling, as editor agents run it today: the model sees the workspace tools as functions, may call
 * several in one turn, and every call of a turn runs at once on the run's executor (same events, timeouts, reuse of
 * identical calls, cancellation). Each result goes back as a tool message under its call id; the loop ends when a
 * turn calls nothing. After `maxToolTurns` turns of calls the model gets one more turn without tools to answer.
 */
export async function runFunctionCalling(ctx: RunContext): Promise<ModeResult> {
  const { budget } = ctx;
  // The functions' descriptions give way to a small context as the planner's tool descriptions do.
  const functions = budget.functionsFor();
  const maxTurns = ctx.settings.maxToolTurns;
  const system: ChatMessage = { role: 'system', content: FUNCTION_CALLING_SYSTEM_PROMPT };
  const question: ChatMessage = { role: 'user', content: ctx.question };
  const fixed = budget.promptTokens([system, question], functions) + MESSAGE_TOKENS;
  const messages: ChatMessage[] = [system, ...(fitHistory(ctx.history, budget.historyRoom('function-calling', fixed), budget) ?? []), question];
  // The tool results give way when the conversation outgrows the context; the tool definitions count too.
  const results: ResultRef[] = [];
  // Everything the model writes reaches observers as it streams, as in an agent's chat; the answer is all of it.
  let answer = '';
  for (let turn = 1; turn <= maxTurns + 1; turn++) {
    const lastTurn = turn > maxTurns;
    if (lastTurn) messages.push({ role: 'user', content: lastTurnMessage(maxTurns) });
    let text = '';
    const calls: ModelToolCall[] = [];
    const options = { purpose: 'function-calling' as const, round: turn, ...(lastTurn ? {} : { tools: functions }) };
    const fitted = (shrink: number) => fitConversation(messages, results, budget, 'function-calling', lastTurn ? [] : functions, shrink);
    for await (const piece of ctx.caller.pieces(ctx.planner, fitted, options)) {
      if (piece.type === 'tool-call') {
        calls.push(piece.call);
        continue;
      }
      // A new turn's text starts a paragraph of its own after what is already on screen.
      const delta = text === '' && answer !== '' ? `\n\n${piece.text}` : piece.text;
      text += piece.text;
      answer += delta;
      ctx.emitter.emit({ type: 'answer-delta', text: delta });
    }
    if (calls.length === 0) {
      if (answer.trim()) return { answer: answer.trim() };
      if (lastTurn) {
        throw new CompilerError(
          'turn-limit',
          `The model was still calling tools after ${maxTurns} turns and wrote no answer; stopped. ` +
            'Allow more turns (setting llmCompiler.maxToolTurns, CLI --max-turns) or ask a narrower question.',
        );
      }
      throw new CompilerError('model-error', `The model ended turn ${turn} with neither an answer nor a tool call.`);
    }
    messages.push({ role: 'assistant', content: text, toolCalls: calls });
    const ran = await runCalls(ctx, calls, turn, text.trim());
    throwIfAborted(ctx.signal);
    messages.push({ role: 'user', content: '', toolResults: ran.map((r) => ({ callId: r.callId, content: r.content })) });
    ran.forEach((r, index) =>
      results.push({ message: messages.length - 1, result: index, turn, taskId: r.taskId, hint: narrowHint(ctx.tools.get(r.tool)) }),
    );
  }
  throw new CompilerError('internal', 'The function-calling loop ended without an answer');
}

/** Runs one turn's calls together and pairs each result with its call id. */
async function runCalls(
  ctx: RunContext,
  calls: ModelToolCall[],
  turn: number,
  thought: string,
): Promise<Array<ModelToolResult & { taskId: number; tool: string }>> {
  const ids = calls.map((call, index) => {
    const task = callTask(call, ctx.executor.nextId, index + 1, index === 0 ? thought : '');
    ctx.executor.add(task, turn);
    return task.id;
  });
  await ctx.executor.whenIdle();
  return calls.map((call, index) => ({ callId: call.id, content: ctx.executor.records.get(ids[index]!)!.text, taskId: ids[index]!, tool: call.name }));
}

/** A function call as an executor task: its arguments are literals, bound and checked like a planned task's. */
function callTask(call: ModelToolCall, id: number, line: number, thought: string): PlannedTask {
  const named: Array<[string, ArgExpr]> = Object.entries(call.input)
    // Models often send null for an optional parameter they leave unset.
    .filter((entry): entry is [string, JsonValue] => entry[1] !== null)
    .map(([name, value]) => [name, { kind: 'literal', value }]);
  return {
    id,
    tool: call.name,
    args: { positional: [], named },
    deps: [],
    source: `${call.name}(${JSON.stringify(call.input)})`,
    line,
    ...(thought ? { thought } : {}),
  };
}
