import { throwIfAborted } from '../../base/errors';
import { joinRound } from '../join/joinRound';
import { startReadAhead } from '../join/joinerReadAhead';
import type { ReadAhead } from '../join/joinerReadAhead';
import { joinerBudget } from '../join/joinerBudget';
import { planRound } from './planRound';
import type { RoundPlan } from './planRound';
import type { ModeResult, RunContext } from '../runContext';
import type { PlanProblem } from '../../shared/runEvents';

/**
 * The compiler's loop, and plan-and-execute's: plan (tasks run as they stream in, or once the plan is written),
 * wait for the tasks, join; replan while the joiner asks and rounds remain. Numbering and identical-call reuse
 * carry across rounds, so a later round can use `$N` of an earlier one.
 */
export async function runPlanned(ctx: RunContext, options: { eager: boolean }): Promise<ModeResult> {
  const problems: PlanProblem[] = [];
  let previous: { reason: string; problems: PlanProblem[] } | undefined;
  for (let round = 1; ; round++) {
    const lastRound = round >= ctx.settings.maxRounds;
    const plan = await planRound(ctx, round, { eager: options.eager, previous });
    problems.push(...plan.problems);
    // The joiner's results get what its prompt leaves, fixed once the plan is written, so that what is read ahead
    // is a prefix of the joiner's request.
    const results = joinerBudget(ctx, round, plan.planned, !lastRound);
    const readAhead = ctx.joiner.readsAhead ? startReadAhead(ctx, round, plan.planned, problems, !lastRound, results(1)) : undefined;
    try {
      const decision = await joinWhenIdle(ctx, round, plan, problems, lastRound, readAhead, results);
      if (decision.decision === 'finish') return { answer: decision.answer };
      previous = { reason: decision.reason, problems };
    } finally {
      // Ends at once when the join already waited for it; on a failure, nothing is left running.
      await readAhead?.finish(0);
    }
  }
}

type RoundEnd = { decision: 'finish'; answer: string } | { decision: 'replan'; reason: string };

/** Waits for the round's tasks, then joins, or says why to plan again. */
async function joinWhenIdle(
  ctx: RunContext,
  round: number,
  plan: RoundPlan,
  problems: PlanProblem[],
  lastRound: boolean,
  readAhead: ReadAhead | undefined,
  results: ReturnType<typeof joinerBudget>,
): Promise<RoundEnd> {
  await ctx.executor.whenIdle();
  await readAhead?.finish(ctx.settings.readAheadGraceMs);
  throwIfAborted(ctx.signal);

  // Every task of the round has finished. The joiner has this round's plan in its conversation; a replanner
  // starts a new one, so it reads every call in full (the next round's planner builds that).
  const unusable = unusableReason(ctx, plan);
  if (unusable && !lastRound) {
    ctx.emitter.emit({ type: 'replan', round, reason: unusable });
    return { decision: 'replan', reason: unusable };
  }

  const decision = await joinRound(ctx, round, plan.planned, problems, !lastRound, results);
  if (decision.decision === 'finish') return { decision: 'finish', answer: decision.answer };
  ctx.emitter.emit({ type: 'replan', round, reason: decision.reason });
  return { decision: 'replan', reason: decision.reason };
}

/** Why a round's plan gave the joiner nothing to work with, or undefined when it is usable. */
function unusableReason(ctx: RunContext, plan: { taskIds: number[]; problems: PlanProblem[]; joined: boolean }): string | undefined {
  // A task that reached its tool is information, even when the tool failed; only plan errors are unusable.
  const ran = plan.taskIds.some((id) => {
    const record = ctx.executor.records.get(id)!;
    return record.start !== undefined || record.status === 'cached';
  });
  if (ran || (plan.joined && plan.taskIds.length === 0 && plan.problems.length === 0)) return undefined;
  const errors = [
    ...plan.problems.map((p) => `line ${p.line}: ${p.error.message}`),
    ...plan.taskIds.map((id) => ctx.executor.records.get(id)!).map((r) => `task ${r.task.id}: ${r.error?.message ?? r.status}`),
  ];
  if (errors.length === 0) return 'the plan had no tasks and no join(); write numbered tool calls, then join()';
  return `no task of the plan could run: ${errors.join('; ')}`;
}
