// VS Code's chat message parts in the shape of our ChatMessage. The parts are read by their shape, not with
// `instanceof`, so this runs (and is tested) without `vscode`; the classes' fields are stable API.
import type { ChatMessage, JsonObject, ModelToolCall, ModelToolResult } from '../shared/types';

type Role = ChatMessage['role'];

function isText(part: unknown): part is { value: string } {
  return typeof (part as { value?: unknown })?.value === 'string';
}

function isToolCall(part: unknown): part is { callId: string; name: string; input: object } {
  const p = part as { callId?: unknown; name?: unknown; input?: unknown };
  return typeof p?.callId === 'string' && typeof p.name === 'string' && typeof p.input === 'object' && p.input !== null;
}

function isToolResult(part: unknown): part is { callId: string; content: readonly unknown[] } {
  const p = part as { callId?: unknown; content?: unknown };
  return typeof p?.callId === 'string' && Array.isArray(p.content);
}

/** The text of a message's parts; a tool result counts as the text of its own parts. */
export function textOfParts(parts: readonly unknown[]): string {
  return parts.map((part) => (isText(part) ? part.value : isToolResult(part) ? textOfParts(part.content) : '')).join('');
}

/** One message: its text, and the tool calls (assistant) or tool results (user) among its parts. */
export function toChatMessage(role: Role, parts: readonly unknown[]): ChatMessage {
  const content = parts.map((part) => (isText(part) ? part.value : '')).join('');
  const toolCalls: ModelToolCall[] = parts.filter(isToolCall).map((p) => ({ id: p.callId, name: p.name, input: p.input as JsonObject }));
  const toolResults: ModelToolResult[] = parts.filter(isToolResult).map((p) => ({ callId: p.callId, content: textOfParts(p.content) }));
  return {
    role,
    content,
    ...(toolCalls.length ? { toolCalls } : {}),
    ...(toolResults.length ? { toolResults } : {}),
  };
}
