import type { APIError } from 'openai';

/** What a server said of a request that does not fit: the model's context and the prompt's size, as far as it said. */
export interface OverflowFigures {
  contextTokens?: number;
  promptTokens?: number;
}

/**
 * A server's refusal of a request longer than the model's context, in the shapes the servers document, with the
 * figures it gives; undefined when the error is something else.
 * - llama.cpp: 400 `{"error": {"type": "exceed_context_size_error", "n_prompt_tokens": P, "n_ctx": N, "message":
 *   "request (P tokens) exceeds the available context size (N tokens), try increasing it"}}`;
 * - OpenAI: 400 `code: "context_length_exceeded"`, "This model's maximum context length is N tokens. However, your
 *   messages resulted in P tokens…";
 * - vLLM: 400 "This model's maximum context length is N tokens. However, you requested T tokens (P in the messages, C
 *   in the completion). Please reduce the length of the messages or completion." (type `BadRequestError`, no code);
 * - LM Studio: 400 `{"error": "Trying to keep the first P tokens when context the overflows. However, the model is
 *   loaded with context length of only N tokens, which is not enough. …"}`;
 * - any server: 413 Payload Too Large.
 */
export function contextOverflow(error: APIError, status: number): OverflowFigures | undefined {
  const body: unknown = error.error;
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = typeof body === 'string' ? body : typeof fields.message === 'string' ? fields.message : error.message;
  const number = (pattern: RegExp) => {
    const match = pattern.exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const figures = (contextTokens: number | undefined, promptTokens: number | undefined): OverflowFigures => ({
    ...(contextTokens ? { contextTokens } : {}),
    ...(promptTokens ? { promptTokens } : {}),
  });
  if (error.type === 'exceed_context_size_error' || error.code === 'exceed_context_size_error') {
    return figures(positive(fields.n_ctx) ?? number(/context size \((\d+) tokens\)/), positive(fields.n_prompt_tokens) ?? number(/request \((\d+) tokens\)/));
  }
  const openai = error.code === 'context_length_exceeded' || error.code === 'string_above_max_length';
  if (openai || (status === 400 && /maximum context length is \d+/i.test(text))) {
    return figures(number(/maximum context length is (\d+)/i), number(/\((\d+) in the messages/) ?? number(/resulted in (\d+) tokens/));
  }
  if (status === 400 && /context length of only \d+ tokens/i.test(text)) {
    return figures(number(/context length of only (\d+) tokens/i), number(/keep the first (\d+) tokens/i));
  }
  return status === 413 ? {} : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
