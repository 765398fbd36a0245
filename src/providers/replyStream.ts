// What every model backend does with a streamed reply, whatever carries it (the OpenAI-compatible client, VS Code's
// Language Model API): cut it at a stop sequence, bound the reasoning a server streams beside it, count what it
// wrote when the server does not, say why it ended, and give up on a server that stops sending.
import { CompilerError, abortError } from '../base/errors';
import type { ChatMessage, ModelToolCall, ModelUsage } from '../shared/modelContract';
import { StopSequenceCutter } from './stopSequences';
import { countChatTokens, countTextTokens } from './tokenCount';

/** Reasoning a server streams apart from the answer is bounded too: this many characters per output token asked. */
const REASONING_CHARS_PER_TOKEN = 8;
const DEFAULT_REASONING_TOKENS = 16_384;

/** The text of one reply as it streams: cut before the first stop sequence, with what the model wrote for counting. */
export class ReplyText {
  private readonly cutter: StopSequenceCutter;
  private readonly maxReasoningChars: number;
  private reasoningChars = 0;
  private text = '';

  constructor(request: { stop?: readonly string[]; maxOutputTokens?: number }) {
    this.cutter = new StopSequenceCutter(request.stop);
    this.maxReasoningChars = (request.maxOutputTokens ?? DEFAULT_REASONING_TOKENS) * REASONING_CHARS_PER_TOKEN;
  }

  /** The part of `text` to show now; empty while a possible stop sequence is held back. */
  push(text: string): string {
    const shown = this.cutter.push(text);
    this.text += shown;
    return shown;
  }

  /** Reasoning streamed beside the answer (never shown), counted against its bound. */
  reason(text: string): void {
    this.reasoningChars += text.length;
  }

  call(call: ModelToolCall): void {
    this.text += `${call.name}${JSON.stringify(call.input)}`;
  }

  /** True once the reply is over for us: a stop sequence came, or the reasoning passed its bound. */
  get done(): boolean {
    return this.cutter.stopped || this.reasoningChars > this.maxReasoningChars;
  }

  /** At the end: the held-back tail, which turned out not to be a stop sequence. */
  flush(): string {
    const rest = this.cutter.flush();
    this.text += rest;
    return rest;
  }

  /** The reply's text as shown, and its tool calls as text: what its output tokens are counted from. */
  get written(): string {
    return this.text;
  }

  /** The usage of a reply whose server reported none: counted here, and flagged as estimated. */
  estimatedUsage(messages: readonly ChatMessage[]): ModelUsage {
    return { inputTokens: countChatTokens(messages), outputTokens: countTextTokens(this.text), estimated: true };
  }
}

/**
 * Why a reply failed, as the caller is told: cancelled when its signal aborted (whatever the transport threw then),
 * a `CompilerError` as it is, and anything else as the backend maps it.
 */
export function replyFailure(error: unknown, signal: AbortSignal, map: (error: unknown) => CompilerError): Error {
  if (signal.aborted) return abortError(signal.reason);
  if (error instanceof CompilerError) return error;
  return map(error);
}

export interface WatchdogLimits {
  /** How long the response may take to start (retries included); none when absent. */
  startMs?: number;
  /** How long a started response may send nothing, before its first progress. */
  firstProgressMs: number;
  /** How long it may send nothing once it has made progress. */
  idleMs: number;
}

/**
 * The timers of one model request: a response that does not start, or stops making progress, aborts `controller`
 * and says which of the two it was. The consumer's own time does not count: `pause` while it reads.
 */
export class ReplyWatchdog {
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private progressed = false;
  /** What fired: the response did not start, or stopped making progress. */
  fired: 'late' | 'stalled' | undefined;

  constructor(
    private readonly controller: AbortController,
    private readonly limits: WatchdogLimits,
  ) {
    if (limits.startMs !== undefined) this.startTimer = setTimeout(() => this.fire('late'), limits.startMs);
  }

  /** True once the response made progress (text, tool calls, reasoning or its end). */
  get sawProgress(): boolean {
    return this.progressed;
  }

  /** The response started: from now on it must make progress. */
  started(): void {
    clearTimeout(this.startTimer);
    this.arm();
  }

  /** The response made progress: its silence is counted afresh. */
  progress(): void {
    this.progressed = true;
    this.arm();
  }

  /** The consumer has the reply: its pace is not the server's silence. The next `progress` re-arms. */
  pause(): void {
    clearTimeout(this.idleTimer);
  }

  private arm(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.fire('stalled'), this.progressed ? this.limits.idleMs : this.limits.firstProgressMs);
  }

  dispose(): void {
    clearTimeout(this.startTimer);
    clearTimeout(this.idleTimer);
  }

  private fire(why: 'late' | 'stalled'): void {
    this.fired = why;
    this.controller.abort();
  }
}
