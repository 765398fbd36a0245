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
}

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
    return fail('model-unreachable', `The connection to ${at} closed in the middle of the answer.`);
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
  const detail = said ? `: ${said}` : '';
  if (status === 401 || status === 403) {
    return fail(
      'model-auth',
      `${capital(at)} refused the API key (${status})${detail}. Run "LLM Compiler: Set API Key" or set OPENAI_API_KEY.`,
    );
  }
  if (status === 404) {
    const model = ctx.model === undefined ? 'the model' : `model "${ctx.model}"`;
    if (ctx.serverModels === undefined) {
      return fail(
        'model-not-found',
        `${capital(at)} has no ${model} (404), and its model list could not be read either: is ${ctx.baseURL} an OpenAI-compatible API base URL (usually ending in /v1)?`,
      );
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
  if (status === 408 || status === 409 || status >= 500) {
    return fail('model-error', `${capital(at)} failed (${status}) after ${ctx.maxRetries + 1} attempts${detail}`);
  }
  return fail('model-error', `${capital(at)} rejected the request (${status})${detail}`);
}

/** What the server said, bounded: an error body can be megabytes (a proxy's page, a dump), and it reaches logs and JSON. */
function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return describeBody(body && typeof body.message === 'string' ? body.message : error.message);
}

const MAX_SERVER_TEXT = 300;

function describeBody(text: string): string {
  if (/^\s*(?:\d{3}\s+)?<(?:!doctype\s+html|html)\b/i.test(text.slice(0, 200))) return 'an HTML page';
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
