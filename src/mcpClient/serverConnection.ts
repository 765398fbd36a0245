import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { PaginatedResultSchema, ToolSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { version } from '../../package.json';
import { CompilerError } from '../base/errors';
import type { JsonObject } from '../shared/json';
import { boundedFetch } from './boundedFetch';
import type { McpServerConfig } from './mcpConfig';
import { StdioTransport } from './stdioTransport';

export interface ConnectionLimits {
  /** Characters of one message a server sends; past it the message is cut while it is read. */
  maxMessageChars: number;
  /** Tools read from one server; the rest are left out. */
  maxTools: number;
  /** A server's stderr kept for messages: its last characters. */
  stderrTailChars: number;
  /** How long a stdio server may take to exit at each step of closing it. */
  exitGraceMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxMessageChars: 1_000_000,
  maxTools: 128,
  stderrTailChars: 4_096,
  exitGraceMs: 1_000,
};

/** Far beyond any task's time limit: the run's own limit and cancellation end a call (the SDK's default is 60 s). */
const NO_REQUEST_TIMEOUT = 24 * 3_600_000;
/** Pages of a tool list read at most. */
const MAX_PAGES = 16;

/** A tool as the server listed it, or why it could not be read. */
export type ListedTool = { tool: McpTool } | { name: string; problem: string };

/**
 * One MCP server the user named: started (or reached), initialised and its tools listed within a time limit; then
 * called by the tasks of every question until the session closes it.
 */
export class ServerConnection {
  private readonly client = new Client({ name: 'llm-compiler', version });
  private readonly transport: Transport;
  private stopped: string | undefined;
  private closing = false;
  /** The server's latest protocol complaint (a stray line on stdout, say), for messages. */
  private lastError: string | undefined;

  constructor(
    readonly config: McpServerConfig,
    private readonly limits: ConnectionLimits,
  ) {
    this.transport =
      config.transport === 'stdio'
        ? new StdioTransport(
            { command: config.command, args: config.args, env: config.env, cwd: config.cwd },
            { maxMessageChars: limits.maxMessageChars, stderrTailChars: limits.stderrTailChars, exitGraceMs: limits.exitGraceMs },
          )
        : new StreamableHTTPClientTransport(new URL(config.url), {
            requestInit: { headers: config.headers },
            fetch: boundedFetch(limits.maxMessageChars),
          });
    this.client.onerror = (error) => (this.lastError = error.message);
    this.client.onclose = () => {
      if (!this.closing) this.stopped ??= this.endDescription();
    };
  }

  /** The server process's pid (stdio), for tests and messages. */
  get pid(): number | undefined {
    return this.transport instanceof StdioTransport ? this.transport.pid : undefined;
  }

  /** Starts the server and reads its tools; rejects with a one-line reason, the server then stopped. */
  async start(signal: AbortSignal): Promise<ListedTool[]> {
    try {
      await this.client.connect(this.transport, { signal, timeout: NO_REQUEST_TIMEOUT });
      return await this.listTools(signal);
    } catch (error) {
      const reason = signal.aborted ? this.abortedDescription(signal) : this.failureDescription(error);
      await this.close();
      throw new CompilerError('tool-failed', reason);
    }
  }

  async call(tool: string, args: JsonObject, signal: AbortSignal): Promise<CallToolResult> {
    if (this.stopped) throw new CompilerError('tool-failed', `MCP server "${this.config.name}" is not running: ${this.stopped}`);
    try {
      return (await this.client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: NO_REQUEST_TIMEOUT })) as CallToolResult;
    } catch (error) {
      if (signal.aborted) throw error;
      // A server that ended during the call: say so, with what it last wrote.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.stopped) throw new CompilerError('tool-failed', `MCP server "${this.config.name}" stopped during the call: ${this.stopped}`);
      throw new CompilerError('tool-failed', `MCP server "${this.config.name}": ${message(error)}`);
    }
  }

  /** Ends the connection, and a stdio server with it (see `StdioTransport.close`). */
  async close(): Promise<void> {
    this.closing = true;
    this.stopped ??= 'it was closed';
    await this.client.close().catch(() => undefined);
    await this.transport.close().catch(() => undefined);
  }

  private async listTools(signal: AbortSignal): Promise<ListedTool[]> {
    const listed: ListedTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES && listed.length < this.limits.maxTools; page++) {
      // Read loosely, then tool by tool: one malformed tool (or one cut by the message limit) leaves the others.
      const result = await this.client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, PaginatedResultSchema, {
        signal,
        timeout: NO_REQUEST_TIMEOUT,
      });
      const tools = (result as { tools?: unknown }).tools;
      if (!Array.isArray(tools)) throw new Error('its tools/list answer has no "tools" list');
      for (const raw of tools) {
        if (listed.length >= this.limits.maxTools) break;
        const parsed = ToolSchema.safeParse(raw);
        if (parsed.success) listed.push({ tool: parsed.data });
        else listed.push({ name: toolNameOf(raw), problem: `the server describes it in a form MCP does not allow (${parsed.error.issues[0]?.message ?? 'invalid'})` });
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return listed;
  }

  private failureDescription(error: unknown): string {
    const ended = this.stopped ?? (this.transport instanceof StdioTransport && this.transport.exit ? this.endDescription() : undefined);
    if (ended) return ended;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && this.config.transport === 'stdio') return `could not start "${this.config.command}": no such program`;
    return message(error);
  }

  private abortedDescription(signal: AbortSignal): string {
    const reason: unknown = signal.reason;
    return reason instanceof CompilerError ? reason.message : 'cancelled';
  }

  /** How the server ended, with the last of its stderr. */
  private endDescription(): string {
    if (!(this.transport instanceof StdioTransport)) return `the connection to ${this.config.transport === 'http' ? this.config.url : 'it'} closed${this.lastError ? ` (${this.lastError})` : ''}`;
    const exit = this.transport.exit;
    const how = !exit ? 'its output closed' : exit.signal ? `it was ended by ${exit.signal}` : `it exited with code ${exit.code}`;
    const tail = this.transport.stderrLines(3);
    return `${how}${tail ? `; its last words: ${tail.slice(-500)}` : ''}`;
  }
}

function toolNameOf(raw: unknown): string {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '(unnamed)';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
