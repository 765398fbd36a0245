import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, ServerNotification, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { toErrorInfo } from '../base/errors';
import type { ErrorInfo } from '../base/errors';
import { ASK_SPEC, bindAskArgs } from '../host/askCall';
import { inputSchemaOf } from '../shared/toolContract';
import type { RunModels, Session } from '../host/session';
import type { ToolGate } from '../host/toolGate';
import { summaryRecord } from '../host/summaryRecord';
import { formatMs } from '../shared/format';
import type { JsonObject } from '../shared/json';
import type { RunSettings } from '../shared/runSettings';
import { DEFAULT_RUN_SETTINGS } from '../shared/runSettings';
import { runFigures } from '../surfaces/runFooter';
import { ASK_OUTPUT_SCHEMA, askProgress, askResultText } from './askTool';

export interface CompilerServerOptions {
  /** Name and version the server gives clients. */
  name: string;
  version: string;
  /** The tools, and the results a later question reuses while what they read is unchanged. */
  session: Session;
  /** Workspace roots, absolute. */
  roots: string[];
  /** The models of every question, or how to find them when a question comes. */
  models: RunModels | ((signal: AbortSignal) => Promise<RunModels>);
  /** The run settings of every question: the mode is the default of `ask`, `runTimeoutMs` the limit of each. */
  settings: Partial<RunSettings>;
  /** Where the server says what it does; never stdout, which carries the protocol. */
  log: (line: string) => void;
  /** What the server's user can do about a failure, in words for where the server is configured. */
  advice?: (error: ErrorInfo) => string | undefined;
  /** The bound on the session's tool calls, when it has one: a direct call that must wait says so as progress. */
  gate?: ToolGate;
}

/**
 * The compiler as an MCP server: the workspace tools, read-only, under their own names, and `ask`, which answers a
 * whole question. Every call is checked as a planned task is, so a bad argument is a tool error with the planner's
 * message; cancelling a request aborts its tool or run, child processes included.
 */
export class CompilerServer {
  readonly server: Server;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly options: CompilerServerOptions) {
    this.server = new Server(
      { name: options.name, version: options.version },
      {
        capabilities: { tools: {} },
        instructions:
          'Tools for reading the workspace at ' +
          options.roots.join(', ') +
          '. Call ask with a whole question to have it planned and answered with path:line citations; call the other tools for single lookups.',
      },
    );
    this.server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => ({ tools: await this.listTools(extra.signal) }));
    this.server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      const signal = AbortSignal.any([extra.signal, this.shutdown.signal]);
      const args = request.params.arguments as JsonObject | undefined;
      if (request.params.name !== ASK_SPEC.name) {
        const long = longestString(args);
        // Refused before anything runs: a longer path, pattern or glob is no real one, and a program given it
        // as an argument would fail to start (E2BIG).
        if (long > MAX_TOOL_STRING) {
          throw new McpError(ErrorCode.InvalidParams, `${request.params.name}: an argument of ${long} characters; at most ${MAX_TOOL_STRING} are taken`);
        }
      }
      const progressToken = request.params._meta?.progressToken;
      const report =
        progressToken === undefined
          ? undefined
          : (p: { progress: number; total: number; message: string }) => void extra.sendNotification(progressNotification(progressToken, p)).catch(() => undefined);
      const call = request.params.name === ASK_SPEC.name ? this.ask(args, signal, report) : this.callTool(request.params.name, args, signal, report);
      const tracked = call.catch((error: unknown): CallToolResult => {
        // Whatever went wrong is this call's error, not the server's end.
        this.options.log(`${request.params.name}: ${toErrorInfo(error).message}`);
        return errorResult(toErrorInfo(error).message);
      });
      this.inFlight.add(tracked);
      void tracked.finally(() => this.inFlight.delete(tracked));
      return tracked;
    });
  }

  async listTools(signal: AbortSignal): Promise<McpTool[]> {
    const registry = await this.options.session.tools(signal);
    // The workspace's own tools; the external ones (--mcp-config) are for `ask` to plan with, not to pass through.
    const workspaceTools = registry.specs().filter((spec) => !spec.origin).map(
      (spec): McpTool => ({
        name: spec.name,
        description: spec.description,
        inputSchema: inputSchemaOf(spec) as McpTool['inputSchema'],
        annotations: { readOnlyHint: true, openWorldHint: false },
      }),
    );
    const ask: McpTool = {
      name: ASK_SPEC.name,
      title: 'Ask about this codebase',
      description: ASK_SPEC.description,
      inputSchema: inputSchemaOf(ASK_SPEC) as McpTool['inputSchema'],
      outputSchema: ASK_OUTPUT_SCHEMA as McpTool['outputSchema'],
      // Reads the workspace only, but sends what it reads to the model server.
      annotations: { readOnlyHint: true, openWorldHint: true },
    };
    return [...workspaceTools, ask];
  }

  /** Resolves once no call is in flight. */
  async idle(): Promise<void> {
    // A request read with the last input starts its handler a moment later.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Aborts every call in flight and waits until they have stopped (their child processes with them). */
  async close(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.inFlight]);
    await this.server.close();
  }

  private async callTool(name: string, args: JsonObject | undefined, signal: AbortSignal, report?: (p: { progress: number; total: number; message: string }) => void): Promise<CallToolResult> {
    const { settings, gate } = this.options;
    const origin = (await this.options.session.tools(signal)).get(name)?.origin;
    if (origin) return errorResult(`${name} is a tool of MCP server "${origin.name}", which this server does not pass through; ask a question instead.`);
    const call = () => this.options.session.callTool(name, args, { roots: this.options.roots, settings, signal });
    // A direct call waits for its turn before its time limit starts; a client that asked for progress hears why.
    const queued = (ahead: number) => report?.({ progress: 0, total: 1, message: `queued: ${gate!.limit} tool calls are running, ${ahead} more wait ahead of this one` });
    const record = gate ? await gate.run(signal, call, queued) : await call();
    this.options.log(`${name}: ${record.status}${record.ms ? ` ${formatMs(record.ms)}` : ''}${record.error ? ` (${record.error.message})` : ''}`);
    if (record.status === 'ok' || record.status === 'cached') return { content: [{ type: 'text', text: record.text }] };
    return errorResult(record.text || 'Cancelled.');
  }

  private async ask(args: JsonObject | undefined, signal: AbortSignal, report?: (p: { progress: number; total: number; message: string }) => void): Promise<CallToolResult> {
    let bound;
    try {
      bound = bindAskArgs(args);
    } catch (error) {
      return errorResult(`Error: ${toErrorInfo(error).message}`);
    }
    const mode = bound.mode ?? this.options.settings.mode ?? DEFAULT_RUN_SETTINGS.mode;
    this.options.log(`ask (${mode}): ${bound.question}`);
    const { models, advice } = this.options;
    let chosen: RunModels;
    try {
      chosen = typeof models === 'function' ? await models(signal) : models;
    } catch (error) {
      if (signal.aborted) throw error;
      const info = toErrorInfo(error, 'model-unreachable');
      this.options.log(`ask: ${info.message}`);
      const help = advice?.(info);
      return errorResult(`The question could not be answered: ${info.message}${help ? `\n${help}` : ''}`);
    }
    const summary = await this.options.session.ask({
      question: bound.question,
      models: chosen,
      roots: this.options.roots,
      // The question's one time limit is the run's own (`runTimeoutMs`): past it the run fails as `timeout`.
      settings: { ...this.options.settings, mode },
      signal,
      ...(report ? { observer: askProgress(report) } : {}),
    });
    this.options.log(`ask: ${summary.outcome}${summary.error ? ` (${summary.error.message})` : ''} · ${runFigures(summary)}`);
    return {
      content: [{ type: 'text', text: askResultText(summary, summary.error && advice?.(summary.error)) }],
      structuredContent: { ...summaryRecord(summary) },
      ...(summary.outcome === 'answered' ? {} : { isError: true }),
    };
  }
}

/** The longest string a workspace tool's arguments may hold. */
export const MAX_TOOL_STRING = 32 * 1024;

/** The length of the longest string in `value`, looked for without recursion (the transport bounds its depth). */
function longestString(value: unknown): number {
  let longest = 0;
  const stack = [value];
  while (stack.length) {
    const item = stack.pop();
    if (typeof item === 'string') longest = Math.max(longest, item.length);
    else if (item !== null && typeof item === 'object') for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push(child);
  }
  return longest;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function progressNotification(progressToken: string | number, p: { progress: number; total: number; message: string }): ServerNotification {
  return { method: 'notifications/progress', params: { progressToken, ...p } };
}
