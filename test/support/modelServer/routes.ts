// Every request the loopback model server takes: recorded, checked for its API key, then answered by the route of
// its method and path; `/_test/` paths are the control routes of a server run as its own process.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveChat } from './chatCompletions';
import { INVALID_API_KEY } from './faults';
import { readBody, sendError, sendJson } from './http';
import { listModels } from './context/metadata';
import { serveLmStudioModels, serveOllamaRunning, serveOllamaShow, serveProps, serveTokenize } from './context/contextWindow';
import type { RecordedRequest, ServerState } from './serverState';
import { sinceStart } from './serverState';
import { compileScript } from './testServerScript';
import type { Script } from './testServerScript';

interface Route {
  method: 'GET' | 'POST';
  path: string;
  serve(state: ServerState, res: ServerResponse, record: RecordedRequest, body: string): void | Promise<void>;
}

/** What the server answers, by method and path. */
const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/v1/models', serve: (state, res) => listModels(state, res) },
  { method: 'POST', path: '/v1/chat/completions', serve: (state, res, record, body) => serveChat(state, record, body, res) },
  // Each answers only when the server plays its kind, as the other kinds have no such path.
  { method: 'GET', path: '/props', serve: (state, res) => serveProps(state, res) },
  { method: 'POST', path: '/tokenize', serve: (state, res, _record, body) => serveTokenize(state, res, body) },
  { method: 'GET', path: '/api/v0/models', serve: (state, res) => serveLmStudioModels(state, res) },
  { method: 'GET', path: '/api/ps', serve: (state, res) => serveOllamaRunning(state, res) },
  { method: 'POST', path: '/api/show', serve: (state, res) => serveOllamaShow(state, res) },
];

export async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const body = await readBody(req);
  if (url.pathname.startsWith('/_test/')) return control(state, url.pathname, req.method ?? 'GET', body, res);

  const record: RecordedRequest = {
    index: state.requests.length,
    method: req.method ?? 'GET',
    path: url.pathname,
    at: sinceStart(state),
    authorization: req.headers.authorization,
  };
  state.requests.push(record);
  res.on('close', () => {
    record.status = res.statusCode;
    record.end ??= state.closing ? 'server-closed' : res.writableFinished ? 'completed' : 'client-closed';
    state.events.emit('end', record);
  });
  state.events.emit('request', record);

  if (state.options.apiKey !== undefined && req.headers.authorization !== `Bearer ${state.options.apiKey}`) {
    return sendError(res, 401, INVALID_API_KEY);
  }
  const route = ROUTES.find((r) => r.method === req.method && r.path === url.pathname);
  if (route) return route.serve(state, res, record, body);
  sendError(res, 404, {
    message: `Unknown request URL: ${req.method} ${url.pathname}`,
    type: 'invalid_request_error',
    code: 'unknown_url',
  });
}

function control(state: ServerState, path: string, method: string, body: string, res: ServerResponse): void {
  if (method === 'GET' && path === '/_test/requests') return sendJson(res, 200, state.requests);
  if (method === 'POST' && path === '/_test/script') {
    state.script = compileScript(JSON.parse(body) as Script);
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'POST' && path === '/_test/reset') {
    state.requests.length = 0;
    state.chatCount = 0;
    return sendJson(res, 200, { ok: true });
  }
  sendError(res, 404, { message: `Unknown control URL: ${method} ${path}`, type: 'invalid_request_error' });
}
