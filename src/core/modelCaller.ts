import type { ChatMessage, ModelClient, ModelPurpose, ModelUsage } from '../shared/types';
import { throwIfAborted } from '../base/errors';
import type { RunEmitter } from './runEmitter';
import { estimateTokens } from './tokenEstimate';

/**
 * Every LLM call of a run goes through here, so that each one is numbered, timed and its tokens counted in the
 * `llm-start` / `llm-end` events — even when it fails or is cancelled half-way.
 */
export class ModelCaller {
  private calls = 0;

  constructor(
    private readonly emitter: RunEmitter,
    private readonly signal: AbortSignal,
  ) {}

  async *stream(
    model: ModelClient,
    messages: ChatMessage[],
    options: { purpose: ModelPurpose; round: number; stop?: string[] },
  ): AsyncGenerator<string> {
    const call = ++this.calls;
    const start = this.emitter.now();
    this.emitter.emit({ type: 'llm-start', call, purpose: options.purpose, round: options.round });
    let usage: ModelUsage | undefined;
    let output = '';
    let firstTokenMs: number | undefined;
    try {
      for await (const chunk of model.stream(messages, { signal: this.signal, stop: options.stop, purpose: options.purpose })) {
        // A model that ignores the signal must not keep a cancelled run alive.
        throwIfAborted(this.signal);
        if (chunk.type === 'usage') {
          usage = chunk.usage;
          continue;
        }
        // The core offers the model no tools of its own, so there are no calls to take.
        if (chunk.type !== 'text') continue;
        firstTokenMs ??= this.emitter.now() - start;
        output += chunk.text;
        yield chunk.text;
      }
    } finally {
      usage ??= {
        inputTokens: estimateTokens(messages.map((m) => m.content).join('\n')),
        outputTokens: estimateTokens(output),
        estimated: true,
      };
      this.emitter.emit({
        type: 'llm-end',
        call,
        purpose: options.purpose,
        round: options.round,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        estimated: usage.estimated,
        start,
        end: this.emitter.now(),
        ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
      });
    }
  }
}
