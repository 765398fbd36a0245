// The loopback model server's HTTP plumbing: request bodies, JSON and OpenAI-shaped error replies, and writes and
// waits that notice a closed connection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** An error in OpenAI's shape: `{ "error": { message, type, param, code } }`. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { param: null, code: null, ...error } }, headers);
}

/** Resolves once the data is handed to the socket, so a cut right after it still delivers it. */
export function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(data, () => resolve());
  });
}

/** Waits `ms` (≤ 0: not at all); false when the connection closed meanwhile. */
export async function waitMs(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms > 0 && !res.destroyed) {
    const closed = new AbortController();
    const onClose = () => closed.abort();
    res.once('close', onClose);
    try {
      await sleep(ms, undefined, { signal: closed.signal });
    } catch {
      // Closed meanwhile.
    } finally {
      res.off('close', onClose);
    }
  }
  return !res.destroyed;
}

export function untilClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.once('close', () => resolve());
  });
}
