import { CompilerError } from '../base/errors';
import { bindArgs } from '../core/plan/bindArgs';
import { formatArgs } from '../core/plan/formatArgs';
import type { ParsedArgs, PlannedTask } from '../core/plan/planTree';
import type { JsonObject, JsonValue } from '../shared/json';
import type { ToolSpec } from '../shared/toolContract';
import { MODE_LABELS, RUN_MODES } from '../shared/modes';
import type { RunMode } from '../shared/modes';

// Other agents call the compiler as a tool (the MCP server, VS Code's language-model tool): their calls are checked
// as a planner's are, so a bad argument gets the planner's message.

/**
 * A call from a client as the task a planner would have written, `tool(name=value, …)`: it goes through the same
 * checks, so a bad argument gets the message the planner would have got.
 */
export function callAsTask(tool: string, args: JsonObject | undefined): PlannedTask {
  const parsed: ParsedArgs = {
    positional: [],
    named: Object.entries(args ?? {}).map(([name, value]): [string, { kind: 'literal'; value: JsonValue }] => [name, { kind: 'literal', value }]),
  };
  return { id: 1, tool, args: parsed, deps: [], source: `${tool}(${formatArgs(parsed)})`, line: 1 };
}

/** The `ask` tool: a whole question, planned and answered by the compiler. Checked like a workspace tool's call. */
export const ASK_SPEC: ToolSpec = {
  name: 'ask',
  description:
    'Answers a question about this codebase: a planner writes a plan of workspace-tool calls (find_files, grep, ' +
    'read_file, git_log, definition, references, …) that run in parallel, then an answer is written from their ' +
    'results, citing files as path:line. Use it for questions that need several searches and reads; the structured ' +
    'result has the run figures (tasks, model calls, tokens, times).',
  params: [
    { name: 'question', schema: { type: 'string', minLength: 1 }, description: 'The question, in plain words.' },
    {
      name: 'mode',
      optional: true,
      schema: { type: 'string', enum: [...RUN_MODES] },
      description: `${RUN_MODES.map((mode) => `${mode}: ${MODE_LABELS[mode].summary}`).join('; ')}. Default: the configured mode.`,
    },
  ],
};

export interface AskArgs {
  question: string;
  mode?: RunMode;
}

/** The arguments of an `ask` call, or a `CompilerError` with the message a planner would get for them. */
export function bindAskArgs(args: JsonObject | undefined): AskArgs {
  const bound = bindArgs(callAsTask(ASK_SPEC.name, args), ASK_SPEC, () => {
    throw new Error('unreachable: a client call has no references');
  });
  const question = String(bound.question).trim();
  if (!question) throw new CompilerError('invalid-args', 'ask: argument "question" must not be blank');
  return { question, ...(bound.mode !== undefined ? { mode: bound.mode as RunMode } : {}) };
}
