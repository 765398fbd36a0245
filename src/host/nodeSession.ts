import type { ExternalToolsReport } from '../shared/externalTools';
import { openMcpServers } from './mcpServers';
import type { McpServersOptions } from './mcpServers';
import { Session, createResultCache } from './session';
import { nodeToolSource } from './toolSource';
import type { ToolSource } from './toolSource';

/**
 * The session of a process that answers questions in plain Node (the CLI, the MCP server): the Node workspace
 * tools, any further sources, and the results every later question in the process reuses while what they read is
 * unchanged.
 */
export function createNodeSession(options: { listProtectedFiles?: boolean; sources?: readonly ToolSource[] } = {}): Session {
  const workspace = nodeToolSource({ listProtectedFiles: options.listProtectedFiles ?? false });
  return new Session({ sources: [workspace, ...(options.sources ?? [])], resultCache: createResultCache() });
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
    return { session: new Session({ sources: [workspace], resultCache: createResultCache() }), pids: new Map() };
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
  return { session: new Session({ sources: [workspace, mcp.source], resultCache: createResultCache() }), report: mcp.report, pids: mcp.pids };
}
