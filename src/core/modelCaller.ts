import type { ChatMessage, ModelClient, ModelToolCall, ModelToolSpec, ModelUsage } from '../shared/modelContract';
import type { ErrorInfo } from '../base/errors';
import type { LlmCallOutcome } from '../shared/runEvents';
import { CompilerError, ContextTooLongError, isAbortError, throwIfAborted, toErrorInfo } from '../base/errors';
import type { RunEmitter } from './runEmitter';
import { CHARS_PER_TOKEN, estimateTokens } from '../shared/tokenEstimate';
import type { ModelPurpose } from '../shared/modes';
import { formatCount } from '../shared/format';
import type { ContextBudget } from './context/contextBudget';
import { MESSAGE_TOKENS } from './context/contextBudget';

/**
 * A model that ignores `max_tokens` is stopped here, at twice the limit's rough length in characters, so that a
 * server honouring the limit always ends first.
 */
const LOCAL_LIMIT_FACTOR = 2;

/** How much smaller a request is built again after the server said it did not fit, when the server gave no figures. */
const RETRY_SHRINK = 0.6;

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

/** A request's messages, and the tasks whose results it shows cut to fit the context. */
export interface FittedRequest {
  messages: ChatMessage[];
  cut?: number[];
}

/**
 * Builds a request to fit the context; `shrink` (at most 1) scales the room its results get, for the one retry
 * after a server refused the request as too long.
 */
export type RequestBuilder = (shrink: number) => FittedRequest;

export type ReplyPiece = { type: 'text'; text: string } | { type: 'tool-call'; call: ModelToolCall };

interface Fit {
  promptTokens: number;
  maxOutputTokens: number;
}

/**
 * Every LLM call of a run goes through here, so that each one is numbered, timed and its tokens counted in the
 * `llm-start` / `llm-end` events — even when it fails or is cancelled half-way — and each one fits the model's
 * context: its `max_tokens` is what the prompt leaves, and a request the server refuses as too long is built
 * smaller once.
 */
export class ModelCaller {
  private calls = 0;

  constructor(
    private readonly emitter: RunEmitter,
    private readonly signal: AbortSignal,
    private readonly budget: ContextBudget,
  ) {}

  /** The reply's text as it streams (for callers that offer the model no tools). */
  async *stream(model: ModelClient, request: ChatMessage[] | RequestBuilder, options: CallOptions): AsyncGenerator<string> {
    for await (const piece of this.pieces(model, request, { ...options, tools: undefined })) {
      if (piece.type === 'text') yield piece.text;
    }
  }

  /** The reply's text and its tool calls, in the order the model client delivers them. */
  async *pieces(model: ModelClient, request: ChatMessage[] | RequestBuilder, options: CallOptions): AsyncGenerator<ReplyPiece> {
    const call = ++this.calls;
    const start = this.emitter.now();
    this.emitter.emit({ type: 'llm-start', call, purpose: options.purpose, round: options.round });
    let usage: ModelUsage | undefined;
    let output = '';
    let toolCalls = 0;
    let firstTokenMs: number | undefined;
    const functions = options.tools?.length ? options.tools : undefined;
    let outcome: LlmCallOutcome = 'failed';
    let error: ErrorInfo | undefined;
    const signal = options.signal ? AbortSignal.any([this.signal, options.signal]) : this.signal;
    const build: RequestBuilder = typeof request === 'function' ? request : () => ({ messages: request });
    let built = build(1);
    let fit: Fit | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        let wrote = false;
        try {
          fit = await this.fit(built.messages, functions, options, signal);
          const maxChars = fit.maxOutputTokens * CHARS_PER_TOKEN * LOCAL_LIMIT_FACTOR;
          const requestOptions = { signal, stop: options.stop, purpose: options.purpose, maxOutputTokens: fit.maxOutputTokens, ...(functions ? { tools: functions } : {}) };
          for await (const chunk of model.stream(built.messages, requestOptions)) {
            // A model that ignores the signal must not keep a cancelled run alive.
            throwIfAborted(signal);
            if (chunk.type === 'usage') {
              usage = chunk.usage;
              continue;
            }
            if (chunk.type === 'tool-call') {
              // Calls the run did not offer tools for are not the model's to make.
              if (!functions) continue;
              toolCalls++;
              wrote = true;
              output += `${chunk.call.name}(${JSON.stringify(chunk.call.input)})`;
              yield chunk;
              continue;
            }
            firstTokenMs ??= this.emitter.now() - start;
            const room = maxChars - output.length;
            const text = chunk.text.length > room ? chunk.text.slice(0, room) : chunk.text;
            output += text;
            if (text) {
              wrote = true;
              yield { type: 'text', text };
            }
            if (output.length >= maxChars) {
              outcome = 'truncated';
              return;
            }
          }
          // A read-ahead asks for one token and is meant to stop there.
          outcome = usage && usage.outputTokens >= fit.maxOutputTokens && options.purpose !== 'read-ahead' ? 'truncated' : 'ok';
          return;
        } catch (thrown) {
          const retry = attempt === 1 && !wrote && typeof request === 'function' && !signal.aborted && thrown instanceof CompilerError && thrown.reason === 'context-too-long';
          if (!retry) throw thrown;
          const figures = thrown instanceof ContextTooLongError ? thrown.figures : {};
          this.budget.learn(figures.contextTokens);
          const told = figures.contextTokens && figures.promptTokens ? (figures.contextTokens / figures.promptTokens) * 0.9 : RETRY_SHRINK;
          built = build(Math.min(RETRY_SHRINK, told));
        }
      }
    } catch (thrown) {
      if (signal.aborted || isAbortError(thrown)) outcome = 'cancelled';
      else error = toErrorInfo(thrown);
      throw thrown;
    } finally {
      // A consumer that stops reading early (an error of its own, a limit) ends the call too.
      if (outcome === 'failed' && !error) outcome = signal.aborted ? 'cancelled' : 'ok';
      usage ??= {
        inputTokens: estimateTokens(built.messages.map(messageText).join('\n')),
        outputTokens: estimateTokens(output),
        estimated: true,
      };
      const cut = built.cut?.length ? [...new Set(built.cut)] : undefined;
      if (cut) this.budget.noteCut(cut);
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
        ...(fit && this.budget.known ? { fit: { ...fit, contextTokens: this.budget.tokens } } : {}),
        ...(cut ? { cutResults: cut } : {}),
      });
    }
  }

  /**
   * The request's `max_tokens`: what its prompt leaves of the context, up to the run's limit. When the bounded count
   * leaves less than the limit and the server can count, its own count decides. A prompt that leaves less than
   * its kind of reply needs is not sent.
   */
  private async fit(messages: ChatMessage[], functions: ModelToolSpec[] | undefined, options: CallOptions, signal: AbortSignal): Promise<Fit> {
    const { budget } = this;
    const asked = options.maxOutputTokens;
    let promptTokens = budget.promptTokens(messages, functions);
    let maxOutputTokens = budget.outputFor(promptTokens, asked);
    const wanted = budget.outputFor(0, asked);
    const exactCount = budget.context?.exactCount;
    if (exactCount && maxOutputTokens < wanted) {
      try {
        const text = [...messages.map(messageText), ...(functions ?? []).map((f) => JSON.stringify(f))].join('\n');
        // The server counts the text; the framing of messages and functions is ours to add.
        promptTokens = (await exactCount.call(budget.context, text, signal)) + MESSAGE_TOKENS * (messages.length + 1 + (functions?.length ?? 0) * 2);
        maxOutputTokens = budget.outputFor(promptTokens, asked);
      } catch {
        // Counting is a refinement: without it the bounded count stands.
        throwIfAborted(signal);
      }
    }
    const floor = asked !== undefined ? Math.min(asked, budget.floor(options.purpose)) : budget.floor(options.purpose);
    if (maxOutputTokens < floor) {
      throw new ContextTooLongError(
        `The ${options.purpose} request counts ${formatCount(promptTokens)} tokens, which leaves ${formatCount(Math.max(0, maxOutputTokens))} of the model's ${formatCount(budget.tokens)}-token context for its reply; it needs ${formatCount(floor)}.`,
      );
    }
    return { promptTokens, maxOutputTokens };
  }
}

/** All a message sends the model: its text, its tool calls and the results it carries. */
function messageText(message: ChatMessage): string {
  const calls = (message.toolCalls ?? []).map((c) => `${c.name}(${JSON.stringify(c.input)})`);
  const results = (message.toolResults ?? []).map((r) => r.content);
  return [...results, message.content, ...calls].join('\n');
}
