// A chat-completions request body read as the API reads it: the messages, tools, tool choice, stop sequences and
// limits a script sees, or the message the API gives for a request it refuses.
import { contentText } from './serving/promptTokens';
import type { TestChatMessage, TestChatRequest, TestTool, TestToolChoice } from './testServerScript';

/** The request as the script sees it, or a message saying why it is not a valid chat-completions request. */
export function parseChatRequest(body: string): TestChatRequest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'The request body must be a JSON object.';
  const b = parsed as Record<string, unknown>;
  if (typeof b.model !== 'string') return "Missing required parameter: 'model'.";
  if (!Array.isArray(b.messages)) return "Missing required parameter: 'messages'.";
  const messages: TestChatMessage[] = (b.messages as Array<Record<string, unknown>>).map((m) => ({
    role: String(m.role),
    content: contentText(m.content),
    ...(typeof m.tool_call_id === 'string' ? { toolCallId: m.tool_call_id } : {}),
    ...(Array.isArray(m.tool_calls) ? { toolCalls: (m.tool_calls as Array<Record<string, unknown>>).map(callOf) } : {}),
  }));
  const tools = toolsOf(b);
  if (typeof tools === 'string') return tools;
  const toolChoice = toolChoiceOf(b.tool_choice);
  if (b.tool_choice !== undefined && toolChoice === undefined) return "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.";
  if (tools.length === 0 && toolChoice !== undefined) {
    return "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.";
  }
  if (b.parallel_tool_calls !== undefined && tools.length === 0) {
    return "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.";
  }
  const sequence = toolMessageProblem(messages);
  if (sequence) return sequence;
  const stop = typeof b.stop === 'string' ? [b.stop] : Array.isArray(b.stop) ? b.stop.map(String) : [];
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  const streamOptions = b.stream_options as { include_usage?: boolean } | undefined;
  return {
    model: b.model,
    messages,
    stop,
    stream: b.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
    tools,
    ...(toolChoice !== undefined ? { toolChoice } : {}),
    parallelToolCalls: b.parallel_tool_calls !== false,
    body: b,
  };
}

function callOf(call: Record<string, unknown>): { id: string; name: string; arguments: string } {
  const fn = (call.function ?? {}) as Record<string, unknown>;
  return { id: String(call.id ?? ''), name: String(fn.name ?? ''), arguments: String(fn.arguments ?? '') };
}

/** `tools` as the API checks it: a non-empty list of functions with valid names. */
function toolsOf(b: Record<string, unknown>): TestTool[] | string {
  if (b.tools === undefined || b.tools === null) return [];
  if (!Array.isArray(b.tools)) return "Invalid type for 'tools': expected an array.";
  if (b.tools.length === 0) return "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.";
  const tools: TestTool[] = [];
  for (const [i, raw] of (b.tools as Array<Record<string, unknown>>).entries()) {
    const fn = raw?.function as Record<string, unknown> | undefined;
    if (raw?.type !== 'function' || typeof fn !== 'object' || fn === null) return `Invalid 'tools[${i}]': expected a function tool.`;
    if (typeof fn.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
      return `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`;
    }
    tools.push({
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      ...(typeof fn.parameters === 'object' && fn.parameters !== null ? { parameters: fn.parameters as Record<string, unknown> } : {}),
    });
  }
  return tools;
}

function toolChoiceOf(value: unknown): TestToolChoice | undefined {
  if (value === 'none' || value === 'auto' || value === 'required') return value;
  const fn = (value as { type?: unknown; function?: { name?: unknown } } | undefined)?.function;
  if ((value as { type?: unknown })?.type === 'function' && typeof fn?.name === 'string') return { function: fn.name };
  return undefined;
}

/**
 * The API's rule for tool messages: an assistant message with `tool_calls` is followed by one `tool` message per
 * call id, and a `tool` message answers a call of the assistant message before it.
 */
function toolMessageProblem(messages: readonly TestChatMessage[]): string | undefined {
  let open: Set<string> | undefined;
  for (const [i, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (!open || message.toolCallId === undefined || !open.has(message.toolCallId)) {
        return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (messages.[${i}])`;
      }
      open.delete(message.toolCallId);
      continue;
    }
    if (open?.size) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`;
    }
    open = message.role === 'assistant' && message.toolCalls?.length ? new Set(message.toolCalls.map((c) => c.id)) : undefined;
  }
  if (open?.size) {
    return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`;
  }
  return undefined;
}
