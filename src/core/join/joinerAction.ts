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
const ACTION =
  /(?:\*\*)?\baction(?:\*\*)?[ \t]*:(?:\*\*)?\s*(?:\*\*)?(finish|replan)\b(?:\*\*)?[ \t]*(?:([(:\r\n])|(?=[^\s*]))/gi;
// Without `Action:` only at the start of a line, and only with `(` or `:`, so prose that mentions the words is safe.
const BARE = /(^|\n)[ \t]*(?:\*\*)?(finish|replan)\b(?:\*\*)?[ \t]*([(:])/gi;

/** Finds the first action in the text; undefined when none has arrived (yet). */
export function findJoinerAction(text: string): JoinerAction | undefined {
  ACTION.lastIndex = 0;
  BARE.lastIndex = 0;
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
  // Only the end is examined, so calling this on every chunk stays cheap.
  const trimmed = text.trimEnd();
  const offset = Math.max(0, trimmed.length - 32);
  const m = LABEL_AT_END.exec(trimmed.slice(offset));
  if (!m) return undefined;
  const start = offset + m.index;
  // `reaction:` is no label.
  const word = start + (m[0].startsWith('**') ? 2 : 0);
  return word > 0 && /\w/.test(trimmed[word - 1]!) ? undefined : start;
}
