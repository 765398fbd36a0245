import type { ExternalToolsReport } from '../shared/externalTools';
import { openMcpServers } from './mcpServers';
import type { McpServersOptions } from './mcpServers';
import { Session, createResultCache } from './session';
import { gatedToolSource } from './toolGate';
import type { ToolGate } from './toolGate';
import { nodeToolSource } from './toolSource';
import type { ToolSource } from './toolSource';

/**
 * The session of a process that answers questions in plain Node (the CLI, the MCP server): the Node workspace
 * tools, any further sources, and the results every later question in the process reuses while what they read is
 * unchanged. With a `gate`, the tool calls of all its questions and direct calls together run at most `gate.limit`
 * at once.
 */
export function createNodeSession(options: { listProtectedFiles?: boolean; sources?: readonly ToolSource[]; gate?: ToolGate } = {}): Session {
  const workspace = nodeToolSource({ listProtectedFiles: options.listProtectedFiles ?? false });
  return new Session({ sources: gated([workspace, ...(options.sources ?? [])], options.gate), resultCache: createResultCache() });
}

/** `sources` with every tool's run waiting for a turn at `gate`, when there is one. */
function gated(sources: readonly ToolSource[], gate: ToolGate | undefined): ToolSource[] {
  return sources.map((source) => (gate ? gatedToolSource(source, gate) : source));
}

export interface NodeSessionOptions {
  listProtectedFiles?: boolean;
  /** `--mcp-config` files; none: no server is started. */
  mcpConfigs?: readonly string[];
  /** `--allow-tool` patterns. */
  allowTools?: readonly string[];
  root: string;
  env: NodeJS.ProcessEnv;
  /** Aborting it stops starting servers. */
  signal: AbortSignal;
  /** Bounds the tool calls of the whole session, direct calls and every question's tasks together. */
  gate?: ToolGate;
  /** Tests shorten the servers' start-up limit and bounds. */
  mcp?: Pick<McpServersOptions, 'startupTimeoutMs' | 'limits'>;
}

/**
 * A plain-Node session with the tools of the MCP servers the user named beside the workspace's: the servers are
 * started before the first question, and `Session.close` ends them. A configuration or name problem is returned,
 * nothing left running.
 */
export async function openNodeSession(
  options: NodeSessionOptions,
): Promise<{ session: Session; report?: ExternalToolsReport; pids: ReadonlyMap<string, number> } | { problem: string }> {
  const workspace = nodeToolSource({ listProtectedFiles: options.listProtectedFiles ?? false });
  if (!options.mcpConfigs?.length) {
    return { session: new Session({ sources: gated([workspace], options.gate), resultCache: createResultCache() }), pids: new Map() };
  }
  const taken = (await workspace.tools(options.signal)).map((t) => t.name);
  const mcp = await openMcpServers({
    configFiles: options.mcpConfigs,
    allow: options.allowTools ?? [],
    root: options.root,
    env: options.env,
    taken,
    signal: options.signal,
    ...options.mcp,
  });
  if ('problem' in mcp) return mcp;
  return { session: new Session({ sources: gated([workspace, mcp.source], options.gate), resultCache: createResultCache() }), report: mcp.report, pids: mcp.pids };
}
