// The error hierarchy of the product, and its reasons in plain data form, for events, summaries and the webview.

export type ErrorReason =
  // plans
  | 'plan-syntax'
  | 'unknown-tool'
  | 'invalid-args'
  | 'bad-reference'
  | 'duplicate-id'
  | 'unusable-plan'
  // tasks
  | 'tool-failed'
  | 'timeout'
  | 'dependency-failed'
  | 'path-escape'
  | 'protected-path'
  | 'not-found'
  | 'unsupported'
  // models
  | 'model-unreachable'
  | 'model-auth'
  | 'model-not-found'
  | 'rate-limited'
  /** A request did not fit the model's context, as the server said. */
  | 'context-too-long'
  /** The model's context cannot hold a plan and its answer, however short: nothing was run. */
  | 'context-too-small'
  | 'model-error'
  | 'no-model'
  | 'model-consent'
  | 'joiner-format'
  /** Function calling: the model still called tools at the last turn allowed. */
  | 'turn-limit'
  // anything else
  | 'internal';

export interface ErrorInfo {
  reason: ErrorReason;
  message: string;
}

/**
 * The one error type of the product. Code branches on `reason`, never on the message, which is for people.
 * Cancellation is not a `CompilerError`: it is an `AbortError` (see `isAbortError`) and its own outcome.
 */
export class CompilerError extends Error {
  override readonly name = 'CompilerError';

  constructor(
    readonly reason: ErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toInfo(): ErrorInfo {
    return { reason: this.reason, message: this.message };
  }
}

/**
 * A server's refusal of a request that does not fit the model's context, with its figures when it gives them
 * (llama.cpp's `n_ctx` and `n_prompt_tokens`, vLLM's "maximum context length is N"), so a retry can fit.
 */
export class ContextTooLongError extends CompilerError {
  constructor(
    message: string,
    readonly figures: { contextTokens?: number; promptTokens?: number } = {},
    options?: { cause?: unknown },
  ) {
    super('context-too-long', message, options);
  }
}

/** True for the errors an aborted `AbortSignal` produces, from fetch, child processes, timers or our own code. */
export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR')
  );
}

export function abortError(reason?: unknown): Error {
  if (reason instanceof Error && isAbortError(reason)) return reason;
  const error = new Error('The operation was cancelled', { cause: reason });
  error.name = 'AbortError';
  return error;
}

/** Throws an `AbortError` if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal.reason);
}

/** Any thrown value as `ErrorInfo`; unknown errors keep their message under reason `internal`. */
export function toErrorInfo(error: unknown, fallback: ErrorReason = 'internal'): ErrorInfo {
  if (error instanceof CompilerError) return error.toInfo();
  if (error instanceof Error) return { reason: fallback, message: error.message };
  return { reason: fallback, message: String(error) };
}
