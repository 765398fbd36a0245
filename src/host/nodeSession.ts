import { Session, createResultCache } from './session';
import { gatedToolSource } from './toolGate';
import type { ToolGate } from './toolGate';
import { nodeToolSource } from './toolSource';

/**
 * The session of a process that answers questions in plain Node (the CLI, the MCP server): the Node workspace
 * tools, and the results every later question in the process reuses while what they read is unchanged. With a
 * `gate`, the tool calls of all its questions and direct calls together run at most `gate.limit` at once.
 */
export function createNodeSession(options: { listProtectedFiles?: boolean; gate?: ToolGate } = {}): Session {
  const workspace = nodeToolSource({ listProtectedFiles: options.listProtectedFiles ?? false });
  return new Session({ sources: [options.gate ? gatedToolSource(workspace, options.gate) : workspace], resultCache: createResultCache() });
}
