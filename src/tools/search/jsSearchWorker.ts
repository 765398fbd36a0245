// Worker entry of the grep fallback: matching a line is synchronous and a huge line with a costly regex takes
// seconds, so the search runs here, where it cannot hold the main thread, which terminates this thread to cancel.
import { parentPort } from 'node:worker_threads';
import { CompilerError, isAbortError } from '../../base/errors';
import { IgnoreRules } from '../paths/ignoreRules';
import type { JsSearchRequest, JsSearchResponse } from './jsSearch';
import { searchFiles } from './lineSearch';
import type { RgRegex } from './rustRegex';
import { compileRgRegex } from './rustRegex';

const port = parentPort;
if (!port) throw new Error('jsSearchWorker runs as a worker thread only.');
const post = (response: JsSearchResponse): void => port.postMessage(response);

/** Per running search: what resumes it once the main thread has taken its last batch, and what stops it. */
const resume = new Map<number, (more: boolean) => void>();
const stops = new Map<number, AbortController>();

port.on('message', (request: JsSearchRequest) => {
  if (request.kind === 'search') {
    void search(request);
    return;
  }
  if (request.kind === 'columns') {
    void columns(request);
    return;
  }
  if (request.kind === 'stop') stops.get(request.id)?.abort();
  const next = resume.get(request.id);
  resume.delete(request.id);
  next?.(request.kind === 'more');
});

async function search({ id, root, excludeGlobs, query }: Extract<JsSearchRequest, { kind: 'search' }>): Promise<void> {
  const controller = new AbortController();
  stops.set(id, controller);
  try {
    // One batch at a time: the search waits until the main thread has taken it, so a capped search stops early
    // and the lines waiting to be taken stay few.
    const { complete, tooLarge } = await searchFiles({ root, rules: new IgnoreRules(root, excludeGlobs), signal: controller.signal }, query, (hits) => {
      post({ kind: 'hits', id, hits });
      return new Promise((resolve) => resume.set(id, resolve));
    });
    if (!controller.signal.aborted) post({ kind: 'done', id, complete, tooLarge });
  } catch (error) {
    if (controller.signal.aborted && isAbortError(error)) return;
    post({
      kind: 'error',
      id,
      ...(error instanceof CompilerError ? { reason: error.reason } : {}),
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    stops.delete(id);
    resume.delete(id);
  }
}

/** The last pattern compiled for columns: a call's lines come in one request, the next call often asks again. */
let lastColumns: { key: string; matcher: Promise<RgRegex> } | undefined;

async function columns({ id, pattern, caseSensitive, lines }: Extract<JsSearchRequest, { kind: 'columns' }>): Promise<void> {
  try {
    const key = `${caseSensitive}\0${pattern}`;
    if (lastColumns?.key !== key) lastColumns = { key, matcher: compileRgRegex(pattern, caseSensitive) };
    const re = await lastColumns.matcher;
    post({ kind: 'columns', id, columns: lines.map((line) => re.find(line) + 1) });
  } catch {
    // rg printed these lines, so it accepted the pattern; should the engine differ, the lines keep column 1.
    post({ kind: 'columns', id, columns: lines.map(() => 1) });
  }
}
