import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BUILT_CLI } from './builtCli';

export interface McpSession {
  client: Client;
  /** The server process. */
  pid: number;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** Starts the built CLI's MCP server (`node dist/cli.js mcp …`) and connects the SDK's client to it over stdio. */
export async function startMcpServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<McpSession> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, NO_COLOR: '1', ...env })) {
    if (value !== undefined && !(name.startsWith('OPENAI_') && env[name] === undefined)) base[name] = value;
  }
  const transport = new StdioClientTransport({ command: process.execPath, args: [BUILT_CLI, 'mcp', ...args], env: base, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'llm-compiler-tests', version: '0.0.0' });
  await client.connect(transport);
  return { client, pid: transport.pid!, stderr: () => stderr, close: () => client.close() };
}
