// The token sequence a model server reads for a chat-completions request, for prompt counting and prefix caching:
// the tool definitions first (where OpenAI puts them, in the system part), then each message framed by three
// special tokens (function calls as their names and JSON arguments), then three that prime the reply. Without tool
// definitions the count equals `countChatTokens`.
import { encode } from 'gpt-tokenizer';

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

// Special tokens sit outside the tokenizer's ids, so text never produces them.
const START = -1;
const SEPARATOR = -2;
const ROLE_IDS: Record<string, number> = { system: -10, developer: -11, user: -12, assistant: -13, tool: -14 };
const OTHER_ROLE = -19;

function frame(role: string): number[] {
  return [START, ROLE_IDS[role] ?? OTHER_ROLE, SEPARATOR];
}

/** The request body's messages and tools as one token sequence. */
export function promptTokenIds(body: Record<string, unknown>): number[] {
  const out: number[] = [];
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    out.push(...frame('system'), ...encode(JSON.stringify(body.tools), PLAIN_TEXT));
  }
  for (const message of Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : []) {
    out.push(...frame(String(message.role)), ...messageTokens(message));
  }
  out.push(...frame('assistant'));
  return out;
}

/** A reply as it reads when it comes back in the next request's assistant message. */
export function replyTokenIds(text: string, toolCalls: ReadonlyArray<{ name: string; arguments: string }> = []): number[] {
  return messageTokens({ content: text, tool_calls: toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) });
}

/** A message's text, then each of its function calls as its name and its JSON arguments. */
function messageTokens(message: Record<string, unknown>): number[] {
  const out = encode(contentText(message.content), PLAIN_TEXT);
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<{ function?: { name?: string; arguments?: string } }>) : [];
  for (const call of calls) out.push(...encode(call.function?.name ?? '', PLAIN_TEXT), ...encode(call.function?.arguments ?? '', PLAIN_TEXT));
  return out;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
  }
  return '';
}
