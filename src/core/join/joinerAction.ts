/** Where the joiner's decision begins: `Action: Finish(`, `Replan(`, `**Action:** finish:` and the like. */
export interface JoinerAction {
  kind: 'finish' | 'replan';
  /** `paren` ends at a closing `)`; `colon` (`Finish: ...`, or `Finish` and a newline) runs to the end. */
  form: 'paren' | 'colon';
  /** Index of the match in the text: the thought ends here. */
  start: number;
  /** Index where the answer or reason begins. */
  end: number;
}

// `Action:` then the name, anywhere. The character after the name must have arrived, so a match never changes as
// more text streams in; a name followed by other text (`Action: Finish The answer`) starts the answer right there.
// Whitespace runs inside an action are bounded, so a match is never longer than `MAX_ACTION_LENGTH`: the parser
// then only re-reads that much of what it has already seen.
const ACTION =
  /(?:\*\*)?\baction(?:\*\*)?[ \t]{0,64}:(?:\*\*)?\s{0,64}(?:\*\*)?(finish|replan)\b(?:\*\*)?[ \t]{0,64}(?:([(:\r\n])|(?=[^\s*]))/gi;
// Without `Action:` only at the start of a line, and only with `(` or `:`, so prose that mentions the words is safe.
const BARE = /(^|\n)[ \t]{0,64}(?:\*\*)?(finish|replan)\b(?:\*\*)?[ \t]{0,64}([(:])/gi;

/** The longest text an action can match, the character that must follow it included. */
export const MAX_ACTION_LENGTH = 240;

/** Finds the first action in the text that starts at `from` or later; undefined when none has arrived (yet). */
export function findJoinerAction(text: string, from = 0): JoinerAction | undefined {
  ACTION.lastIndex = from;
  BARE.lastIndex = from;
  const a = ACTION.exec(text);
  const b = BARE.exec(text);
  const fromAction = a && {
    kind: a[1]!.toLowerCase() as JoinerAction['kind'],
    form: a[2] === '(' ? 'paren' : 'colon',
    start: a.index,
    end: a.index + a[0].length,
  } satisfies JoinerAction;
  const fromBare = b && {
    kind: b[2]!.toLowerCase() as JoinerAction['kind'],
    form: b[3] === '(' ? 'paren' : 'colon',
    start: b.index + b[1]!.length,
    end: b.index + b[0].length,
  } satisfies JoinerAction;
  if (fromAction && fromBare) return fromBare.start < fromAction.start ? fromBare : fromAction;
  return fromAction ?? fromBare ?? undefined;
}

const LABEL_AT_END = /(?:\*\*)?action(?:\*\*)?[ \t]*:(?:\*\*)?(?:\s*\*\*)?$/i;

/** Where a trailing `Action:` label starts when the text ends in one, its name still to come (maybe on a later line). */
export function trailingActionLabel(text: string): number | undefined {
  // Only the end is examined, so calling this on every chunk stays cheap; a label followed by more whitespace than
  // an action allows is no label.
  let end = text.length;
  while (end > 0 && text.length - end <= 64 && /\s/.test(text[end - 1]!)) end--;
  if (text.length - end > 64) return undefined;
  const offset = Math.max(0, end - 32);
  const m = LABEL_AT_END.exec(text.slice(offset, end));
  if (!m) return undefined;
  const start = offset + m.index;
  // `reaction:` is no label.
  const word = start + (m[0].startsWith('**') ? 2 : 0);
  return word > 0 && /\w/.test(text[word - 1]!) ? undefined : start;
}
