import type { ChatMessage } from '../../shared/modelContract';
import type { PlanItem } from '../plan/planTree';
import { toErrorInfo } from '../../base/errors';
import { plannerMessages } from '../prompts';
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
  options: { eager: boolean; previous?: { transcript: string; reason: string } },
): Promise<RoundPlan> {
  const { emitter, executor } = ctx;
  const messages = plannerMessages({
    question: ctx.question,
    history: ctx.history,
    tools: ctx.tools.specs(),
    firstId: ctx.executor.nextId,
    previous: options.previous,
  });
  const plan: RoundPlan = { taskIds: [], problems: [], joined: false, planned: { messages, plan: '' } };
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
    for await (const text of ctx.caller.stream(ctx.planner, messages, { purpose: 'planner', round, stop: [END_OF_PLAN] })) {
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
