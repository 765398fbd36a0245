import type { ChatMessage, ModelToolSpec } from '../shared/modelContract';
import type { JsonSchema, ToolOrigin, ToolSpec } from '../shared/toolContract';
import { schemaSummary } from './schemaSummary';
import { signature } from './plan/bindArgs';
import { END_OF_PLAN } from './plan/stopMarkers';

/** Bumped whenever a prompt's wording changes, so recorded runs and benchmarks say which prompts they used. */
export const PROMPT_VERSION = 10;

/**
 * How much of the fixed prompt a context affords. The planner's examples give way first (all three, then one), then
 * the tool descriptions (whole, their first sentence, the signature alone). Chosen from the context's size and the
 * tools only, so the fixed part stays the same bytes for every question at one context size.
 */
export interface PromptForm {
  examples: 'all' | 'one';
  tools: ToolDetail;
}

/** Tool descriptions: whole with their parameters, the first sentence, or the signature alone. */
export type ToolDetail = 'full' | 'short' | 'bare';

/** The prompts as they are when the context has room for everything. */
export const FULL_FORM: PromptForm = { examples: 'all', tools: 'full' };

/** A short description's length at most: a first sentence can run long. */
const SHORT_DESCRIPTION_CHARS = 240;

/** A tool as the planner's list shows it: an external tool's source is named. */
export type ListedSpec = ToolSpec & { origin?: ToolOrigin };

export function describeTools(tools: ListedSpec[], detail: ToolDetail = 'full'): string {
  return tools
    .map((t, i) => {
      if (detail === 'bare') return `${i + 1}. ${signature(t)}`;
      if (detail === 'short') return `${i + 1}. ${shortDescription(t)}${t.origin ? ` (from ${sourceName(t.origin)}; name its arguments)` : ''}`;
      if (t.origin) return describeExternalTool(t, t.origin, i + 1);
      const params = t.params
        .map((p) => `    - ${p.name}${p.optional ? ' (optional)' : ''}: ${p.description}`)
        .join('\n');
      return `${i + 1}. ${signature(t)}: ${t.description}${params ? `\n${params}` : ''}`;
    })
    .join('\n');
}

/** The first sentence of a tool's description, led by its signature (which most descriptions start with). */
function shortDescription(tool: ToolSpec): string {
  const first = firstSentence(tool.description);
  const led = first.startsWith(`${tool.name}(`) ? first : `${signature(tool)}: ${first}`;
  if (led.length <= SHORT_DESCRIPTION_CHARS) return led;
  const cut = led.slice(0, SHORT_DESCRIPTION_CHARS - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), signature(tool).length))}…`;
}

/** Up to the first full stop followed by a capital letter (so "e.g. x" does not end it). */
function firstSentence(text: string): string {
  const end = /\.\s+(?=[A-Z])/.exec(text);
  return (end ? text.slice(0, end.index + 1) : text).trim();
}

/**
 * The tools as native functions in a form: whole, with the first sentence of their descriptions and no parameter
 * descriptions, or with names and parameter schemas alone.
 */
export function functionsIn(functions: ModelToolSpec[], detail: ToolDetail): ModelToolSpec[] {
  if (detail === 'full') return functions;
  return functions.map((f) => ({
    name: f.name,
    description: detail === 'short' ? firstSentence(f.description).slice(0, SHORT_DESCRIPTION_CHARS) : '',
    ...(f.inputSchema ? { inputSchema: withoutDescriptions(f.inputSchema as JsonSchema) } : {}),
  }));
}

function withoutDescriptions(schema: JsonSchema): JsonSchema {
  const { description: _description, properties, items, ...rest } = schema;
  return {
    ...rest,
    ...(properties ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, withoutDescriptions(v)])) } : {}),
    ...(items ? { items: withoutDescriptions(items) } : {}),
  };
}

/** Bounds on what one external tool adds to the planner's fixed part, whatever its server says of it. */
const EXTERNAL_LISTING = { descriptionChars: 200, paramChars: 120, params: 12 } as const;

/**
 * An external tool in the planner's list: its first line of description, where it comes from, and each parameter
 * with its type in a few words (`schemaSummary`). The same tool always gives the same bytes.
 */
function describeExternalTool(t: ToolSpec, origin: ToolOrigin, n: number): string {
  const source = sourceName(origin);
  // Every required parameter is shown; optional ones while there is room.
  const listed = t.params.filter((p, i) => !p.optional || i < EXTERNAL_LISTING.params);
  const shown = listed.map((p) => {
    const about = p.description ? `: ${oneLine(p.description, EXTERNAL_LISTING.paramChars)}` : '';
    return `    - ${p.name} (${schemaSummary(p.schema)}${p.optional ? ', optional' : ''})${about}`;
  });
  const more = t.params.length - listed.length;
  if (more > 0) shown.push(`    - … and ${more} more optional parameter${more === 1 ? '' : 's'}`);
  const head = `${n}. ${signature(t)}: ${oneLine(t.description, EXTERNAL_LISTING.descriptionChars)} (from ${source}; name its arguments)`;
  return [head, ...shown].join('\n');
}

function sourceName(origin: ToolOrigin): string {
  return origin.kind === 'mcp' ? `MCP server "${origin.name}"` : `extension ${origin.name}`;
}

/** The first line of a text, cut to `max` characters at a word where it can be. */
function oneLine(text: string, max: number): string {
  const line = text.trim().split('\n')[0]!.trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

const PLANNER_RULES = `Step 1, the plan: write tool calls that gather what is needed to answer the question about the codebase.
Format, one task per line:
N. tool_name(arg1, arg2, name=value)
- Arguments are literals: "strings", numbers, true/false, null, [lists]. Positional arguments follow each tool's order.
- $N stands for the result of task N. Use it as a whole argument (e.g. read_file($2)) or inside a string
  ("function $3"). A task may only use results of tasks written before it.
- Results are often lists: $N[0] is the first item, $N[-1] the last, $N.field a field (e.g. read_file($1[0].path)
  reads the first grep match's file; in strings write "\${1[0].path}").
- Tasks without a $N dependency between them run in parallel. Make the plan as parallel as possible: issue
  every independent lookup at once instead of one after another. Only chain tasks when one truly needs another's result.
- Write the numbered tasks only: no thoughts, no prose, nothing else.
- Each task must call one of the tools above; never invent tools. Do not answer the question in the plan.
- After the last task write join() on its own line, then ${END_OF_PLAN}.`;

// The joiner's instructions live in the fixed part too: its request then adds only the results and one line, and a
// server that caches prompt prefixes reads these once per workspace instead of once per question.
const JOINER_RULES = `Step 2, the answer: the plan's results come back in the next message, each under its task's number. Answer the
question from them. Start your reply with the action, no thought before it:
Action: Finish(<the answer>)
or, only if the results miss something essential that other tool calls could find:
Action: Replan(<what is missing>)
The answer is markdown for a developer: direct, specific, short. Cite the files and lines it rests on as
path:line (for example src/server.ts:42). Do not invent code or files that are not in the results.`;

const PLANNER_EXAMPLES = `Example (independent lookups, all in parallel):
Question: Where are parseConfig, loadPlugins and startServer defined?
1. definition("parseConfig")
2. definition("loadPlugins")
3. definition("startServer")
join()
${END_OF_PLAN}

Example (a chain, plus parallel work beside it):
Question: What does the function that handles "--verbose" do, and when was its file last changed?
1. grep("--verbose", glob="src/**")
2. read_file($1)
3. git_log($1, max_count=3)
join()
${END_OF_PLAN}

Example (comparing several files):
Question: Compare the retry logic of the HTTP and the gRPC clients.
1. grep("retry", glob="**/http*")
2. grep("retry", glob="**/grpc*")
3. read_file($1)
4. read_file($2)
join()
${END_OF_PLAN}`;

const ONE_EXAMPLE = `Example (a chain, plus parallel work beside it):
Question: What does the function that handles "--verbose" do, and when was its file last changed?
1. grep("--verbose", glob="src/**")
2. read_file($1)
3. git_log($1, max_count=3)
join()
${END_OF_PLAN}`;

export interface PlannerPromptInput {
  question: string;
  history?: ChatMessage[];
  tools: ListedSpec[];
  /** What the context affords; the full prompt when absent. */
  form?: PromptForm;
  /** The first task number of this round; numbering continues across rounds. */
  firstId: number;
  /** Earlier rounds, as the joiner saw them, and why it asked for another round. */
  previous?: { transcript: string; reason: string };
}

/**
 * The planner's fixed part: the same bytes for every question of a workspace, first in every planner and joiner
 * prompt, so servers that cache prompt prefixes read it once.
 */
export function plannerSystemPrompt(tools: ListedSpec[], form: PromptForm = FULL_FORM): string {
  return [
    `You answer questions about a codebase in two steps: a plan of tool calls, then the answer from their results. Tools:\n${describeTools(tools, form.tools)}`,
    PLANNER_RULES,
    form.examples === 'all' ? PLANNER_EXAMPLES : ONE_EXAMPLE,
    JOINER_RULES,
  ].join('\n\n');
}

export function plannerMessages(input: PlannerPromptInput): ChatMessage[] {
  const parts = [historyText(input.history), `Question: ${input.question}`];
  if (input.previous) {
    parts.push(
      `Earlier rounds and their results:\n${input.previous.transcript}`,
      `The results were not enough because: ${input.previous.reason}`,
      `Plan only what is still missing. Results above can be used as $N. Number new tasks from ${input.firstId}.`,
    );
  } else if (input.firstId !== 1) {
    parts.push(`Number tasks from ${input.firstId}.`);
  }
  // The fixed part also holds the joiner's rules; this says which step is due, after the part a cache holds.
  parts.push('Step 1: write the plan.');
  return [
    { role: 'system', content: plannerSystemPrompt(input.tools, input.form) },
    { role: 'user', content: parts.filter(Boolean).join('\n\n') },
  ];
}

export interface JoinerPromptInput {
  /** The last round's planner conversation and the plan it wrote: the joiner continues that conversation. */
  planned: { messages: ChatMessage[]; plan: string };
  /** Plans and results of every round so far, within the joiner's budget. */
  transcript: string;
  /** The last round may not ask for another. */
  mayReplan: boolean;
  /**
   * The results so far, sent ahead to be read into a prompt cache: the request as far as it is known, a prefix of
   * the joiner's (without the line that closes it).
   */
  partial?: boolean;
}

/**
 * The joiner continues the planner's conversation: the planner's prompt (which holds the joiner's instructions) and
 * its plan come first, byte for byte, so a server that caches prompt prefixes (or keeps its last sequence, as
 * llama.cpp does) reads only the results and one line after them; each result is sent once.
 */
export function joinerMessages(input: JoinerPromptInput): ChatMessage[] {
  const now = input.mayReplan
    ? 'Answer now, starting with the action.'
    : 'Answer now with Action: Finish(...): this is the last round, so say what could not be found.';
  return [
    ...input.planned.messages,
    // An empty assistant turn is refused by some servers.
    { role: 'assistant', content: input.planned.plan.trim() || '(no plan)' },
    { role: 'user', content: input.partial ? `Results:\n${input.transcript}` : `Results:\n${input.transcript}\n\n${now}` },
  ];
}

/** The joiner's conversation once more, after a reply that held no answer: what it wrote, and what was missing. */
export function joinerRetryMessages(messages: ChatMessage[], reply: string, mayReplan: boolean): ChatMessage[] {
  const actions = mayReplan ? 'Action: Finish(<the answer>) or Action: Replan(<what is missing>)' : 'Action: Finish(<the answer>)';
  return [
    ...messages,
    // An empty assistant turn is refused by some servers; the note below says what it lacked anyway.
    ...(reply.trim() ? [{ role: 'assistant' as const, content: reply }] : []),
    { role: 'user', content: `That reply had no answer. Write it again, starting with ${actions}.` },
  ];
}

export function reactSystemPrompt(tools: ListedSpec[], form: PromptForm = FULL_FORM): string {
  return `You answer questions about a codebase with tools, one call at a time. Tools:
${describeTools(tools, form.tools)}

Each turn, write exactly:
Thought: <what you need next and why>
Action: tool_name(arg1, name=value)
Then stop: the tool's result comes back as an Observation. Arguments are literals ("strings", numbers, true/false).
When you know the answer, write:
Thought: <why the observations answer the question>
Action: Finish(<the answer, markdown, citing files as path:line>)`;
}

/** Function calling: the tools go to the model as native functions, so the prompt only says how to answer. */
export const FUNCTION_CALLING_SYSTEM_PROMPT = `You answer questions about the codebase in the user's workspace, using the tools to look things up.
Call several tools in one turn whenever the calls do not depend on each other's results.
When you know the answer, write it without calling more tools: markdown for a developer, direct, specific, short.
Cite the files and lines it rests on as path:line (for example src/server.ts:42). Do not invent code or files
that the tools did not show.`;

/** The last turn of a function-calling run that reached its limit: no more tools, answer from what is known. */
export function lastTurnMessage(turns: number): string {
  return `You have used all ${turns} turns of tool calls. Answer now from the results above, and say what you could not find.`;
}

/** What ReAct models write before the tool result; the model must stop there. */
export const REACT_STOP = ['Observation:'];

function historyText(history?: ChatMessage[]): string {
  if (!history?.length) return '';
  const turns = history.map((m) => `${m.role === 'assistant' ? 'Assistant' : 'User'}: ${m.content}`).join('\n');
  return `Conversation so far:\n${turns}`;
}
