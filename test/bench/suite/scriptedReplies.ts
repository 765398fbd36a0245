import type { JsonObject, JsonValue } from '../../../src/shared/json';
import type { ToolSpec } from '../../../src/shared/toolContract';
import type { ScriptedText } from '../../support/modelServer/testServerScript';
import type { BenchCall, BenchQuestion } from './benchQuestion';
import { agentCalls, allCalls, callLevels } from './benchQuestion';

// The model output of every mode, derived from one question definition: the planner's plan of each round, the
// joiner's answer (or its request for another round), ReAct's turns (one call each, in the list's order, which
// respects every dependency) and function calling's turns (every call whose inputs are known at once, as native tool
// calls, or one call a turn). `resolved` holds each call's arguments as the compiler's run resolved `$N`, indexed by
// call number - 1.

/** The plan of `round` (1-based) as the planner prompt asks for it: the numbered tasks only, then join(). */
export function plannerReply(q: BenchQuestion, round = 1): string {
  const first = round === 1 ? 0 : q.calls.length;
  const calls = round === 1 ? q.calls : (q.replan?.calls ?? []);
  return [...calls.map((c, i) => `${first + i + 1}. ${c.tool}(${c.args})`), 'join()', '<END_OF_PLAN>'].join('\n');
}

/** The joiner's reply after `round`: the action first, as its prompt asks; a first plan that missed asks for another. */
export function joinerReply(q: BenchQuestion, round = 1): string {
  if (round === 1 && q.replan) return `Action: Replan(${q.replan.reason})`;
  return `Action: Finish(${q.answer})`;
}

/** ReAct's last turn: a thought, then the answer, as its prompt asks. */
export function finishReply(q: BenchQuestion): string {
  return `Thought: ${q.conclusion}\nAction: Finish(${q.answer})`;
}

/**
 * ReAct turn `step` (0-based): the agent's next call with the arguments the model read from earlier observations. A
 * call without `$N` is written exactly as in the plan; one with `$N` uses the literal values the compiler's run
 * resolved them to.
 */
export function reactReply(q: BenchQuestion, step: number, resolved: ReadonlyArray<JsonObject | undefined>, specs: ToolSpec[]): string {
  const order = agentCalls(q);
  if (step >= order.length) return finishReply(q);
  const i = order[step]!;
  const call = allCalls(q)[i]!;
  return `Thought: ${call.why}\nAction: ${call.tool}(${literalArgs(call, resolved[i], specs)})`;
}

function literalArgs(call: BenchCall, resolved: JsonObject | undefined, specs: ToolSpec[]): string {
  if (!/\$/.test(call.args)) return call.args;
  if (!resolved) throw new Error(`the resolved arguments of ${call.tool}(${call.args}) are not known yet`);
  const order = specs.find((s) => s.name === call.tool)?.params.map((p) => p.name) ?? Object.keys(resolved);
  const names = Object.keys(resolved).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  // The first parameter positionally, the rest by name: how a model writes a call.
  return names.map((name, i) => (i === 0 && name === order[0] ? literal(resolved[name]!) : `${name}=${literal(resolved[name]!)}`)).join(', ');
}

function literal(value: JsonValue): string {
  return JSON.stringify(value);
}

/**
 * Function-calling turn `turn` (0-based): the agent's calls of dependency level `turn + 1` at once, as a model that
 * calls tools in parallel issues every lookup it can make with what it has read so far; or, `serial`, its next call
 * alone, as a model that makes one call a turn. Arguments are the literal values the compiler's run resolved. Once
 * every call is made, the answer as plain text.
 */
export function functionCallingReply(
  q: BenchQuestion,
  turn: number,
  resolved: ReadonlyArray<JsonObject | undefined>,
  options: { serial?: boolean } = {},
): ScriptedText {
  const order = agentCalls(q);
  const levels = callLevels(q);
  const turns = options.serial ? order.length : Math.max(0, ...order.map((i) => levels[i]!));
  if (turn >= turns) return { text: q.answer };
  const picked = options.serial ? [order[turn]!] : order.filter((i) => levels[i] === turn + 1);
  const calls = allCalls(q);
  return {
    text: '',
    toolCalls: picked.map((i) => {
      const args = resolved[i];
      if (!args) throw new Error(`the resolved arguments of ${calls[i]!.tool}(${calls[i]!.args}) are not known yet`);
      return { id: `call_${q.id}_${i + 1}`, name: calls[i]!.tool, arguments: JSON.stringify(args) };
    }),
  };
}
