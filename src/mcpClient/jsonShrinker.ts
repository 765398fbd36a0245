// A JSON text cut down to a size while it is read: what a server sends past the budget is never held.

/** What the shrinker keeps of a value it cannot keep whole. */
const CUT_MARK = ' … [cut while reading: the message was larger than the limit]';
/** Keys and top-level strings (the JSON-RPC envelope: "jsonrpc", "method") are kept up to this length. */
const ENVELOPE_STRING_CHARS = 256;
/** Numbers and other bare literals longer than this are cut (a valid number stays a number). */
const LITERAL_CHARS = 64;
/** Containers nested deeper than this become null. */
const MAX_DEPTH = 128;

interface Frame {
  kind: 'object' | 'array';
  /** Members or items written so far. */
  written: number;
  /** In an object: a key is due next (else its value is). */
  expectKey: boolean;
}

type Mode =
  | { kind: 'value' }
  | { kind: 'string'; role: 'key' | 'value'; keep: number; escape: string; cut: boolean }
  | { kind: 'literal'; keep: number; written: number }
  /** Skipping a value that is dropped: `depth` counts open containers, `inString` whether a string is open. */
  | { kind: 'skip'; depth: number; inString: boolean; escaped: boolean; literal: boolean; key: boolean }
  | { kind: 'done' };

/**
 * An incremental JSON rewriter: `push(chunk)` returns the JSON read so far, rewritten compactly, so that the output
 * stays within about `budget` characters whatever the input's size; `flush()` closes it. The top-level object's
 * keys (a JSON-RPC envelope: `jsonrpc`, `id`, `result`) are always kept; below it, once the budget is spent, object
 * members and array items are left out, and a string that reaches the budget is cut with a visible mark. Linear in
 * the input; memory is the output plus a stack bounded by `MAX_DEPTH`. Input that is not JSON yields output that
 * is not JSON either (the reader's parse then fails as it would have).
 */
export class JsonShrinker {
  private readonly stack: Frame[] = [];
  private mode: Mode = { kind: 'value' };
  private written = 0;
  /** True once something was left out. */
  cut = false;

  constructor(private readonly budget: number) {}

  push(chunk: string): string {
    let out = '';
    const emit = (text: string) => {
      out += text;
      this.written += text.length;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      const mode = this.mode;
      switch (mode.kind) {
        case 'done':
          if (!isSpace(c)) emit(c);
          continue;
        case 'string':
          this.stringChar(mode, c, emit);
          continue;
        case 'literal':
          if (isLiteralChar(c)) {
            if (mode.written < mode.keep) {
              emit(c);
              mode.written++;
            } else this.cut = true;
            continue;
          }
          // The character after a literal belongs to what follows: read it again.
          this.valueEnded();
          i--;
          continue;
        case 'skip': {
          const step = skipChar(mode, c);
          if (step === 'more') continue;
          this.valueEnded();
          if (step === 'reread') i--;
          continue;
        }
        case 'value':
          this.structural(c, emit);
          continue;
      }
    }
    return out;
  }

  /** Closes what is still open (a message cut short by the end of its line). */
  flush(): string {
    let out = '';
    if (this.mode.kind === 'string') out += '"';
    for (let i = this.stack.length - 1; i >= 0; i--) out += this.stack[i]!.kind === 'object' ? '}' : ']';
    this.stack.length = 0;
    this.mode = { kind: 'done' };
    return out;
  }

  private get spent(): boolean {
    return this.written >= this.budget;
  }

  /** Outside strings and literals: structure, and the start of each value or key. */
  private structural(c: string, emit: (text: string) => void): void {
    if (isSpace(c) || c === ',' || c === ':') return;
    const frame = this.stack.at(-1);
    if (c === '}' || c === ']') {
      this.stack.pop();
      emit(c);
      this.valueEnded();
      return;
    }
    // A member's key, or an item: kept at the top level always, below it only while budget remains.
    const starting = frame && (frame.kind === 'array' || frame.expectKey);
    if (starting && this.stack.length > 1 && this.spent) {
      this.cut = true;
      const key = frame.kind === 'object';
      this.mode = { kind: 'skip', depth: 0, inString: false, escaped: false, literal: false, key };
      skipChar(this.mode, c);
      return;
    }
    if (starting && frame.written++ > 0) emit(',');
    if (frame?.kind === 'object' && frame.expectKey) {
      // A key: always a string in JSON.
      frame.expectKey = false;
      emit('"');
      this.mode = { kind: 'string', role: 'key', keep: ENVELOPE_STRING_CHARS, escape: '', cut: false };
      return;
    }
    if (c === '"') {
      emit('"');
      const keep = this.stack.length <= 1 ? ENVELOPE_STRING_CHARS : Math.max(0, this.budget - this.written);
      this.mode = { kind: 'string', role: 'value', keep, escape: '', cut: false };
      return;
    }
    if (c === '{' || c === '[') {
      if (this.stack.length >= MAX_DEPTH) {
        this.cut = true;
        emit('null');
        this.mode = { kind: 'skip', depth: 0, inString: false, escaped: false, literal: false, key: false };
        skipChar(this.mode, c);
        return;
      }
      emit(c);
      this.stack.push({ kind: c === '{' ? 'object' : 'array', written: 0, expectKey: c === '{' });
      return;
    }
    emit(c);
    this.mode = { kind: 'literal', keep: LITERAL_CHARS - 1, written: 0 };
  }

  private stringChar(mode: Extract<Mode, { kind: 'string' }>, c: string, emit: (text: string) => void): void {
    if (mode.escape) {
      mode.escape += c;
      // An escape is written whole or not at all: `\n`, `\"`, or `\uXXXX`.
      if (mode.escape[1] === 'u' && mode.escape.length < 6) return;
      this.stringUnit(mode, mode.escape, emit);
      mode.escape = '';
      return;
    }
    if (c === '\\') {
      mode.escape = c;
      return;
    }
    if (c === '"') {
      if (mode.cut && mode.role === 'value') emit(CUT_MARK);
      if (mode.role === 'key') {
        emit('":');
        this.mode = { kind: 'value' };
        return;
      }
      emit('"');
      this.valueEnded();
      return;
    }
    this.stringUnit(mode, c, emit);
  }

  private stringUnit(mode: Extract<Mode, { kind: 'string' }>, unit: string, emit: (text: string) => void): void {
    if (mode.keep >= unit.length) {
      mode.keep -= unit.length;
      emit(unit);
      return;
    }
    mode.keep = 0;
    mode.cut = true;
    this.cut = true;
  }

  private valueEnded(): void {
    const frame = this.stack.at(-1);
    if (!frame) {
      this.mode = { kind: 'done' };
      return;
    }
    if (frame.kind === 'object') frame.expectKey = true;
    this.mode = { kind: 'value' };
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

function isLiteralChar(c: string): boolean {
  return /[0-9a-zA-Z.+-]/.test(c);
}

type SkipMode = Extract<Mode, { kind: 'skip' }>;

/**
 * Reads one character of a dropped value: `more` while it goes on, `ended` on its last character, `reread` when
 * this character already belongs to what follows (the end of a literal, or of the enclosing container).
 */
function skipChar(mode: SkipMode, c: string): 'more' | 'ended' | 'reread' {
  if (mode.inString) {
    if (mode.escaped) mode.escaped = false;
    else if (c === '\\') mode.escaped = true;
    else if (c === '"') {
      mode.inString = false;
      if (mode.depth > 0) return 'more';
      // A dropped member's key is followed by its value: skip that too.
      if (mode.key) {
        mode.key = false;
        return 'more';
      }
      return 'ended';
    }
    return 'more';
  }
  if (mode.literal) {
    if (isLiteralChar(c)) return 'more';
    mode.literal = false;
    return 'reread';
  }
  if (isSpace(c) || (mode.depth === 0 && (c === ':' || c === ','))) return 'more';
  if (c === '"') {
    mode.inString = true;
    return 'more';
  }
  if (c === '{' || c === '[') {
    mode.depth++;
    return 'more';
  }
  if (c === '}' || c === ']') {
    // At depth 0 this closes the enclosing container: the dropped member had no value.
    if (mode.depth === 0) return 'reread';
    mode.depth--;
    return mode.depth === 0 && !mode.key ? 'ended' : 'more';
  }
  if (mode.depth === 0) mode.literal = true;
  return 'more';
}
