import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The longest message a client may send: far above any real request, far below what would strain memory. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** The deepest nesting of a message: arguments deeper than this are no tool's and could overflow the stack later. */
export const MAX_MESSAGE_DEPTH = 64;

/** One line read, or the news that a line went over the limit (its bytes were dropped as they came). */
export type LineItem = { line: string } | { tooLong: true };

/**
 * Splits a byte stream into lines of at most `maxBytes`, incrementally: each byte is looked at once, a line's chunks
 * are joined once, and a line over the limit is dropped as it streams in, so memory stays bounded by the limit.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): LineItem[] {
    const items: LineItem[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, nl));
      items.push(this.endLine());
      start = nl + 1;
    }
    this.take(chunk.subarray(start));
    return items;
  }

  /** The last line, when the stream ended without a newline. */
  flush(): LineItem[] {
    return this.size || this.dropping ? [this.endLine()] : [];
  }

  private take(bytes: Buffer): void {
    if (this.dropping || !bytes.length) return;
    if (this.size + bytes.length > this.maxBytes) {
      this.dropping = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private endLine(): LineItem {
    const item: LineItem = this.dropping ? { tooLong: true } : { line: Buffer.concat(this.parts, this.size).toString('utf8').replace(/\r$/, '') };
    this.parts = [];
    this.size = 0;
    this.dropping = false;
    return item;
  }
}

/** How deep `value` nests, counted without recursion, stopping once past `max`. */
export function depthOver(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * MCP over stdio, one JSON-RPC message a line, that answers what it cannot take and keeps serving: a line over
 * `MAX_MESSAGE_BYTES` or one that is not JSON gets -32700 (parse error), a request nested deeper than
 * `MAX_MESSAGE_DEPTH` -32602 (invalid params), anything else that is not JSON-RPC -32600. The SDK's stdio transport
 * instead ends the session at an over-long line and answers nothing to a line it cannot parse.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly lines = new LineSplitter(MAX_MESSAGE_BYTES);
  private closed = false;

  constructor(
    private readonly stdin: Readable,
    private readonly stdout: Writable,
  ) {}

  async start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.on('error', this.onInputError);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await this.write(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.off('error', this.onInputError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer | string) => {
    for (const item of this.lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) this.take(item);
  };

  private readonly onEnd = () => {
    for (const item of this.lines.flush()) this.take(item);
  };

  private readonly onInputError = (error: Error) => this.onerror?.(error);

  private take(item: LineItem): void {
    if ('tooLong' in item) return this.refuse(null, ErrorCode.ParseError, `Parse error: a message over ${MAX_MESSAGE_BYTES} bytes`);
    if (!item.line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(item.line);
    } catch {
      return this.refuse(null, ErrorCode.ParseError, 'Parse error: the line is not JSON');
    }
    const id = requestIdOf(value);
    if (depthOver(value, MAX_MESSAGE_DEPTH)) {
      return this.refuse(id, ErrorCode.InvalidParams, `Invalid params: nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) return this.refuse(id, ErrorCode.InvalidRequest, 'Invalid request: not a JSON-RPC 2.0 message');
    this.onmessage?.(parsed.data);
  }

  /** Answers a message it cannot take, and tells `onerror` (the server's log). */
  private refuse(id: string | number | null, code: number, message: string): void {
    this.onerror?.(new Error(message));
    void this.write({ jsonrpc: '2.0', id, error: { code, message } }).catch(() => undefined);
  }

  private write(message: object): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stdout.destroyed) return reject(new Error('stdout is closed'));
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }
}

/** The id of a request, for its error reply; null for anything else. */
function requestIdOf(value: unknown): string | number | null {
  if (value === null || typeof value !== 'object' || !('id' in value) || !('method' in value)) return null;
  const { id } = value as { id: unknown };
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
