import { APIConnectionError, APIConnectionTimeoutError, APIError, OpenAIError } from 'openai';
import { CompilerError, ContextTooLongError } from '../base/errors';
import { contextOverflow } from './contextOverflow';
import { cutText } from '../shared/format';
import { retryAfterMs } from './retryAfterLimit';

/** What the error message needs to say something the user can act on. */
export interface FailureContext {
  baseURL: string;
  model?: string;
  maxRetries: number;
  timeoutMs: number;
  maxRetryAfterMs: number;
  /** True once the response started: a transport error then means the connection dropped mid-answer. */
  streaming: boolean;
  /** For a 404: the server's models, or `undefined` when they could not be listed. */
  serverModels?: string[];
  /** Whether the request carried an API key: a 401 then means the key was refused, else that one is needed. */
  keySent: boolean;
}

/**
 * What a server that is not an OpenAI-compatible API (a plain web server, another service) is told: it answered,
 * so the fault is the address, not the server being down.
 */
export const ENDPOINT_HINT = 'Is this an OpenAI-compatible endpoint? (Its base URL usually ends in /v1.)';

/** Statuses by which a server says it does not serve this API at all: retrying cannot help. */
const NOT_THIS_API = new Set([405, 501]);

/** True for errors that only a 404 listing of the server's models can explain fully. */
export function isNotFound(error: unknown): boolean {
  return error instanceof APIError && error.status === 404;
}

/** Any failure of the openai client as a `CompilerError` with a model reason. Aborts are handled by the caller. */
export function toModelError(error: unknown, ctx: FailureContext): CompilerError {
  if (error instanceof CompilerError) return error;
  const at = `the model server at ${ctx.baseURL}`;
  const attempts = `${ctx.maxRetries + 1} attempt${ctx.maxRetries === 0 ? '' : 's'}`;
  const fail = (reason: CompilerError['reason'], message: string) => new CompilerError(reason, message, { cause: error });

  if (error instanceof APIConnectionTimeoutError) {
    return fail('model-unreachable', `No answer from ${at} within ${seconds(ctx.timeoutMs)} s (${attempts}). Is it running and reachable?`);
  }
  if (error instanceof APIConnectionError) {
    const code = errorCode(error);
    return fail('model-unreachable', `Cannot reach ${at}${code ? ` (${code})` : ''}. Is the server running, and is the base URL right?`);
  }
  if (error instanceof APIError && error.status === undefined) {
    return fail('model-error', `${capital(at)} reported an error in the middle of the answer: ${serverMessage(error)}`);
  }
  if (error instanceof APIError && error.status !== undefined) return statusError(error, error.status, ctx, fail);
  if (error instanceof SyntaxError) {
    return fail('model-error', `${capital(at)} sent a malformed stream chunk (not JSON), so the answer was abandoned.`);
  }
  if (error instanceof OpenAIError) return fail('model-error', `${capital(at)} failed: ${describeBody(error.message)}`);
  if (ctx.streaming) {
    // The server answered and then stopped: it is there, so this is not "no server answers".
    return fail('model-error', `${capital(at)} closed the connection in the middle of the answer.`);
  }
  return fail('model-error', `Request to ${at} failed: ${describeBody(error instanceof Error ? error.message : String(error))}`);
}

function statusError(
  error: APIError,
  status: number,
  ctx: FailureContext,
  fail: (reason: CompilerError['reason'], message: string) => CompilerError,
): CompilerError {
  const at = `the model server at ${ctx.baseURL}`;
  const said = serverMessage(error);
  // The server's own words end the sentence, so none ends in two periods.
  const detail = said ? `: ${said.replace(/[.\s]+$/, '')}` : '';
  const webPage = said === WEB_PAGE;
  if (status === 401 || status === 403) {
    return fail(
      'model-auth',
      ctx.keySent
        ? `${capital(at)} refused the API key (${status})${detail}.`
        : `${capital(at)} asks for an API key (${status}) and none was sent${detail}.`,
    );
  }
  if (status === 404) {
    const model = ctx.model === undefined ? 'the model' : `model "${ctx.model}"`;
    if (ctx.serverModels === undefined) {
      return fail('model-not-found', `${capital(at)} has no ${model} (404), and its model list could not be read either. ${ENDPOINT_HINT}`);
    }
    const available =
      ctx.serverModels.length > 0
        ? `Available models: ${ctx.serverModels.join(', ')}.`
        : 'It lists no models at all (for Ollama, `ollama pull <model>` first).';
    return fail('model-not-found', `${capital(at)} has no ${model} (404). ${available}`);
  }
  if (status === 429) {
    const wait = error.headers ? retryAfterMs(error.headers) : undefined;
    const advice =
      wait !== undefined && wait > ctx.maxRetryAfterMs
        ? `It asks to wait ${seconds(wait)} s; try again later.`
        : `Gave up after ${ctx.maxRetries + 1} attempts; try again later.`;
    return fail('rate-limited', `${capital(at)} is rate-limiting requests (429)${detail}. ${advice}`);
  }
  const overflow = contextOverflow(error, status);
  if (overflow) {
    const model = ctx.model ?? 'the model';
    return new ContextTooLongError(`${capital(at)} refused the request as longer than ${model}'s context (${status})${detail}`, overflow, { cause: error });
  }
  if (NOT_THIS_API.has(status)) {
    return fail('model-error', `${capital(at)} does not serve chat completions (${status}${status === 501 ? ' Not Implemented' : ' Method Not Allowed'})${detail}. ${ENDPOINT_HINT}`);
  }
  const hint = webPage ? ` ${ENDPOINT_HINT}` : '';
  if (status === 408 || status === 409 || status >= 500) {
    return fail('model-error', `${capital(at)} failed (${status}) after ${ctx.maxRetries + 1} attempts${detail}.${hint}`);
  }
  return fail('model-error', `${capital(at)} rejected the request (${status})${detail}.${hint}`);
}

/** What the server said, bounded: an error body can be megabytes (a proxy's page, a dump), and it reaches logs and JSON. */
function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return describeBody(body && typeof body.message === 'string' ? body.message : error.message);
}

const MAX_SERVER_TEXT = 300;
const WEB_PAGE = 'an HTML page';

function describeBody(text: string): string {
  if (/^\s*(?:\d{3}\s+)?<(?:!doctype\s+html|html)\b/i.test(text.slice(0, 200))) return WEB_PAGE;
  return cutText(text, MAX_SERVER_TEXT);
}

/** The system error code (ECONNREFUSED, ENOTFOUND, …) somewhere in the cause chain. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
