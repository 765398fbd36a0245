import { EXIT, exitCodeOf } from '../host/exitCodes';
import type { ExitCode } from '../host/exitCodes';
import { openNodeSession } from '../host/nodeSession';
import type { NodeSessionOptions } from '../host/nodeSession';
import { modelsOf, runSettingsOf } from '../host/runOptions';
import type { RunOptions } from '../host/runOptions';
import type { Session } from '../host/session';
import { workspaceRoot } from '../host/workspaceRoot';
import type { ExternalToolsReport } from '../shared/externalTools';
import type { RunSummary } from '../shared/runEvents';
import { externalToolsLines } from '../surfaces/externalToolsLines';
import { createStyle } from './cliStyle';
import type { Style } from './cliStyle';
import type { TextSink } from './humanView';
import { HumanView } from './humanView';
import { JsonView } from './jsonView';

export interface AskOptions extends RunOptions {
  question: string;
  json: boolean;
}

export interface CliIo {
  stdout: TextSink & { isTTY?: boolean };
  stderr: TextSink & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted when the user interrupts (Ctrl-C) or the process is told to stop (SIGTERM). */
  interrupt: AbortSignal;
  /** A session to ask in, kept open after (tests put several questions to one); else one of its own, closed after. */
  session?: Session;
  /** Tests shorten the MCP servers' start-up limit and bounds. */
  mcp?: NodeSessionOptions['mcp'];
}

/** `llm-compiler ask`: one question, one run, an exit code that says how it ended. */
export async function runAsk(options: AskOptions, io: CliIo): Promise<ExitCode> {
  const errStyle = createStyle(io.stderr, io.env);
  const root = await workspaceRoot(options.cwd);
  if (typeof root !== 'string') {
    io.stderr.write(`llm-compiler: ${root.problem}\n`);
    return EXIT.usage;
  }

  const opened = io.session
    ? { session: io.session }
    : await openNodeSession({ ...options, root, env: io.env, signal: io.interrupt, ...(io.mcp ? { mcp: io.mcp } : {}) });
  if ('problem' in opened) {
    io.stderr.write(`${errStyle.red(`llm-compiler: ${opened.problem}`)}\n`);
    return EXIT.usage;
  }
  const { session } = opened;
  try {
    if ('report' in opened && opened.report) printReport(opened.report, options.json, io, errStyle);
    const json = options.json ? new JsonView(io.stdout) : undefined;
    const human = options.json ? undefined : new HumanView(io.stdout, io.stderr, createStyle(io.stdout, io.env), errStyle);
    const summary = await session.ask({
      question: options.question,
      models: modelsOf(options),
      roots: [root],
      settings: runSettingsOf(options),
      signal: io.interrupt,
      observer: json?.observe ?? human?.observe,
    });
    const exit = exitCodeOf(summary);
    human?.finish(summary);
    json?.finish(summary);
    const problem = explain(summary, exit, options);
    if (problem) io.stderr.write(`${errStyle.red(problem)}\n`);
    return exit;
  } finally {
    // The servers the session started end with it, whatever way the question ended.
    if (!io.session) await session.close();
  }
}

/** Which external tools the question may use: on stderr for a person, as one JSON line before the events for --json. */
function printReport(report: ExternalToolsReport, json: boolean, io: CliIo, style: Style): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  for (const line of externalToolsLines(report)) io.stderr.write(`${style.dim(line)}\n`);
}

/** The line for stderr when the run did not answer. */
function explain(summary: RunSummary, exit: ExitCode, options: AskOptions): string | undefined {
  if (exit === EXIT.answered) return undefined;
  if (exit === EXIT.cancelled) return 'cancelled';
  const detail = summary.error?.message ?? 'the run failed';
  if (exit !== EXIT.noEndpoint) return `llm-compiler: ${detail}`;
  const from = options.baseURLSource === 'default' ? 'the default, Ollama' : `from ${options.baseURLSource}`;
  return [
    `llm-compiler: no model server answers at ${options.baseURL} (${from}).`,
    `  Start one there (for Ollama: \`ollama serve\`), or point to one with --base-url URL or OPENAI_BASE_URL,`,
    `  and set OPENAI_API_KEY if the server needs a key.`,
    `  (${detail})`,
  ].join('\n');
}
