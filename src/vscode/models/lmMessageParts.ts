// VS Code's chat message parts in the shape of our ChatMessage. The parts are read by their shape, not with
// `instanceof`, so this runs (and is tested) without `vscode`; the classes' fields are stable API.
import type { ChatMessage, ModelToolCall, ModelToolResult } from '../../shared/modelContract';
import type { JsonObject } from '../../shared/json';

type Role = ChatMessage['role'];

/** A `LanguageModelTextPart`. */
export function isText(part: unknown): part is { value: string } {
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

/** A `LanguageModelDataPart` (newer than the API this extension builds against). */
export function isData(part: unknown): part is { data: Uint8Array; mimeType: string } {
  const p = part as { data?: unknown; mimeType?: unknown };
  return p?.data instanceof Uint8Array && typeof p.mimeType === 'string';
}

/** The text nodes of a prompt-tsx tree (`LanguageModelPromptTsxPart.value`), which tools such as VS Code's return. */
function promptTsxText(node: unknown): string {
  if (Array.isArray(node)) return node.map(promptTsxText).join('');
  if (!node || typeof node !== 'object') return '';
  return Object.entries(node)
    .map(([key, value]) => (key === 'text' && typeof value === 'string' ? value : promptTsxText(value)))
    .join('');
}

/** A tool result part's text: text parts, textual data parts, and the text of prompt-tsx parts. */
function resultText(parts: readonly unknown[]): string {
  return parts
    .map((part) => {
      if (isText(part)) return part.value;
      if (isData(part)) return /^(text\/|application\/json)/.test(part.mimeType) ? new TextDecoder().decode(part.data) : '';
      const value = (part as { value?: unknown })?.value;
      return typeof value === 'object' ? promptTsxText(value) : '';
    })
    .join('');
}

/** The text of a message's parts; a tool result counts as the text of its own parts. */
export function textOfParts(parts: readonly unknown[]): string {
  return parts.map((part) => (isText(part) ? part.value : isToolResult(part) ? resultText(part.content) : '')).join('');
}

/** One message: its text, and the tool calls (assistant) or tool results (user) among its parts. */
export function toChatMessage(role: Role, parts: readonly unknown[]): ChatMessage {
  const content = parts.map((part) => (isText(part) ? part.value : '')).join('');
  const toolCalls: ModelToolCall[] = parts.filter(isToolCall).map((p) => ({ id: p.callId, name: p.name, input: p.input as JsonObject }));
  const toolResults: ModelToolResult[] = parts.filter(isToolResult).map((p) => ({ callId: p.callId, content: resultText(p.content) }));
  return {
    role,
    content,
    ...(toolCalls.length ? { toolCalls } : {}),
    ...(toolResults.length ? { toolResults } : {}),
  };
}
