import type { ChatMessage } from '../shared/modelContract';

/** One earlier turn of a chat conversation, reduced to its text. */
export interface HistoryTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface HistoryLimits {
  /** Messages kept, newest first. */
  maxMessages: number;
  /** Characters kept of one message. */
  maxChars: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxMessages: 8, maxChars: 3000 };

/**
 * The conversation so far as model messages: empty turns dropped, consecutive turns of one role merged (a failed
 * answer leaves two questions in a row), the oldest dropped beyond the limit, long turns cut. Starts with a user turn.
 */
export function historyMessages(turns: readonly HistoryTurn[], limits: HistoryLimits = DEFAULT_HISTORY_LIMITS): ChatMessage[] {
  const merged: ChatMessage[] = [];
  for (const turn of turns) {
    const text = turn.text.trim();
    if (!text) continue;
    const prev = merged[merged.length - 1];
    if (prev?.role === turn.role) prev.content += `\n\n${text}`;
    else merged.push({ role: turn.role, content: text });
  }
  let kept = merged.slice(-limits.maxMessages);
  while (kept[0]?.role === 'assistant') kept = kept.slice(1);
  return kept.map((m) => ({ role: m.role, content: cut(m.content, limits.maxChars) }));
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[… ${text.length - max} more characters]`;
}
