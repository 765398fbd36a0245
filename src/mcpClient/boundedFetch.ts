import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { MessageLines } from './messageLines';

/**
 * A fetch whose response bodies are read through `MessageLines`: a JSON reply, or each event of an event stream,
 * longer than `maxChars` is cut while it arrives, so an HTTP server cannot make the client hold more than that.
 */
export function boundedFetch(maxChars: number, base: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!response.body) return response;
    const lines = new MessageLines(maxChars);
    const bounded = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(
        new TransformStream<string, string>({
          transform: (chunk, controller) => {
            for (const line of lines.push(chunk)) controller.enqueue(`${line}\n`);
          },
          flush: (controller) => {
            for (const line of lines.flush()) controller.enqueue(line);
          },
        }),
      )
      .pipeThrough(new TextEncoderStream());
    const headers = new Headers(response.headers);
    // The body may be shorter now.
    headers.delete('content-length');
    return new Response(bounded, { status: response.status, statusText: response.statusText, headers });
  };
}
