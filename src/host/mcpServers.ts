import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_STARTUP_TIMEOUT_MS, connectMcpServers, nameClash } from '../mcpClient/mcpToolSource';
import type { McpTools } from '../mcpClient/mcpToolSource';
import { readMcpConfig } from '../mcpClient/mcpConfig';
import type { ConfigEntry } from '../mcpClient/mcpConfig';
import type { ConnectionLimits } from '../mcpClient/serverConnection';
import type { ExternalToolsReport } from '../shared/externalTools';
import type { ToolSource } from './toolSource';

export interface McpServersOptions {
  /** The `--mcp-config` files, in the order given. */
  configFiles: readonly string[];
  /** The `--allow-tool` patterns. */
  allow: readonly string[];
  /** The workspace folder: `${workspaceFolder}`, and where servers start. */
  root: string;
  env: NodeJS.ProcessEnv;
  /** Names already taken by the workspace tools: an external tool of the same name is a clash. */
  taken: readonly string[];
  signal: AbortSignal;
  startupTimeoutMs?: number;
  limits?: Partial<ConnectionLimits>;
}

/** The servers' tools as a session's source, what the session was offered, and the servers' pids. */
export interface McpServersSource {
  source: ToolSource;
  report: ExternalToolsReport;
  pids: ReadonlyMap<string, number>;
}

/**
 * Reads the configurations the user named, starts their servers and offers their tools (read-only ones, and those
 * `--allow-tool` names). A file that cannot be read, a server named twice or two tools with one name is a `problem`
 * for the command line (nothing is left running); a server that fails to start is in the report, left out.
 */
export async function openMcpServers(options: McpServersOptions): Promise<McpServersSource | { problem: string }> {
  const entries: ConfigEntry[] = [];
  const vars = { workspaceFolder: options.root, env: options.env, home: homedir() };
  for (const file of options.configFiles) {
    let text: string;
    try {
      text = await readFile(path.resolve(file), 'utf8');
    } catch (error) {
      return { problem: `--mcp-config ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    const config = readMcpConfig(text, file, vars);
    if ('problem' in config) return config;
    for (const entry of config.entries) {
      const twice = entries.find((e) => e.name === entry.name);
      if (twice) return { problem: `MCP server "${entry.name}" is named in ${twice.file} and again in ${entry.file}; rename one` };
      entries.push(entry);
    }
  }
  const servers: McpTools = await connectMcpServers(entries, {
    allow: options.allow,
    startupTimeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    signal: options.signal,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const clash = nameClash(options.taken, servers.tools);
  if (clash) {
    await servers.close();
    return { problem: clash };
  }
  // Keys and tokens in what a server returns, and protected paths in its arguments: the session guards every
  // external tool (see `guardedExternalTool`).
  const tools = servers.tools;
  return {
    source: { name: 'mcp', tools: () => tools, close: () => servers.close() },
    report: servers.report,
    pids: servers.pids,
  };
}
