// Scripted faults: refusals sent at once with an error status, a request never answered, a web server's page, and
// streams that stall, are cut, break their JSON, send a field of the wrong type, are a web page or report an error
// midway.
import type { ServerResponse } from 'node:http';
import { ChatStream } from './chatStream';
import { sendError, untilClosed, write } from './http';
import { prefill, readPrompt } from './serving/prefixCache';
import type { RecordedRequest, ServerState } from './serverState';
import { computeSchedule, shapeReply } from './testServerReply';
import type { Fault } from './testServerScript';

/** OpenAI's answer to a missing or wrong API key. */
export const INVALID_API_KEY = { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' };

interface Refusal {
  status: number;
  error: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * What a fault sent at once answers: its status, error body and headers, in OpenAI's shape. Undefined for the
 * faults that begin an answer (or never give one).
 */
function refusalOf(f: Fault, model: string): Refusal | undefined {
  switch (f.fault) {
    case 'auth':
      return { status: 401, error: INVALID_API_KEY };
    case 'model-not-found':
      return {
        status: 404,
        error: {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
      };
    case 'rate-limit':
      return {
        status: 429,
        error: { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' },
        headers: { 'retry-after': String(f.retryAfter ?? 1) },
      };
    case 'server-error':
      return { status: f.status ?? 500, error: { message: 'The server had an error while processing your request.', type: 'server_error' } };
    case 'context-too-long':
      return {
        status: 400,
        error: {
          message: "This model's maximum context length is 8192 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      };
    case 'http':
      return { status: f.status, error: f.error ?? { message: `Scripted status ${f.status}`, type: 'server_error' }, headers: f.headers };
    default:
      return undefined;
  }
}

export async function serveFault(state: ServerState, record: RecordedRequest, f: Fault, res: ServerResponse): Promise<void> {
  record.reply = { fault: f.fault };
  const refusal = refusalOf(f, record.chat?.model ?? '');
  if (refusal) return sendError(res, refusal.status, refusal.error, refusal.headers);
  if (f.fault === 'hang') return untilClosed(res);
  if (f.fault === 'web-page') return sendPage(res, f.status, 'text/html; charset=utf-8');
  if (f.fault === 'html-stream') return sendPage(res, 200, 'text/event-stream');
  if (f.fault === 'stall' || f.fault === 'cut' || f.fault === 'malformed' || f.fault === 'stream-error' || f.fault === 'wrong-content') {
    return brokenStream(state, record, f, res);
  }
}

/** A web server's page, as Python's http.server words its errors. */
function sendPage(res: ServerResponse, status: number, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(
    `<!DOCTYPE HTML>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error response</title></head>\n` +
      `<body><h1>Error response</h1><p>Error code: ${status}</p></body>\n</html>\n`,
  );
}

/** Headers and the first `afterChunks` chunks of the fault's text on the server's clock, then the fault itself. */
async function brokenStream(
  state: ServerState,
  record: RecordedRequest,
  f: Extract<Fault, { fault: 'stall' | 'cut' | 'malformed' | 'stream-error' | 'wrong-content' }>,
  res: ServerResponse,
): Promise<void> {
  const request = record.chat!;
  const shaped = shapeReply(f.text ?? 'Partial answer that never finishes', request.stop, request.maxTokens);
  const pieces = shaped.pieces.slice(0, f.afterChunks ?? 2);
  const read = readPrompt(state.cache, request.body, state.chatTemplate);
  record.schedule = computeSchedule({ tokens: read.tokens.length, cached: read.cached }, shaped, state.latency);
  const stream = new ChatStream(res, `chatcmpl-${record.index}`, request.model, request.includeUsage && state.reportUsage);
  if (!(await prefill(res, record.schedule.ttftMs, read))) return;
  await stream.pieces(pieces, record.schedule);
  if (f.fault === 'stall') return untilClosed(res);
  if (f.fault === 'cut') {
    record.end = 'server-cut';
    res.socket?.destroy();
    return;
  }
  if (f.fault === 'malformed') await write(res, 'data: {"id": "chatcmpl-broken", "choices": [\n\n');
  else if (f.fault === 'wrong-content') await stream.send({ content: f.content }, null);
  else await write(res, `data: ${JSON.stringify({ error: { message: f.message ?? 'The model crashed.', type: 'server_error' } })}\n\n`);
  await write(res, 'data: [DONE]\n\n');
  res.end();
}
