import { JsonShrinker } from './jsonShrinker';

/**
 * Splits a server's output into lines (one JSON-RPC message each on stdio, one `data:` field each in an event
 * stream) while bounding each: a line longer than `maxChars` is rewritten by a `JsonShrinker` as it arrives, so
 * a reply of any size costs about `maxChars` of memory and its text comes through cut. Incremental and linear:
 * `push(chunk)` returns the lines it completed, `flush()` the last one.
 */
export class MessageLines {
  private parts: string[] = [];
  private length = 0;
  private shrinker: JsonShrinker | undefined;
  /** Lines cut so far. */
  cutLines = 0;

  constructor(private readonly maxChars: number) {}

  push(chunk: string): string[] {
    const lines: string[] = [];
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', from);
      const piece = chunk.slice(from, newline === -1 ? chunk.length : newline);
      this.add(piece);
      if (newline === -1) return lines;
      lines.push(this.take());
      from = newline + 1;
    }
  }

  flush(): string[] {
    return this.length || this.shrinker ? [this.take()] : [];
  }

  private add(piece: string): void {
    if (!piece) return;
    if (this.shrinker) {
      this.parts.push(this.shrinker.push(piece));
      return;
    }
    this.parts.push(piece);
    this.length += piece.length;
    if (this.length <= this.maxChars) return;
    // Too long to keep whole: what came so far goes through the shrinker, and so does the rest as it comes.
    const text = this.parts.join('');
    const start = text.search(/[[{]/);
    const prefix = start === -1 ? '' : text.slice(0, start);
    this.shrinker = new JsonShrinker(this.maxChars);
    this.parts = [prefix, this.shrinker.push(start === -1 ? text : text.slice(start))];
  }

  private take(): string {
    if (this.shrinker) {
      this.parts.push(this.shrinker.flush());
      this.cutLines++;
    }
    const line = this.parts.join('').replace(/\r$/, '');
    this.parts = [];
    this.length = 0;
    this.shrinker = undefined;
    return line;
  }
}
