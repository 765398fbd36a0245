import type { ChatMessage } from '../../shared/modelContract';
import type { PlanItem } from '../plan/planTree';
import { toErrorInfo } from '../../base/errors';
import { plannerMessages } from '../prompts';
import type { PlannerPromptInput } from '../prompts';
import { fitHistory } from '../context/fitConversation';
import type { FittedRequest } from '../modelCaller';
import { fitTranscript } from '../transcript';
import { END_OF_PLAN } from '../plan/stopMarkers';
import { PlanParser } from '../plan/planParser';
import type { RunContext } from '../runContext';
import type { PlanProblem } from '../../shared/runEvents';

export interface RoundPlan {
  /** Tasks accepted into the run (valid or not) in this round. */
  taskIds: number[];
  /** Lines that could not become tasks. */
  problems: PlanProblem[];
  joined: boolean;
  /** The planner's prompt and what it wrote, for the joiner to continue. */
  planned: { messages: ChatMessage[]; plan: string };
}

/**
 * Streams one planner call and hands each task to the executor the moment its line is complete, so tools run
 * while the planner is still writing (unless `eager` is off: plan-and-execute runs the plan once it is written).
 */
export async function planRound(
  ctx: RunContext,
  round: number,
  options: { eager: boolean; previous?: { reason: string; problems: PlanProblem[] } },
): Promise<RoundPlan> {
  const { emitter, executor } = ctx;
  const build = plannerRequest(ctx, options.previous);
  const first = build(1);
  const plan: RoundPlan = { taskIds: [], problems: [], joined: false, planned: { messages: first.messages, plan: '' } };
  const sent = (shrink: number) => {
    const request = shrink === 1 ? first : build(shrink);
    plan.planned.messages = request.messages;
    return request;
  };
  // The plan's length leaves the joiner room for the results and the answer.
  const maxOutputTokens = ctx.budget.known ? ctx.budget.plannerOutput(ctx.budget.promptTokens(first.messages)) : undefined;
  // A plan past the bound is cut there: the joiner's request lists every line, and a model that keeps writing tasks
  // would make it megabytes long.
  const maxLines = ctx.settings.maxPlanLines;
  let lines = 0;
  let full = false;
  /** The plan's text line at which it was cut, when it was. */
  let cutAt = 0;
  const problem = (p: PlanProblem) => {
    plan.problems.push(p);
    emitter.emit({ type: 'plan-error', ...p });
  };
  const accept = (items: PlanItem[]) => {
    for (const item of items) {
      if (full) return;
      if (item.kind !== 'join' && ++lines > maxLines) {
        full = true;
        const line = item.kind === 'task' ? item.task.line : item.line;
        cutAt = line;
        problem({
          round,
          line,
          source: '',
          error: { reason: 'unusable-plan', message: `the plan has more than ${maxLines} lines; it was read up to line ${line - 1}` },
        });
        return;
      }
      if (item.kind === 'join') {
        plan.joined = true;
      } else if (item.kind === 'error') {
        problem({ round, line: item.line, source: item.source, error: item.error });
      } else if (!plan.joined) {
        try {
          executor.add(item.task, round);
          plan.taskIds.push(item.task.id);
        } catch (error) {
          problem({ round, line: item.task.line, source: item.task.source, error: toErrorInfo(error) });
        }
      }
    }
  };

  emitter.emit({ type: 'plan-start', round });
  if (!options.eager) executor.hold();
  const parser = new PlanParser();
  try {
    const call = { purpose: 'planner' as const, round, stop: [END_OF_PLAN], ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}) };
    for await (const text of ctx.caller.stream(ctx.planner, sent, call)) {
      plan.planned.plan += text;
      accept(parser.push(text));
      if (full) break;
    }
    if (!full) accept(parser.flush());
    // The joiner is shown the plan as it was read, so the lines past the bound never reach its request.
    if (full) plan.planned.plan = plan.planned.plan.split('\n').slice(0, cutAt - 1).join('\n');
  } finally {
    emitter.emit({ type: 'plan-end', round, tasks: plan.taskIds.length });
    if (!options.eager) executor.release();
  }
  return plan;
}

/** Replans carry earlier rounds' results at most, and a reason cut to this many characters. */
const MAX_REASON_CHARS = 1_000;

/**
 * The planner's request, fitted: the fixed part in the run's form and the question whole; the conversation so far
 * and earlier rounds' results (every call in full, since a replanner starts a new conversation) within what the
 * context leaves the planner once the joiner's needs are set aside.
 */
function plannerRequest(ctx: RunContext, previous: { reason: string; problems: PlanProblem[] } | undefined): (shrink: number) => FittedRequest {
  const { budget } = ctx;
  const reason = previous && previous.reason.length > MAX_REASON_CHARS ? `${previous.reason.slice(0, MAX_REASON_CHARS)}…` : previous?.reason;
  const base: PlannerPromptInput = {
    question: ctx.question,
    tools: ctx.tools.specs(),
    firstId: ctx.executor.nextId,
    form: budget.form('planned'),
  };
  const bare = plannerMessages({ ...base, ...(reason !== undefined ? { previous: { transcript: '', reason } } : {}) });
  const fixedAndQuestion = budget.promptTokens(bare);
  return (shrink) => {
    const room = budget.plannerRoom(fixedAndQuestion, shrink);
    const history = fitHistory(ctx.history, room.history, budget);
    const earlier =
      reason !== undefined ? fitTranscript([...ctx.executor.records.values()], previous!.problems, budget.resultBudget(room.previous)) : undefined;
    const messages = plannerMessages({
      ...base,
      ...(history ? { history } : {}),
      ...(earlier ? { previous: { transcript: earlier.text, reason: reason! } } : {}),
    });
    return { messages, ...(earlier?.cut.length ? { cut: earlier.cut } : {}) };
  };
}
