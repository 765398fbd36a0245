import type { Tool } from '../shared/toolContract';
import { createNodeToolSet } from '../tools/nodeTools';
import type { NodeToolOptions } from '../tools/nodeTools';

/**
 * Where a session's tools come from: the workspace's own tools, or an outside provider of tools (the servers an MCP
 * configuration names, the tools other VS Code extensions register). A session asks every source at each question,
 * so a source may offer other tools from one question to the next, and closes each source once, when it ends.
 */
export interface ToolSource {
  /** Says which source a tool came from in messages, e.g. `workspace`. */
  readonly name: string;
  /** The tools it offers now. */
  tools(signal: AbortSignal): readonly Tool[] | Promise<readonly Tool[]>;
  /** Lets go of what the source holds (processes, connections); called once, when its session closes. */
  close?(): void | Promise<void>;
}

/**
 * The workspace tools for plain Node (the CLI, the MCP server), made once and offered at every question; closing
 * the source ends the symbol tools' language services.
 */
export function nodeToolSource(options: NodeToolOptions = {}): ToolSource {
  const set = createNodeToolSet(options);
  return { name: 'workspace', tools: () => set.tools, close: () => set.close() };
}
