import type { Readable, Writable } from 'node:stream';
import { version } from '../../package.json';
import { EXIT } from '../host/exitCodes';
import type { ExitCode } from '../host/exitCodes';
import { keptModelChoice, pickText } from '../host/modelChoice';
import { openNodeSession } from '../host/nodeSession';
import { runSettingsOf } from '../host/runOptions';
import type { RunOptions } from '../host/runOptions';
import { ToolGate } from '../host/toolGate';
import { workspaceRoot } from '../host/workspaceRoot';
import { DEFAULT_RUN_SETTINGS } from '../shared/runSettings';
import { commandLineAdvice } from '../surfaces/errorMessage';
import { externalToolsLines } from '../surfaces/externalToolsLines';
import { CompilerServer } from './compilerServer';
import { LineTransport } from './lineTransport';

/** `llm-compiler mcp`: a Model Context Protocol server over stdio; the mode is the default of its `ask` tool. */
export type McpOptions = RunOptions;

export interface McpIo {
  stdin: Readable;
  stdout: Writable;
  stderr: { write(text: string): unknown };
  /** Aborted when the process is told to stop (SIGINT, SIGTERM). */
  interrupt: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** How long the calls in flight may still answer once the client has closed stdin (default `INPUT_END_GRACE_MS`). */
  inputEndGraceMs?: number;
}

/** How long the calls in flight may still answer once the client has closed stdin. */
export const INPUT_END_GRACE_MS = 5_000;

/**
 * `llm-compiler mcp`: serves the workspace of `--cwd` over stdio until the client closes stdin (the calls in flight
 * may still answer for a few seconds), closes stdout (they are cancelled: no answer could be read), or the process is told to stop (they
 * are cancelled, child processes with them). Nothing but the protocol goes to stdout.
 */
export async function runMcp(options: McpOptions, io: McpIo): Promise<ExitCode> {
  const log = (line: string) => void io.stderr.write(`llm-compiler mcp: ${line}\n`);
  const root = await workspaceRoot(options.cwd);
  if (typeof root !== 'string') {
    log(root.problem);
    return EXIT.usage;
  }
  // One bound for the whole process: direct tool calls and the tasks of every ask together (--max-concurrency).
  const gate = new ToolGate(options.maxConcurrency ?? DEFAULT_RUN_SETTINGS.maxConcurrency);
  // The MCP servers of --mcp-config start before the first request, and end with this server.
  const opened = await openNodeSession({ ...options, root, env: io.env ?? process.env, signal: io.interrupt, gate });
  if ('problem' in opened) {
    log(opened.problem);
    return EXIT.usage;
  }
  const { session } = opened;
  if (opened.report) for (const line of externalToolsLines(opened.report)) log(line);
  const chooseModel = keptModelChoice(options, (choice) => {
    if (!choice.pick) return;
    const { line, how } = pickText(choice.pick, options.baseURL);
    log(line);
    log(how);
  });
  try {
    const compiler = new CompilerServer({
      name: 'llm-compiler',
      version,
      // One session per server process: a later question reuses what an earlier one looked up, while it still holds.
      session,
      roots: [root],
      // Picked from the server's list at the first question when no model is named: the server may start later.
      models: async (signal) => (await chooseModel(signal)).models,
      // The mode is the default of `ask`; the time limit (--timeout) holds for each question.
      settings: runSettingsOf(options),
      log,
      gate,
      // Its configuration holds the flags and environment of `ask`, so a failure gets the same advice.
      advice: (error) => commandLineAdvice(error, { apiKeySet: options.apiKey !== undefined }),
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
    // A client that closed our stdout can read no answer: its calls stop at once, as on a signal.
    const outputClosed = new Promise<void>((resolve) => {
      if (io.stdout.destroyed || io.stdout.writableEnded) resolve();
      io.stdout.once('close', () => resolve());
      io.stdout.once('error', () => resolve());
    });
    compiler.server.onerror = (error) => log(`protocol error: ${error.message}`);
    await compiler.server.connect(new LineTransport(io.stdin, io.stdout));
    const model = options.model ?? 'picked from its list at the first question';
    log(`serving ${root} (model ${model} at ${options.baseURL}, mode ${options.mode})`);
    // The end of input is the MCP client's way to shut a stdio server down: the calls in flight may still answer (a
    // piped script's last request, whose answer it can read) within a grace, then they are cancelled, so a client
    // that left does not keep tools and model requests running. A signal, or stdout closed, stops them at once.
    const stopNow = Promise.race([interrupted, outputClosed.then(() => log('the client closed stdout: the calls in flight are cancelled'))]);
    const graceMs = io.inputEndGraceMs ?? INPUT_END_GRACE_MS;
    const graceOver = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log(`input ended ${graceMs / 1000} s ago: the calls still in flight are cancelled`);
          resolve();
        }, graceMs);
        void compiler.idle().then(() => clearTimeout(timer));
      });
    await Promise.race([inputEnded.then(() => Promise.race([compiler.idle(), stopNow, graceOver()])), stopNow]);
    await compiler.close();
  } finally {
    // The MCP servers this one started end with it.
    await session.close();
  }
  return EXIT.answered;
}
