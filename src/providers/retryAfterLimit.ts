/** The fetch signature the openai client accepts. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The openai client retries 408/409/429/5xx and honours `retry-after` however long it is. A fetch wrapper marks
 * responses asking for a wait above `maxWaitMs` as not retryable (`x-should-retry: false`), so the user hears about
 * the rate limit at once instead of waiting minutes behind a spinner.
 */
export function limitRetryAfter(fetchImpl: Fetch, maxWaitMs: number): Fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const waitMs = retryAfterMs(response.headers);
    if (response.ok || waitMs === undefined || waitMs <= maxWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** The wait a response asks for (`retry-after-ms`, or `retry-after` in seconds or as a date), if any. */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(ms)) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
