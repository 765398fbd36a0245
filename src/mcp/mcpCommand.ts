import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { version } from '../../package.json';
import { ToolRegistry } from '../core/toolRegistry';
import { createOpenAIModel } from '../providers/openaiModel';
import { createNodeTools } from '../tools/nodeTools';
import { createResultCache } from '../tools/reuse/sessionCache';
import type { McpOptions } from '../cli/cliArgs';
import { modelOptionsOf, runSettingsOf } from '../cli/cliArgs';
import type { ExitCode } from '../cli/exitCodes';
import { EXIT } from '../cli/exitCodes';
import { workspaceRoot } from '../cli/workspaceRoot';
import { CompilerServer } from './compilerServer';

export interface McpIo {
  stdin: Readable;
  stdout: Writable;
  stderr: { write(text: string): unknown };
  /** Aborted when the process is told to stop (SIGINT, SIGTERM). */
  interrupt: AbortSignal;
}

/**
 * `llm-compiler mcp`: serves the workspace of `--cwd` over stdio until the client closes stdin (the calls in flight
 * still answer) or the process is told to stop (they are cancelled, child processes with them). Nothing but the
 * protocol goes to stdout.
 */
export async function runMcp(options: McpOptions, io: McpIo): Promise<ExitCode> {
  const log = (line: string) => void io.stderr.write(`llm-compiler mcp: ${line}\n`);
  const root = await workspaceRoot(options.cwd);
  if (typeof root !== 'string') {
    log(root.problem);
    return EXIT.usage;
  }
  const compiler = new CompilerServer({
    name: 'llm-compiler',
    version,
    tools: new ToolRegistry(createNodeTools({ listProtectedFiles: options.listProtectedFiles ?? false })),
    roots: [root],
    model: createOpenAIModel(modelOptionsOf(options)),
    settings: runSettingsOf(options),
    // One session per server process: a later question reuses what an earlier one looked up, while it still holds.
    resultCache: createResultCache(),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    log,
  });
  const interrupted = new Promise<void>((resolve) => {
    if (io.interrupt.aborted) resolve();
    else io.interrupt.addEventListener('abort', () => resolve(), { once: true });
  });
  const inputEnded = new Promise<void>((resolve) => {
    io.stdin.once('end', resolve);
    io.stdin.once('close', resolve);
    compiler.server.onclose = () => resolve();
  });
  compiler.server.onerror = (error) => log(`protocol error: ${error.message}`);
  await compiler.server.connect(new StdioServerTransport(io.stdin, io.stdout));
  log(`serving ${root} (model ${options.model} at ${options.baseURL}, mode ${options.mode})`);
  // The end of input lets the calls in flight answer (a piped script's last request); a signal stops them at once.
  await Promise.race([inputEnded.then(() => Promise.race([compiler.idle(), interrupted])), interrupted]);
  await compiler.close();
  return EXIT.answered;
}
