export type ScanState = 'open' | 'closed' | 'broken-string';

/**
 * Follows a call's argument list as it streams in, to tell the moment its parentheses balance. Parentheses inside
 * strings do not count; the string syntax is the argument parser's (quotes `"` or `'`, backslash escapes, no raw
 * newlines), so both agree on where strings end.
 */
export class CallScanner {
  private depth = 1;
  private quote: string | undefined;
  private escaped = false;

  get inString(): boolean {
    return this.quote !== undefined;
  }

  /** Feeds the next character after the call's opening parenthesis. */
  feed(ch: string): ScanState {
    if (this.quote !== undefined) {
      if (ch === '\n') return 'broken-string';
      if (this.escaped) this.escaped = false;
      else if (ch === '\\') this.escaped = true;
      else if (ch === this.quote) this.quote = undefined;
      return 'open';
    }
    if (ch === '"' || ch === "'") this.quote = ch;
    else if (ch === '(') this.depth++;
    else if (ch === ')' && --this.depth === 0) return 'closed';
    return 'open';
  }
}
