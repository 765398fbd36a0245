import type { JsonObject, JsonValue } from '../../../src/shared/json';
import type { ToolSpec } from '../../../src/shared/toolContract';
import type { ScriptedText } from '../../support/modelServer/testServerScript';
import type { BenchCall, BenchQuestion } from './benchQuestion';
import { callLevels } from './benchQuestion';

// The model output of every mode, derived from one question definition: the planner's plan, the joiner's answer,
// ReAct's turns (one call each, in the list's order, which respects every dependency) and function calling's turns
// (every call whose inputs are known, at once, as native tool calls).

/** The plan as the planner prompt asks for it: the numbered tasks only, then join(). */
export function plannerReply(q: BenchQuestion): string {
  const lines = [...q.calls.map((c, i) => `${i + 1}. ${c.tool}(${c.args})`), 'join()', '<END_OF_PLAN>'];
  return lines.join('\n');
}

/** The joiner's reply: the action first, as its prompt asks. */
export function joinerReply(q: BenchQuestion): string {
  return `Action: Finish(${q.answer})`;
}

/** ReAct's last turn: a thought, then the answer, as its prompt asks. */
export function finishReply(q: BenchQuestion): string {
  return `Thought: ${q.conclusion}\nAction: Finish(${q.answer})`;
}

/**
 * ReAct turn `step` (0-based): the call with the arguments the model read from earlier observations. A call without
 * `$N` is written exactly as in the plan; one with `$N` uses the literal values the compiler's run resolved them to.
 */
export function reactReply(q: BenchQuestion, step: number, resolved: ReadonlyArray<JsonObject | undefined>, specs: ToolSpec[]): string {
  if (step >= q.calls.length) return finishReply(q);
  const call = q.calls[step]!;
  return `Thought: ${call.why}\nAction: ${call.tool}(${literalArgs(call, resolved[step], specs)})`;
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
 * Function-calling turn `turn` (0-based): every call of dependency level `turn + 1` at once, as a model that calls
 * tools in parallel issues all lookups it can make with what it has read so far; their arguments are the literal
 * values the compiler's run resolved. After the last level, the answer as plain text.
 */
export function functionCallingReply(q: BenchQuestion, turn: number, resolved: ReadonlyArray<JsonObject | undefined>): ScriptedText {
  const levels = callLevels(q);
  const calls = q.calls.map((call, i) => ({ call, i })).filter(({ i }) => levels[i] === turn + 1);
  if (calls.length === 0) return { text: q.answer };
  return {
    text: '',
    toolCalls: calls.map(({ call, i }) => {
      const args = resolved[i];
      if (!args) throw new Error(`the resolved arguments of ${call.tool}(${call.args}) are not known yet`);
      return { id: `call_${q.id}_${i + 1}`, name: call.tool, arguments: JSON.stringify(args) };
    }),
  };
}
