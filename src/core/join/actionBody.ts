import { isStopMarker, isStopMarkerStart } from '../plan/stopMarkers';

const SPACE = /\s/;
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ((ch < ' ' || ch > '~') && SPACE.test(ch));
/**
 * At most this much is held back: trailing whitespace or markers beyond it are released as answer text. Judging the
 * tail re-reads what is held, so the bound keeps an answer that ends in 400 KB of spaces linear. Real endings (`)`, a quote, a
 * marker, a few newlines) are far shorter.
 */
const MAX_HOLD = 64;

/**
 * The argument of the joiner's `Finish(...)` or `Replan(...)`, released as it streams. Only what could still be the
 * end of the action is held back: trailing whitespace, the last `)` (until more non-space text shows it was part of
 * the answer), stop markers like `<END_OF_PLAN>` after it, and for a quoted answer the closing quote.
 * A leading quote makes the answer a quoted string: `\"`, `\\`, `\n` and `\t` are unescaped and the closing quote
 * dropped. An answer that only starts with a quoted word loses that first quote; models rarely write one.
 */
export class ActionBody {
  private phase: 'start' | 'after-quote' | 'body' = 'start';
  private quote: string | undefined;
  /**
   * Arrived text not released yet. Released text never ends inside a marker or between a backslash and what it
   * escapes, so the tail is judged from this alone; that keeps long answers linear.
   */
  private held = '';
  private out = '';

  constructor(private readonly form: 'paren' | 'colon') {}

  /** Everything released so far. */
  get text(): string {
    return this.out;
  }

  /** Adds streamed text; returns the text now certain to be part of the argument. */
  push(chunk: string): string {
    const text = this.skipLeading(chunk);
    if (!text) return '';
    this.held += text;
    return this.release(this.holdFrom(false));
  }

  /** The stream has ended: returns the rest of the argument. */
  end(): string {
    return this.release(this.holdFrom(true));
  }

  private skipLeading(chunk: string): string {
    if (this.phase === 'body') return chunk;
    let text = chunk.trimStart();
    if (this.phase === 'start' && (text[0] === '"' || text[0] === "'")) {
      this.quote = text[0];
      this.phase = 'after-quote';
      text = text.slice(1).trimStart();
    }
    if (text) this.phase = 'body';
    return text;
  }

  /** Index in `held` from which the text may still be the end of the action rather than argument text. */
  private holdFrom(final: boolean): number {
    const s = this.held;
    const min = Math.max(0, s.length - MAX_HOLD);
    let i = s.length;
    if (!final) {
      const lt = s.lastIndexOf('<');
      if (lt >= min && isStopMarkerStart(s.slice(lt))) i = lt;
    }
    while (i > min) {
      const lt = s[i - 1] === '>' ? s.lastIndexOf('<', i - 1) : -1;
      if (isSpace(s[i - 1]!)) i--;
      else if (lt >= min && isStopMarker(s.slice(lt, i))) i = lt;
      else break;
    }
    if (this.form === 'paren' && i > min && s[i - 1] === ')') i = this.trimSpace(i - 1, min);
    if (this.quote && i > min && s[i - 1] === this.quote && !this.escaped(i - 1)) i = this.trimSpace(i - 1, min);
    if (!final && this.quote && i > min && this.escaped(i)) i--;
    return i;
  }

  private trimSpace(i: number, min: number): number {
    while (i > min && isSpace(this.held[i - 1]!)) i--;
    return i;
  }

  /** Whether the character at `i` follows an odd run of backslashes. */
  private escaped(i: number): boolean {
    let n = 0;
    while (i - n - 1 >= 0 && this.held[i - n - 1] === '\\') n++;
    return n % 2 === 1;
  }

  private release(end: number): string {
    if (end <= 0) return '';
    const raw = this.held.slice(0, end);
    this.held = this.held.slice(end);
    const text = this.quote ? raw.replace(/\\([\\"'nt])/g, (_, c: string) => UNESCAPE[c] ?? c) : raw;
    this.out += text;
    return text;
  }
}

const UNESCAPE: Record<string, string> = { n: '\n', t: '\t' };
