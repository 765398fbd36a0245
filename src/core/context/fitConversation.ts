import type { ChatMessage, ModelToolSpec } from '../../shared/modelContract';
import type { ModelPurpose } from '../../shared/modes';
import { fairShares } from '../transcript';
import type { ContextBudget } from './contextBudget';
import { MESSAGE_TOKENS } from './contextBudget';
import { cutToTokens } from './cutResult';
import type { FittedRequest } from '../modelCaller';

/** Below this share a result says too little: earlier turns' results give way instead. */
export const MIN_SHARE_TOKENS = 64;

/** Where a conversation carries a tool's result: a message's text after a prefix, or one of its tool results. */
export interface ResultRef {
  message: number;
  /** Index in the message's `toolResults`; absent: the message's text after `prefix`. */
  result?: number;
  prefix?: string;
  /** The turn it belongs to: earlier turns give way first. */
  turn: number;
  taskId: number;
  /** How its call can be narrowed, for the marker on a cut. */
  hint: string;
}

const LEFT_OUT = '[left out to fit the model\'s context; call the tool again to see it]';

/**
 * A ReAct or function-calling conversation fitted to the context: unchanged while it fits (so a server's prompt cache
 * keeps it), else the results get fair shares of the room, cut with a marker; once the shares would be too small to
 * say much, earlier turns' results are left out first, oldest first. Everything else (the instructions, the
 * question, the model's own turns) is kept.
 */
export function fitConversation(
  messages: ChatMessage[],
  refs: readonly ResultRef[],
  budget: ContextBudget,
  purpose: ModelPurpose,
  functions: readonly ModelToolSpec[] = [],
  shrink = 1,
): FittedRequest {
  if (!budget.known || refs.length === 0) return { messages };
  const texts = refs.map((ref) => resultText(messages, ref));
  const stripped = messages.map((m, i) => {
    const mine = refs.filter((ref) => ref.message === i);
    if (mine.length === 0) return m;
    return {
      ...m,
      content: mine.some((ref) => ref.result === undefined) ? (mine.find((ref) => ref.result === undefined)!.prefix ?? '') : m.content,
      ...(m.toolResults ? { toolResults: m.toolResults.map((r) => ({ ...r, content: '' })) } : {}),
    };
  });
  let room = budget.conversationRoom(purpose, budget.promptTokens(stripped, functions), shrink);
  const needs = texts.map((t) => budget.count(t));
  if (needs.reduce((a, b) => a + b, 0) <= room) return { messages };

  const turns = [...new Set(refs.map((r) => r.turn))].sort((a, b) => a - b);
  const dropped = new Set<number>();
  const stubTokens = budget.count(LEFT_OUT);
  for (const turn of turns.slice(0, -1)) {
    const active = refs.filter((r) => !dropped.has(r.turn)).length;
    if (room / active >= MIN_SHARE_TOKENS) break;
    dropped.add(turn);
    room -= refs.filter((r) => r.turn === turn).length * stubTokens;
  }
  const shares = fairShares(
    needs.map((n, i) => (dropped.has(refs[i]!.turn) ? 0 : n)),
    room,
  );
  const out = messages.map((m) => ({ ...m, ...(m.toolResults ? { toolResults: m.toolResults.map((r) => ({ ...r })) } : {}) }));
  const cut: number[] = [];
  refs.forEach((ref, i) => {
    let text = texts[i]!;
    if (dropped.has(ref.turn)) {
      text = LEFT_OUT;
      cut.push(ref.taskId);
    } else {
      const fitted = cutToTokens(text, shares[i]!, budget.measure, ref.hint);
      if (fitted.cut) cut.push(ref.taskId);
      text = fitted.text || LEFT_OUT;
    }
    const message = out[ref.message]!;
    if (ref.result === undefined) message.content = `${ref.prefix ?? ''}${text}`;
    else message.toolResults![ref.result]!.content = text;
  });
  return { messages: out, cut };
}

function resultText(messages: ChatMessage[], ref: ResultRef): string {
  const message = messages[ref.message]!;
  if (ref.result !== undefined) return message.toolResults?.[ref.result]?.content ?? '';
  return message.content.slice(ref.prefix?.length ?? 0);
}

/**
 * The conversation so far within `tokens`: the latest turns whole, the one before them cut, older ones left out.
 * Earlier turns are context, not the question: they give way with the earlier rounds' detail.
 */
export function fitHistory(history: readonly ChatMessage[] | undefined, tokens: number, budget: ContextBudget): ChatMessage[] | undefined {
  if (!history?.length || !budget.known) return history ? [...history] : undefined;
  const kept: ChatMessage[] = [];
  let left = tokens;
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i]!;
    const cost = budget.count(message.content) + MESSAGE_TOKENS;
    if (cost <= left) {
      kept.unshift(message);
      left -= cost;
      continue;
    }
    const cut = cutToTokens(message.content, left - MESSAGE_TOKENS, budget.measure);
    if (cut.text) kept.unshift({ ...message, content: cut.text });
    break;
  }
  return kept;
}
