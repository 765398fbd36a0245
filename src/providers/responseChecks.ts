import { CompilerError } from '../base/errors';
import { clip } from '../shared/format';
import { ENDPOINT_HINT } from './openaiErrors';
import type { Fetch } from './retryAfterLimit';

/** Statuses that say the server does not serve the request at all, so a retry gets the same answer. */
const NEVER_SERVED = new Set([501]);

/** Bytes of a stream's opening read to name what it is when it is not server-sent events. */
const HEAD_BYTES = 120;

/**
 * What the openai client is given to fetch with: a response that cannot get better is marked not to be retried
 * (`x-should-retry: false`, which the client obeys), and a `text/event-stream` body that opens as a web page or as
 * JSON fails at its first bytes with a message naming it. Server-sent events never begin with `<`, `{` or `[`; the
 * client's parser would skip such lines without a word, and the reply would look empty.
 */
export function checkResponses(fetchImpl: Fetch, baseURL: string): Fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (NEVER_SERVED.has(response.status)) {
      const headers = new Headers(response.headers);
      headers.set('x-should-retry', 'false');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }
    if (!response.ok || !response.body || !/event-stream/i.test(response.headers.get('content-type') ?? '')) return response;
    const body = response.body.pipeThrough(eventStreamCheck(baseURL));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** Passes the body through once its first visible character is one that server-sent events can start with. */
function eventStreamCheck(baseURL: string): TransformStream<Uint8Array, Uint8Array> {
  let head = new Uint8Array(0);
  let checked = false;
  return new TransformStream({
    transform(chunk, controller) {
      if (checked) return controller.enqueue(chunk);
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      head = joined;
      const first = firstVisible(head);
      if (first === undefined && head.length < HEAD_BYTES) return;
      checked = true;
      if (first !== undefined && '<{['.includes(first)) {
        throw notEvents(baseURL, first, new TextDecoder().decode(head.subarray(0, HEAD_BYTES)));
      }
      controller.enqueue(head);
    },
    flush(controller) {
      if (!checked && head.length) controller.enqueue(head);
    },
  });
}

/** The first character past whitespace and a byte-order mark, if the bytes hold one. */
function firstVisible(bytes: Uint8Array): string | undefined {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
    return String.fromCharCode(byte);
  }
  return undefined;
}

function notEvents(baseURL: string, first: string, head: string): CompilerError {
  const what = first === '<' ? 'a web page (HTML)' : 'JSON';
  const opening = clip(head, 80);
  return new CompilerError(
    'model-error',
    `The model server at ${baseURL} sent ${what} labelled as a stream of events (text/event-stream), not chat-completion chunks; it began: ${opening}. ${ENDPOINT_HINT}`,
  );
}
