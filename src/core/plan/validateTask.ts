import { closest } from 'fastest-levenshtein';
import type { PlannedTask } from './planTree';
import { bindArgs, fitArg, hasRefs, matchParams, resolveArg } from './bindArgs';
import { CompilerError } from '../../base/errors';
import type { ToolRegistry } from '../toolRegistry';

export interface PlanSoFar {
  /** Every task id written so far in this run, earlier rounds included. */
  knownIds: { has(id: number): boolean };
  /** The highest id written so far, 0 before the first task. */
  lastId: number;
}

/**
 * Checks a task before it may run: a fresh increasing id, a known tool, references only to earlier tasks, and
 * arguments that fit the tool (literal ones fully; referenced ones are checked again once resolved).
 * Throws a `CompilerError` whose reason says which rule was broken.
 */
export function validateTask(task: PlannedTask, tools: ToolRegistry, plan: PlanSoFar): void {
  if (plan.knownIds.has(task.id)) {
    throw new CompilerError('duplicate-id', `task ${task.id} is numbered twice; number tasks from ${plan.lastId + 1} on`);
  }
  if (task.id <= plan.lastId) {
    throw new CompilerError(
      'duplicate-id',
      `task ${task.id} comes after task ${plan.lastId}; task numbers must increase (next is ${plan.lastId + 1})`,
    );
  }
  const spec = tools.get(task.tool);
  if (!spec) {
    const names = tools.names;
    const hint = names.length ? ` Did you mean ${closest(task.tool, names)}?` : '';
    throw new CompilerError('unknown-tool', `unknown tool "${task.tool}".${hint} Tools: ${names.join(', ')}`);
  }
  for (const dep of task.deps) {
    if (dep === task.id) throw new CompilerError('bad-reference', `task ${task.id} refers to its own result $${dep}`);
    if (!plan.knownIds.has(dep)) {
      throw new CompilerError(
        'bad-reference',
        dep > task.id
          ? `task ${task.id} refers to $${dep}, which comes later; a task can only use results of earlier tasks`
          : `task ${task.id} refers to $${dep}, but there is no task ${dep}`,
      );
    }
  }
  const matched = matchParams(task, spec);
  if (spec.inputSchema) {
    // A schema of its own is checked whole: now when every argument is written out, else once references resolve.
    if (![...matched.values()].some(hasRefs)) bindArgs(task, spec, noRefs);
    return;
  }
  for (const [name, expr] of matched) {
    const param = spec.params.find((p) => p.name === name)!;
    if (!hasRefs(expr)) fitArg(spec, name, param.schema, resolveArg(expr, noRefs));
  }
}

function noRefs(): never {
  throw new Error('unreachable: the argument has no references');
}
