// The `mcpServers` entry that "Copy MCP Server Config" puts on the clipboard: the installed extension's own CLI
// bundle run as an MCP server, so Claude Code, Cursor or any MCP client can use it without a clone or a Node install.

/** The server's name in the entry, as the README's recipes name it. */
export const MCP_SERVER_NAME = 'llm-compiler';

export interface McpServerConfigInput {
  /** The program that runs the CLI bundle: VS Code's own runtime (`process.execPath`). */
  runtimePath: string;
  /** True when that runtime is Electron (desktop VS Code), which runs a script as Node only when told to. */
  electron: boolean;
  /** The extension's `dist/cli.js`. */
  cliPath: string;
  /** The workspace to question (`--cwd`); absent: the folder the client starts the server in. */
  workspaceFolder?: string;
  /** The OpenAI-compatible endpoint and model from the extension's settings; an empty model is left out. */
  baseUrl: string;
  model: string;
}

export interface McpServerEntry {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export function mcpServerConfig(input: McpServerConfigInput): { mcpServers: Record<string, McpServerEntry> } {
  const env: Record<string, string> = {};
  // Electron's binary is Node with this variable set; a Node runtime (VS Code Server) ignores it.
  if (input.electron) env.ELECTRON_RUN_AS_NODE = '1';
  env.OPENAI_BASE_URL = input.baseUrl;
  if (input.model) env.OPENAI_MODEL = input.model;
  const args = [input.cliPath, 'mcp', ...(input.workspaceFolder ? ['--cwd', input.workspaceFolder] : [])];
  return { mcpServers: { [MCP_SERVER_NAME]: { command: input.runtimePath, args, env } } };
}
