import { OpenAI } from 'openai';
import { checkResponses } from './responseChecks';
import { limitRetryAfter } from './retryAfterLimit';
import type { Fetch } from './retryAfterLimit';

/** Ollama's OpenAI-compatible endpoint: a local model works without any configuration. */
export const DEFAULT_BASE_URL = 'http://localhost:11434/v1';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;

/** Where and how to reach an OpenAI-compatible server. */
export interface OpenAIEndpointOptions {
  /** Default `http://localhost:11434/v1` (Ollama). */
  baseURL?: string;
  /**
   * Absent or empty: a placeholder, since local servers need none. Never read from the environment here, so a key
   * meant for one server is not sent to another; callers pass `OPENAI_API_KEY` explicitly where that is wanted.
   */
  apiKey?: string;
  /** Per attempt, until the response headers arrive. Default 120 000. */
  timeoutMs?: number;
  /** Retries of 408/409/429/5xx and connection errors, with backoff and `retry-after`. Default 2. */
  maxRetries?: number;
  /** A `retry-after` longer than this is not waited for: the request fails as rate-limited. Default 30 000. */
  maxRetryAfterMs?: number;
  fetch?: Fetch;
}

export function baseUrlOf(options: OpenAIEndpointOptions): string {
  return (options.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
}

export function createOpenAIClient(options: OpenAIEndpointOptions): OpenAI {
  return new OpenAI({
    baseURL: baseUrlOf(options),
    apiKey: options.apiKey || 'no-api-key',
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    fetch: checkResponses(
      limitRetryAfter(options.fetch ?? globalThis.fetch, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS),
      baseUrlOf(options),
    ),
    // Failures reach the user as CompilerErrors; the client's own console logging would only duplicate them.
    logLevel: 'off',
    // The organization/project environment variables belong to api.openai.com, not to arbitrary local servers.
    organization: null,
    project: null,
  });
}
