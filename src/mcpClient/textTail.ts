/** The last `maxChars` characters of a stream of text, kept in bounded memory however much is written. */
export class TextTail {
  private kept = '';

  constructor(private readonly maxChars: number) {}

  push(text: string): void {
    // Only the end of a long chunk can survive; the rest is never copied.
    const tail = text.length > this.maxChars ? text.slice(-this.maxChars) : text;
    this.kept = (this.kept + tail).slice(-this.maxChars);
  }

  /** The last non-empty lines, at most `lines`, for a one-line error message. */
  lastLines(lines: number): string {
    return this.kept
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-lines)
      .join(' | ');
  }
}
