import { CHAT_PARTICIPANT_NAME } from './commandIds';

/** The editor selection a question is about. */
export interface SelectionContext {
  /** Workspace-relative path. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  languageId?: string;
}

const MAX_SELECTION_CHARS = 6000;

/** The question as typed, plus the selection it is about: path, lines and the selected text. */
export function questionWithSelection(question: string, selection?: SelectionContext): string {
  const q = question.trim();
  if (!selection || !selection.text.trim()) return q;
  const lines = selection.endLine > selection.startLine ? `${selection.startLine}-${selection.endLine}` : `${selection.startLine}`;
  let text = selection.text.replace(/\s+$/, '');
  if (text.length > MAX_SELECTION_CHARS) text = `${text.slice(0, MAX_SELECTION_CHARS)}\n… (selection cut)`;
  const fence = text.includes('```') ? '~~~~' : '```';
  return `${q}\n\nAbout the selected code in ${selection.path}:${lines}:\n${fence}${selection.languageId ?? ''}\n${text}\n${fence}`;
}

/** What the Chat view's input receives: the question addressed to the participant. */
export function chatQuery(question: string): string {
  return `@${CHAT_PARTICIPANT_NAME} ${question}`;
}
