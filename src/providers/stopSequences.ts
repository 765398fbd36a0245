/**
 * Cuts a streamed reply before the first stop sequence, for models that do not apply stop sequences themselves (or
 * apply only a few). Holds back just the tail that could still become a stop sequence.
 */
export class StopSequenceCutter {
  private held = '';
  private done = false;
  private readonly stops: string[];

  constructor(stops: readonly string[] | undefined) {
    this.stops = (stops ?? []).filter((s) => s.length > 0);
  }

  /** True once a stop sequence was seen: the reply is over. */
  get stopped(): boolean {
    return this.done;
  }

  /** The text that can be shown now; empty while a possible stop sequence is being held back. */
  push(text: string): string {
    if (this.done) return '';
    if (this.stops.length === 0) return text;
    const buffer = this.held + text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.done = true;
      this.held = '';
      return buffer.slice(0, cut);
    }
    const keep = this.partialStopLength(buffer);
    this.held = buffer.slice(buffer.length - keep);
    return buffer.slice(0, buffer.length - keep);
  }

  /** At the end of the stream: the held-back tail, which turned out not to be a stop sequence. */
  flush(): string {
    const rest = this.done ? '' : this.held;
    this.held = '';
    return rest;
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of a stop sequence. */
  private partialStopLength(buffer: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, buffer.length); n > longest; n--) {
        if (buffer.endsWith(stop.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
