import * as path from 'node:path';
import { connectMcpServers } from '../../../src/mcpClient/mcpToolSource';
import type { McpTools } from '../../../src/mcpClient/mcpToolSource';
import type { ConfigEntry } from '../../../src/mcpClient/mcpConfig';

/** The MCP servers the external questions call, as a user's configuration would name them. */
export const STAND_IN_SERVERS = ['tracker', 'docs'] as const;

/**
 * Starts the issue tracker and documentation search stand-ins (test/support/mcpServers/serviceStandIns.ts) over
 * stdio and connects to them with the product's MCP client, so their tools reach every mode as a user's MCP servers
 * would: listed in the planner's prompt and offered as functions, each call a request over the protocol.
 */
export async function startStandInServers(projectRoot: string, signal: AbortSignal): Promise<McpTools> {
  const script = path.join(projectRoot, 'test', 'support', 'mcpServers', 'serviceStandIns.ts');
  const entries: ConfigEntry[] = STAND_IN_SERVERS.map((name) => ({
    name,
    file: 'benchmark',
    server: { name, transport: 'stdio', command: process.execPath, args: ['--import', 'tsx', script, name], env: {}, cwd: projectRoot },
  }));
  const mcp = await connectMcpServers(entries, { allow: [], startupTimeoutMs: 60_000, signal });
  if (mcp.report.failed.length > 0) {
    await mcp.close();
    throw new Error(`the stand-in MCP servers did not start: ${JSON.stringify(mcp.report.failed)}`);
  }
  return mcp;
}
