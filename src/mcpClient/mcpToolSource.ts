import { CompilerError } from '../base/errors';
import type { ExternalToolsReport } from '../shared/externalTools';
import type { Tool, ToolOrigin } from '../shared/toolContract';
import { externalTool, externalToolName } from './externalTool';
import type { ConfigEntry } from './mcpConfig';
import { DEFAULT_CONNECTION_LIMITS, ServerConnection } from './serverConnection';
import type { ConnectionLimits } from './serverConnection';
import { toolGlobs } from './toolGlobs';

export interface McpToolsOptions {
  /** `--allow-tool` patterns: tool names, `*` and `?` allowed, that offer tools not marked read-only. */
  allow: readonly string[];
  /** How long a server may take to start and list its tools (milliseconds). */
  startupTimeoutMs: number;
  /** Aborting it stops starting servers (the ones started are closed). */
  signal: AbortSignal;
  limits?: Partial<ConnectionLimits>;
}

export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

/** The tools of the MCP servers a session was given, and what it was offered. */
export interface McpTools {
  readonly tools: readonly Tool[];
  readonly report: ExternalToolsReport;
  /** Each started server's process id (stdio servers), by server name. */
  readonly pids: ReadonlyMap<string, number>;
  /** Closes every server (a stdio server's process ends with it). */
  close(): Promise<void>;
}

/**
 * Starts every server at once, each within the start-up limit; a server that fails is named in the report and left
 * out. Offers each server's tools marked read-only (`annotations.readOnlyHint: true`), and the others only when an
 * `allow` pattern names them; the report says which were held back and why. Tools are listed once: the planner's
 * tool list stays the same for every question of the session.
 */
export async function connectMcpServers(entries: readonly ConfigEntry[], options: McpToolsOptions): Promise<McpTools> {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const allow = toolGlobs(options.allow);
  const report: ExternalToolsReport = { type: 'external-tools', offered: [], heldBack: [], failed: [], unmatchedAllows: [] };
  const connections: ServerConnection[] = [];
  const started = await Promise.all(
    entries.map(async (entry) => {
      const origin: ToolOrigin = { kind: 'mcp', name: entry.name };
      if ('problem' in entry) return { origin, failure: `not started: ${entry.problem} (${entry.file})` };
      const connection = new ServerConnection(entry.server, limits);
      connections.push(connection);
      const limit = new CompilerError('timeout', `did not start within ${Math.round(options.startupTimeoutMs / 100) / 10} s`);
      const signal = AbortSignal.any([options.signal, timeoutSignal(options.startupTimeoutMs, limit)]);
      try {
        return { origin, connection, listed: await connection.start(signal) };
      } catch (error) {
        return { origin, failure: error instanceof Error ? error.message : String(error) };
      }
    }),
  );

  const tools: Tool[] = [];
  const pids = new Map<string, number>();
  for (const server of started) {
    if ('failure' in server) {
      report.failed.push({ origin: server.origin, message: server.failure ?? 'did not start' });
      continue;
    }
    const { connection, origin, listed } = server;
    if (connection.pid !== undefined) pids.set(origin.name, connection.pid);
    const call = connection.call.bind(connection);
    for (const item of listed) {
      if ('problem' in item) {
        report.heldBack.push({ name: externalToolName(origin.name, item.name), origin, tool: item.name, reason: item.problem });
        continue;
      }
      const name = externalToolName(origin.name, item.tool.name);
      const pattern = allow.match(name);
      if (item.tool.annotations?.readOnlyHint !== true && pattern === undefined) {
        const said = item.tool.annotations?.readOnlyHint === false ? 'marked as not read-only' : 'not marked read-only';
        report.heldBack.push({ name, origin, tool: item.tool.name, reason: `${said} (--allow-tool ${name} offers it)` });
        continue;
      }
      const tool = externalTool(origin, item.tool, call);
      if ('problem' in tool) {
        report.heldBack.push({ name, origin, tool: item.tool.name, reason: tool.problem });
        continue;
      }
      tools.push(tool);
      report.offered.push({ name, origin, tool: item.tool.name, ...(item.tool.annotations?.readOnlyHint === true ? {} : { allowedBy: pattern }) });
    }
  }
  report.unmatchedAllows = allow.unmatched();
  return {
    tools,
    report,
    pids,
    close: async () => {
      await Promise.allSettled(connections.map((c) => c.close()));
    },
  };
}

/** A signal that aborts with `reason` after `ms`, without keeping the process alive. */
function timeoutSignal(ms: number, reason: Error): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), ms).unref();
  return controller.signal;
}

/**
 * Two offered tools (of the workspace, or of servers) with one name: the message for a clash, or undefined. Names
 * are compared as plans write them, after the replacement of other characters by `_`.
 */
export function nameClash(taken: readonly string[], tools: readonly Tool[]): string | undefined {
  const owner = new Map<string, string>(taken.map((name) => [name, 'a workspace tool']));
  for (const tool of tools) {
    const here = tool.origin ? `MCP server "${tool.origin.name}"` : 'a tool';
    const earlier = owner.get(tool.name);
    if (earlier !== undefined) {
      return (
        `two tools would both be called ${tool.name}: one of ${earlier}, one of ${here}. ` +
        'Rename a server in the configuration (tools are named SERVER_TOOL), or leave one out.'
      );
    }
    owner.set(tool.name, here);
  }
  return undefined;
}
