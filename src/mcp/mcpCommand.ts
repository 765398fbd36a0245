import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { version } from '../../package.json';
import { EXIT } from '../host/exitCodes';
import type { ExitCode } from '../host/exitCodes';
import { openNodeSession } from '../host/nodeSession';
import { modelsOf, runSettingsOf } from '../host/runOptions';
import type { RunOptions } from '../host/runOptions';
import { workspaceRoot } from '../host/workspaceRoot';
import { externalToolsLines } from '../surfaces/externalToolsLines';
import { CompilerServer } from './compilerServer';

/** `llm-compiler mcp`: a Model Context Protocol server over stdio; the mode is the default of its `ask` tool. */
export type McpOptions = RunOptions;

export interface McpIo {
  stdin: Readable;
  stdout: Writable;
  stderr: { write(text: string): unknown };
  /** Aborted when the process is told to stop (SIGINT, SIGTERM). */
  interrupt: AbortSignal;
  env?: NodeJS.ProcessEnv;
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
  // The MCP servers of --mcp-config start before the first request, and end with this server.
  const opened = await openNodeSession({ ...options, root, env: io.env ?? process.env, signal: io.interrupt });
  if ('problem' in opened) {
    log(opened.problem);
    return EXIT.usage;
  }
  const { session } = opened;
  if (opened.report) for (const line of externalToolsLines(opened.report)) log(line);
  try {
    const compiler = new CompilerServer({
      name: 'llm-compiler',
      version,
      // One session per server process: a later question reuses what an earlier one looked up, while it still holds.
      session,
      roots: [root],
      models: modelsOf(options),
      // The mode is the default of `ask`; the time limit (--timeout) holds for each question.
      settings: runSettingsOf(options),
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
  } finally {
    // The MCP servers this one started end with it.
    await session.close();
  }
  return EXIT.answered;
}
