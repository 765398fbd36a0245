import type { JsonValue } from '../../shared/json';
import type { ArgExpr, ParsedArgs, RefPath } from './planTree';
import { CompilerError } from '../../base/errors';

/** A syntax error in an argument list. `offset` is where in the argument text it was found. */
export class ArgSyntaxError extends CompilerError {
  constructor(
    message: string,
    readonly offset: number,
    /** Whether the message is about one character, so a column is worth showing. */
    readonly showColumn: boolean,
  ) {
    super('plan-syntax', message);
  }
}

const KEYWORD = /([A-Za-z_]\w*)[ \t\r\n]*=(?!=)/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_]\w*/y;
const DIGITS = /\d+/y;
// `${1}`, and `${1[0].path}`: the braced form may hold an access path, the only form that can inside strings.
const BRACED_REF = /\{(\d+)((?:\[-?\d+\]|\.[A-Za-z_]\w*)*)\}/y;
/** One access step: `[0]`, `[-1]` or `.field`. */
const STEP = /\[(-?\d+)\]|\.([A-Za-z_]\w*)/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** Lists and objects nested deeper than this are refused: every reader of arguments walks them recursively. */
export const MAX_ARG_DEPTH = 64;

// Python spellings too: planners trained on Python write them.
const WORDS: Record<string, JsonValue> = { true: true, false: false, null: null, True: true, False: false, None: null };

// Escapes with a JSON meaning. Any other backslash pair is kept as written, as Python does, so regular expressions
// like "\(foo\)" or "\bword\b" reach grep intact.
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\', '/': '/' };

/**
 * Parses the text between the parentheses of a plan call, e.g. `"a.ts", $1, start_line=10,`.
 * Throws `ArgSyntaxError` (reason `plan-syntax`).
 */
export function parseArgs(text: string): ParsedArgs {
  return new ArgReader(text).args();
}

class ArgReader {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  args(): ParsedArgs {
    const result: ParsedArgs = { positional: [], named: [] };
    const names = new Set<string>();
    this.space();
    while (this.pos < this.text.length) {
      const start = this.pos;
      const keyword = this.match(KEYWORD);
      if (keyword) {
        const name = keyword[1]!;
        if (names.has(name)) throw new ArgSyntaxError(`keyword argument ${name} is given twice`, start, false);
        names.add(name);
        result.named.push([name, this.value(`${name}=`)]);
      } else {
        const value = this.value();
        if (result.named.length > 0) {
          throw new ArgSyntaxError('positional argument after keyword argument', start, false);
        }
        result.positional.push(value);
      }
      this.space();
      if (this.pos >= this.text.length) break;
      if (this.text[this.pos] !== ',') this.unexpected();
      this.pos++;
      this.space();
    }
    return result;
  }

  private value(after?: string): ArgExpr {
    this.space();
    const ch = this.text[this.pos];
    if (ch === undefined) {
      throw new ArgSyntaxError(after ? `expected a value after ${after}` : 'expected a value', this.pos, true);
    }
    if (ch === '"' || ch === "'") return this.string();
    if (ch === '[' || ch === '{') {
      if (this.depth >= MAX_ARG_DEPTH) {
        throw new ArgSyntaxError(`lists and objects nested more than ${MAX_ARG_DEPTH} deep`, this.pos, true);
      }
      this.depth++;
      const nested = ch === '[' ? this.list() : this.object();
      this.depth--;
      return nested;
    }
    if (ch === '$') return this.ref();
    const number = this.match(NUMBER);
    if (number) return { kind: 'literal', value: Number(number[0]) };
    const start = this.pos;
    const word = this.match(WORD);
    if (word) {
      if (Object.hasOwn(WORDS, word[0])) return { kind: 'literal', value: WORDS[word[0]]! };
      throw new ArgSyntaxError(`unquoted text ${word[0]} (strings need quotes)`, start, true);
    }
    return this.unexpected();
  }

  private list(): ArgExpr {
    const open = this.pos++;
    const items: ArgExpr[] = [];
    for (;;) {
      this.space();
      if (this.pos >= this.text.length) throw new ArgSyntaxError('unclosed [', open, true);
      if (this.text[this.pos] === ']') break;
      items.push(this.value());
      this.space();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== ']' && this.pos < this.text.length) this.unexpected();
    }
    this.pos++;
    return { kind: 'list', items };
  }

  private object(): ArgExpr {
    const open = this.pos++;
    const entries: Array<[string, ArgExpr]> = [];
    for (;;) {
      this.space();
      if (this.pos >= this.text.length) throw new ArgSyntaxError('unclosed {', open, true);
      if (this.text[this.pos] === '}') break;
      const key = this.key();
      this.space();
      if (this.pos >= this.text.length) throw new ArgSyntaxError('unclosed {', open, true);
      if (this.text[this.pos] !== ':') this.unexpected();
      this.pos++;
      entries.push([key, this.value(`${key}:`)]);
      this.space();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}' && this.pos < this.text.length) this.unexpected();
    }
    this.pos++;
    return { kind: 'object', entries };
  }

  private key(): string {
    const start = this.pos;
    const ch = this.text[this.pos];
    if (ch === '"' || ch === "'") {
      const key = this.string();
      if (key.kind !== 'literal') throw new ArgSyntaxError('an object key cannot refer to a task result', start, true);
      return key.value as string;
    }
    const word = this.match(WORD);
    if (word) return word[0];
    return this.unexpected();
  }

  /** A bare `$N` or `${N}` outside strings, with the access path written right after it (`$1[0].path`). */
  private ref(): ArgExpr {
    const start = this.pos++;
    const digits = this.match(DIGITS) ?? this.match(BRACED_REF);
    if (!digits) {
      throw new ArgSyntaxError('"$" must be followed by a task number (write $$ for a dollar sign)', start, false);
    }
    const path = digits[2] ? steps(digits[2]) : [];
    for (;;) {
      const at = this.pos;
      const step = this.match(STEP);
      if (step) {
        path.push(stepOf(step));
        continue;
      }
      const ch = this.text[at];
      if (ch === '[') throw new ArgSyntaxError('expected an index like [0] or [-1] after a reference', at, true);
      if (ch === '.') throw new ArgSyntaxError('expected a field name like .path after a reference', at, true);
      break;
    }
    const id = Number(digits[1] ?? digits[0]);
    return path.length ? { kind: 'ref', id, path } : { kind: 'ref', id };
  }

  /** A quoted string; `$N` / `${N}` inside make it a template, `$$` is a dollar sign. */
  private string(): ArgExpr {
    const start = this.pos;
    const quote = this.text[this.pos++];
    const parts: Array<string | { ref: number; path?: RefPath }> = [];
    let text = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined || ch === '\n') throw new ArgSyntaxError('unterminated string', start, true);
      if (ch === quote) break;
      if (ch === '\\') {
        text += this.escape(start);
        continue;
      }
      if (ch === '$') {
        const ref = this.templateRef();
        if (ref !== undefined) {
          if (text) parts.push(text);
          parts.push(ref);
          text = '';
        } else {
          text += '$';
        }
        continue;
      }
      text += ch;
      this.pos++;
    }
    this.pos++;
    if (parts.length === 0) return { kind: 'literal', value: text };
    if (text) parts.push(text);
    return { kind: 'template', parts };
  }

  /**
   * At a `$` inside a string: a reference, or undefined when the `$` is text (then it is consumed). Only the braced
   * form takes an access path here, so `"$1.ts"` stays task 1's text followed by `.ts`.
   */
  private templateRef(): { ref: number; path?: RefPath } | undefined {
    this.pos++;
    if (this.text[this.pos] === '$') {
      this.pos++;
      return undefined;
    }
    const digits = this.match(DIGITS) ?? this.match(BRACED_REF);
    if (!digits) return undefined;
    const ref = Number(digits[1] ?? digits[0]);
    return digits[2] ? { ref, path: steps(digits[2]) } : { ref };
  }

  private escape(stringStart: number): string {
    const at = this.pos;
    const ch = this.text[at + 1];
    if (ch === undefined || ch === '\n') throw new ArgSyntaxError('unterminated string', stringStart, true);
    this.pos += 2;
    if (ch === 'u') {
      const hex = this.match(HEX4);
      if (!hex) throw new ArgSyntaxError('invalid \\u escape (expected four hex digits)', at, true);
      return String.fromCharCode(parseInt(hex[0], 16));
    }
    // `\$` stays as written and is never a reference: in a pattern it means a literal dollar.
    return ESCAPES[ch] ?? `\\${ch}`;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m) this.pos = re.lastIndex;
    return m;
  }

  private unexpected(): never {
    throw new ArgSyntaxError(`unexpected character '${this.text[this.pos]}'`, this.pos, true);
  }
}

/** The steps of an access path already known to be well formed, e.g. `[0].path`. */
function steps(text: string): RefPath {
  const path: RefPath = [];
  STEP.lastIndex = 0;
  for (let m = STEP.exec(text); m; m = STEP.exec(text)) path.push(stepOf(m));
  return path;
}

function stepOf(match: RegExpExecArray): string | number {
  if (match[1] === undefined) return match[2]!;
  // `[-0]` is the first item, as in Python; kept as 0 so the parsed form has one spelling.
  return Number(match[1]) || 0;
}
