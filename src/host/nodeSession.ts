import { Session, createResultCache } from './session';
import { nodeToolSource } from './toolSource';

/**
 * The session of a process that answers questions in plain Node (the CLI, the MCP server): the Node workspace
 * tools, and the results every later question in the process reuses while what they read is unchanged.
 */
export function createNodeSession(options: { listProtectedFiles?: boolean } = {}): Session {
  return new Session({ sources: [nodeToolSource({ listProtectedFiles: options.listProtectedFiles ?? false })], resultCache: createResultCache() });
}
