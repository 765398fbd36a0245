import type { JoinerDecision, JoinerDelta } from './joinerParser';
import { JoinerParser } from './joinerParser';
import type { RunEmitter } from '../runEmitter';

/**
 * A reply in the joiner's `Finish(...)` form read as it streams: each piece of the answer goes to observers as an
 * `answer-delta` the moment the parser lets it out.
 */
export class AnswerStream {
  private readonly parser = new JoinerParser();
  private emitted = false;

  constructor(private readonly emitter: RunEmitter) {}

  /** True once any part of the answer has reached observers. */
  get streamed(): boolean {
    return this.emitted;
  }

  push(text: string): void {
    this.forward(this.parser.push(text));
  }

  /** Ends the reply, emitting what the parser held back; throws `joiner-format` when there is no answer. */
  flush(): JoinerDecision {
    const decision = this.parser.flush();
    this.forward(decision.deltas);
    return decision;
  }

  private forward(deltas: JoinerDelta[]): void {
    for (const delta of deltas) {
      if (delta.kind !== 'answer') continue;
      this.emitted = true;
      this.emitter.emit({ type: 'answer-delta', text: delta.text });
    }
  }
}
