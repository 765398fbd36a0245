// The prompt as a model reads it: a chat-completions request's tools and messages rendered by the model's chat template
// into one token sequence (o200k_base for text, so every template counts text alike; special tokens as ids of their
// own). What the server bills, what prefill takes time for, and what its prefix cache matches.
import { encode } from 'gpt-tokenizer';

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
const text = (s: string) => encode(s, PLAIN_TEXT);

/**
 * How a model reads a request. `openai`: OpenAI's chat format as its cookbook counts it for the GPT-4o family, four
 * tokens framing each message (`<|start|>`, the role, `<|message|>`, `<|end|>`) and three priming the reply, function
 * definitions counted as OpenAI counts them (see `functionDefinitionTokens`). `qwen2.5`: the ChatML
 * template of Qwen2.5-Instruct (its tokenizer_config.json `chat_template`, as llama.cpp and Ollama apply it), which
 * writes every tool's JSON into the system prompt inside `<tools>` and tool results as `<tool_response>` blocks of a
 * user turn.
 */
export type ChatTemplate = 'openai' | 'qwen2.5';

// Special tokens sit outside the tokenizer's ids, so text never produces them.
const START = -1;
const SEPARATOR = -2;
const END = -3;
const ROLE_IDS: Record<string, number> = { system: -10, developer: -11, user: -12, assistant: -13, tool: -14 };
const OTHER_ROLE = -19;
/** The fixed tokens OpenAI's function format spends around each function and property (counted, not read). */
const FUNCTION_MARK = -30;
const IM_START = -40;
const IM_END = -41;

type Message = Record<string, unknown>;

/** The request body's tools and messages as the token sequence the model reads. */
export function promptTokenIds(body: Record<string, unknown>, template: ChatTemplate = 'openai'): number[] {
  const tools = Array.isArray(body.tools) ? (body.tools as Message[]) : [];
  const messages = Array.isArray(body.messages) ? (body.messages as Message[]) : [];
  return template === 'qwen2.5' ? qwenPrompt(tools, messages) : openaiPrompt(tools, messages);
}

/** A reply as it reads when it comes back in the next request's assistant message. */
export function replyTokenIds(
  reply: string,
  toolCalls: ReadonlyArray<{ name: string; arguments: string }> = [],
  template: ChatTemplate = 'openai',
): number[] {
  const calls = toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
  return template === 'qwen2.5' ? text(qwenAssistantBody({ content: reply, tool_calls: calls })) : openaiMessageTokens({ content: reply, tool_calls: calls });
}

/** A message's text: its string content, or the text parts of a list. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
  }
  return '';
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAI

/** `<|start|>role<|message|>`: what begins each message and primes the reply. */
function frame(role: string): number[] {
  return [START, ROLE_IDS[role] ?? OTHER_ROLE, SEPARATOR];
}

function openaiPrompt(tools: Message[], messages: Message[]): number[] {
  const out = functionDefinitionTokens(tools);
  for (const message of messages) out.push(...frame(String(message.role)), ...openaiMessageTokens(message), END);
  out.push(...frame('assistant'));
  return out;
}

/** A message's text, then each of its function calls as its name and its JSON arguments. */
function openaiMessageTokens(message: Message): number[] {
  const out = text(contentText(message.content));
  for (const call of callsOf(message)) out.push(...text(call.name), ...text(call.arguments));
  return out;
}

/**
 * Function definitions as OpenAI counts them for gpt-4o and gpt-4o-mini: the OpenAI Cookbook's "How to count tokens
 * with tiktoken" (section "Counting tokens for chat completions with tool calls", `num_tokens_for_tools`), which
 * matches the API's `prompt_tokens` on its example (101 tokens for gpt-4o and gpt-4o-mini). Per function 7 tokens
 * and `name:description`; when it has properties 3 more, and per property 3 and `name:type:description`; an enum
 * takes those 3 back and adds 3 and the value per item; a trailing period of a description is not counted; 12 after
 * the last function. The fixed tokens are marks of their own, so two requests share them like any other token.
 */
export function functionDefinitionTokens(tools: readonly Message[]): number[] {
  if (tools.length === 0) return [];
  const marks = (n: number) => new Array<number>(Math.max(0, n)).fill(FUNCTION_MARK);
  const out: number[] = [];
  for (const tool of tools) {
    const fn = (tool.function ?? {}) as Message;
    out.push(...marks(7), ...text(`${String(fn.name ?? '')}:${withoutPeriod(fn.description)}`));
    const parameters = (fn.parameters ?? {}) as Message;
    const properties = Object.entries((parameters.properties ?? {}) as Record<string, Message>);
    if (properties.length === 0) continue;
    out.push(...marks(3));
    for (const [name, property] of properties) {
      const values = Array.isArray(property.enum) ? property.enum : undefined;
      out.push(...marks(values ? 0 : 3));
      for (const value of values ?? []) out.push(...marks(3), ...text(String(value)));
      out.push(...text(`${name}:${typeName(property.type)}:${withoutPeriod(property.description)}`));
    }
  }
  out.push(...marks(12));
  return out;
}

function withoutPeriod(description: unknown): string {
  const s = typeof description === 'string' ? description : '';
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** A property's type as the cookbook writes it; a list of types as Python prints one. */
function typeName(type: unknown): string {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return `[${type.map((t) => `'${String(t)}'`).join(', ')}]`;
  return 'None';
}

// ---------------------------------------------------------------------------------------------------------------
// Qwen2.5 (ChatML)

const QWEN_DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';
const QWEN_TOOLS_HEAD =
  '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
const QWEN_TOOLS_TAIL =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

/**
 * Each turn is `<|im_start|>role\n…<|im_end|>\n`; the role line and the body are read apart, so that a reply kept by
 * the server (the body it wrote after `assistant\n`) is the same tokens as that turn in the next request.
 */
function qwenPrompt(tools: Message[], messages: Message[]): number[] {
  const out: number[] = [];
  const turn = (role: string, body: string) => out.push(IM_START, ...text(`${role}\n`), ...text(body), IM_END, ...text('\n'));
  const first = messages[0];
  const system = first?.role === 'system' ? contentText(first.content) : undefined;
  if (tools.length > 0) {
    turn('system', `${system ?? QWEN_DEFAULT_SYSTEM}${QWEN_TOOLS_HEAD}${tools.map((t) => `\n${pythonJson(t)}`).join('')}${QWEN_TOOLS_TAIL}`);
  } else {
    turn('system', system ?? QWEN_DEFAULT_SYSTEM);
  }
  let responses: string[] = [];
  const flushResponses = () => {
    if (responses.length === 0) return;
    out.push(IM_START, ...text('user'), ...text(responses.join('')), IM_END, ...text('\n'));
    responses = [];
  };
  messages.forEach((message, i) => {
    const role = String(message.role);
    if (role === 'tool') {
      responses.push(`\n<tool_response>\n${contentText(message.content)}\n</tool_response>`);
      return;
    }
    flushResponses();
    if (i === 0 && role === 'system') return;
    turn(role, role === 'assistant' ? qwenAssistantBody(message) : contentText(message.content));
  });
  flushResponses();
  out.push(IM_START, ...text('assistant\n'));
  return out;
}

/** What the model writes after `assistant\n`: its text, then each call as a `<tool_call>` block, a line apart. */
function qwenAssistantBody(message: Message): string {
  const calls = callsOf(message).map((c) => `<tool_call>\n{"name": "${c.name}", "arguments": ${argumentsJson(c.arguments)}}\n</tool_call>`);
  return [contentText(message.content), ...calls].filter((part) => part !== '').join('\n');
}

/** Servers parse the arguments before the template writes them with `tojson`; text that is not JSON stays a string. */
function argumentsJson(args: string): string {
  try {
    return pythonJson(JSON.parse(args));
  } catch {
    return pythonJson(args);
  }
}

/** JSON as the template's `tojson` writes it (Python's `json.dumps`): `, ` and `: ` between items, keys in order. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function callsOf(message: Message): Array<{ name: string; arguments: string }> {
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<{ function?: { name?: string; arguments?: string } }>) : [];
  return calls.map((c) => ({ name: c.function?.name ?? '', arguments: c.function?.arguments ?? '' }));
}
