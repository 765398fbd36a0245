/**
 * Collects output lines within a character budget. Lines that no longer fit are only counted, and `finish` ends the
 * text with one visible marker saying how many were left out and how to see them.
 */
export class TextBudget {
  private readonly lines: string[] = [];
  private used = 0;
  private dropped = 0;

  constructor(private readonly maxChars: number) {}

  /** Adds a line if it fits; returns false once the budget is spent (the line is then counted as left out). */
  add(line: string): boolean {
    if (this.dropped > 0) {
      this.dropped++;
      return false;
    }
    const cost = line.length + (this.lines.length > 0 ? 1 : 0);
    if (this.used + cost <= this.maxChars) {
      this.lines.push(line);
      this.used += cost;
      return true;
    }
    if (this.lines.length === 0 && this.maxChars > 1) {
      // A first line longer than the whole budget still shows its beginning.
      this.lines.push(`${line.slice(0, this.maxChars - 1)}…`);
      this.used = this.maxChars;
    }
    this.dropped++;
    return false;
  }

  /** Counts lines that were never offered (e.g. results past a cap) as left out. */
  skip(count: number): void {
    if (count > 0) this.dropped += count;
  }

  /** Lines kept so far (after `finish`, the lines in the text before the marker). */
  get kept(): number {
    return this.lines.length;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** The text, ending with `… [truncated: N more lines; hint]` when anything was left out. */
  finish(hint?: string): string {
    if (this.dropped === 0) return this.lines.join('\n');
    const marker = (): string => `… [truncated: ${this.dropped} more line${this.dropped === 1 ? '' : 's'}${hint ? `; ${hint}` : ''}]`;
    // Make room for the marker by giving back lines from the end (the first line, a heading, stays if it can).
    while (this.lines.length > 1 && this.used + 1 + marker().length > this.maxChars) {
      const last = this.lines.pop()!;
      this.used -= last.length + 1;
      this.dropped++;
    }
    const text = this.lines.length ? `${this.lines.join('\n')}\n${marker()}` : marker();
    return text.length <= this.maxChars ? text : `${text.slice(0, Math.max(0, this.maxChars - 1))}…`;
  }
}

/** Shortens one long line (minified code, data) around the column of interest, marking both cuts. */
export function clipLine(text: string, column = 1, width = 240): string {
  if (text.length <= width) return text;
  const start = Math.max(0, Math.min(column - 1 - Math.floor(width / 3), text.length - width));
  const end = start + width;
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? `… [+${text.length - end} chars]` : ''}`;
}
