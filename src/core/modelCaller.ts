import type { ChatMessage, ModelClient, ModelToolCall, ModelToolSpec, ModelUsage } from '../shared/modelContract';
import type { ErrorInfo } from '../base/errors';
import type { LlmCallOutcome } from '../shared/runEvents';
import { isAbortError, throwIfAborted, toErrorInfo } from '../base/errors';
import type { RunEmitter } from './runEmitter';
import { CHARS_PER_TOKEN, estimateTokens } from '../shared/tokenEstimate';
import type { ModelPurpose } from '../shared/modes';

/**
 * A model that ignores `max_tokens` is stopped here, at twice the limit's rough length in characters, so that a
 * server honouring the limit always ends first.
 */
const LOCAL_LIMIT_FACTOR = 2;

export interface CallOptions {
  purpose: ModelPurpose;
  round: number;
  stop?: string[];
  /** Functions the model may call; their calls arrive as `tool-call` pieces. */
  tools?: ModelToolSpec[];
  /** Fewer output tokens than the run's limit. */
  maxOutputTokens?: number;
  /** Ends this call alone (the run's signal ends every call). */
  signal?: AbortSignal;
}

export type ReplyPiece = { type: 'text'; text: string } | { type: 'tool-call'; call: ModelToolCall };

/**
 * Every LLM call of a run goes through here, so that each one is numbered, timed and its tokens counted in the
 * `llm-start` / `llm-end` events — even when it fails or is cancelled half-way.
 */
export class ModelCaller {
  private calls = 0;

  constructor(
    private readonly emitter: RunEmitter,
    private readonly signal: AbortSignal,
    /** Output tokens of one call: asked of the model, and enforced here for models that ignore it. */
    private readonly maxOutputTokens: number,
  ) {}

  /** The reply's text as it streams (for callers that offer the model no tools). */
  async *stream(model: ModelClient, messages: ChatMessage[], options: CallOptions): AsyncGenerator<string> {
    for await (const piece of this.pieces(model, messages, { ...options, tools: undefined })) {
      if (piece.type === 'text') yield piece.text;
    }
  }

  /** The reply's text and its tool calls, in the order the model client delivers them. */
  async *pieces(model: ModelClient, messages: ChatMessage[], options: CallOptions): AsyncGenerator<ReplyPiece> {
    const call = ++this.calls;
    const start = this.emitter.now();
    this.emitter.emit({ type: 'llm-start', call, purpose: options.purpose, round: options.round });
    let usage: ModelUsage | undefined;
    let output = '';
    let toolCalls = 0;
    let firstTokenMs: number | undefined;
    const tools = options.tools?.length ? { tools: options.tools } : {};
    let outcome: LlmCallOutcome = 'failed';
    let error: ErrorInfo | undefined;
    const signal = options.signal ? AbortSignal.any([this.signal, options.signal]) : this.signal;
    const maxOutputTokens = Math.min(options.maxOutputTokens ?? this.maxOutputTokens, this.maxOutputTokens);
    const maxChars = maxOutputTokens * CHARS_PER_TOKEN * LOCAL_LIMIT_FACTOR;
    try {
      const request = { signal, stop: options.stop, purpose: options.purpose, maxOutputTokens, ...tools };
      for await (const chunk of model.stream(messages, request)) {
        // A model that ignores the signal must not keep a cancelled run alive.
        throwIfAborted(signal);
        if (chunk.type === 'usage') {
          usage = chunk.usage;
          continue;
        }
        if (chunk.type === 'tool-call') {
          // Calls the run did not offer tools for are not the model's to make.
          if (!options.tools?.length) continue;
          toolCalls++;
          output += `${chunk.call.name}(${JSON.stringify(chunk.call.input)})`;
          yield chunk;
          continue;
        }
        firstTokenMs ??= this.emitter.now() - start;
        const room = maxChars - output.length;
        const text = chunk.text.length > room ? chunk.text.slice(0, room) : chunk.text;
        output += text;
        if (text) yield { type: 'text', text };
        if (output.length >= maxChars) {
          outcome = 'truncated';
          return;
        }
      }
      outcome = usage && usage.outputTokens >= maxOutputTokens && options.maxOutputTokens === undefined ? 'truncated' : 'ok';
    } catch (thrown) {
      if (signal.aborted || isAbortError(thrown)) outcome = 'cancelled';
      else error = toErrorInfo(thrown);
      throw thrown;
    } finally {
      // A consumer that stops reading early (an error of its own, a limit) ends the call too.
      if (outcome === 'failed' && !error) outcome = signal.aborted ? 'cancelled' : 'ok';
      usage ??= {
        inputTokens: estimateTokens(messages.map(messageText).join('\n')),
        outputTokens: estimateTokens(output),
        estimated: true,
      };
      this.emitter.emit({
        type: 'llm-end',
        call,
        purpose: options.purpose,
        round: options.round,
        inputTokens: usage.inputTokens,
        ...(usage.cachedInputTokens !== undefined ? { cachedInputTokens: usage.cachedInputTokens } : {}),
        outputTokens: usage.outputTokens,
        estimated: usage.estimated,
        start,
        end: this.emitter.now(),
        ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
        ...(toolCalls > 0 ? { toolCalls } : {}),
        outcome,
        ...(error ? { error } : {}),
      });
    }
  }
}

/** All a message sends the model: its text, its tool calls and the results it carries. */
function messageText(message: ChatMessage): string {
  const calls = (message.toolCalls ?? []).map((c) => `${c.name}(${JSON.stringify(c.input)})`);
  const results = (message.toolResults ?? []).map((r) => r.content);
  return [...results, message.content, ...calls].join('\n');
}
