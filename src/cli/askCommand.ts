import type { ErrorInfo } from '../base/errors';
import { toErrorInfo } from '../base/errors';
import { EXIT, exitCodeOf } from '../host/exitCodes';
import type { ExitCode } from '../host/exitCodes';
import { chooseModel, pickText } from '../host/modelChoice';
import type { ModelChoice } from '../host/modelChoice';
import { openNodeSession } from '../host/nodeSession';
import type { NodeSessionOptions } from '../host/nodeSession';
import { runSettingsOf } from '../host/runOptions';
import type { RunOptions } from '../host/runOptions';
import { nodeSearchBackend } from '../host/searchBackend';
import type { Session } from '../host/session';
import { workspaceRoot } from '../host/workspaceRoot';
import type { ExternalToolsReport } from '../shared/externalTools';
import type { RunSummary } from '../shared/runEvents';
import { DEFAULT_RUN_SETTINGS } from '../shared/runSettings';
import { commandLineAdvice } from '../surfaces/errorMessage';
import { externalToolsLines } from '../surfaces/externalToolsLines';
import { createStyle } from './cliStyle';
import type { Style } from './cliStyle';
import type { TextSink } from './humanView';
import { HumanView } from './humanView';
import { JsonView } from './jsonView';

export interface AskOptions extends RunOptions {
  question: string;
  json: boolean;
  /** Say on stderr what the run uses (model and endpoint, search backend, tools) and finds out (the model's context). */
  verbose?: boolean;
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

/**
 * `llm-compiler ask`: one question, one run, an exit code that says how it ended. Only the answer goes to stdout
 * (or, with `--json`, the events and the summary), so `llm-compiler ask … > answer.md` keeps the answer alone.
 */
export async function runAsk(options: AskOptions, io: CliIo): Promise<ExitCode> {
  const errStyle = createStyle(io.stderr, io.env);
  const say = (line: string) => void io.stderr.write(`${errStyle.dim(`llm-compiler: ${line}`)}\n`);
  const root = await workspaceRoot(options.cwd);
  if (typeof root !== 'string') {
    io.stderr.write(`llm-compiler: ${root.problem}\n`);
    return EXIT.usage;
  }

  // A problem with --mcp-config is a usage error, said before the model server is asked anything.
  const opened = io.session
    ? { session: io.session }
    : await openNodeSession({ ...options, root, env: io.env, signal: io.interrupt, ...(io.mcp ? { mcp: io.mcp } : {}) });
  if ('problem' in opened) {
    io.stderr.write(`${errStyle.red(`llm-compiler: ${opened.problem}`)}\n`);
    return EXIT.usage;
  }
  const { session } = opened;
  let summary: RunSummary;
  try {
    if ('report' in opened && opened.report) printReport(opened.report, options.json, io, errStyle);
    let choice: ModelChoice;
    try {
      choice = await chooseModel(options, io.interrupt);
    } catch (error) {
      if (io.interrupt.aborted) return fail(io.stderr, errStyle, 'cancelled', EXIT.cancelled);
      const info = toErrorInfo(error, 'model-unreachable');
      const exit = info.reason === 'model-unreachable' ? EXIT.noEndpoint : EXIT.failed;
      return fail(io.stderr, errStyle, explain(info, exit, options), exit);
    }
    if (choice.pick) {
      const { line, how } = pickText(choice.pick, options.baseURL);
      say(line);
      if (options.verbose) say(how);
    }
    if (options.verbose) for (const line of await setupLines(options, choice, root, session, io.interrupt)) say(line);
    const json = options.json ? new JsonView(io.stdout) : undefined;
    const human = options.json ? undefined : new HumanView(io.stdout, io.stderr, errStyle, { verbose: options.verbose ?? false });
    summary = await session.ask({
      question: options.question,
      models: choice.models,
      roots: [root],
      settings: runSettingsOf(options),
      signal: io.interrupt,
      observer: json?.observe ?? human?.observe,
    });
    human?.finish(summary);
    json?.finish(summary);
  } finally {
    // The servers the session started end with it, whatever way the question ended.
    if (!io.session) await session.close();
  }

  const exit = exitCodeOf(summary);
  if (exit === EXIT.answered) return exit;
  if (exit === EXIT.cancelled) return fail(io.stderr, errStyle, 'cancelled', exit);
  return fail(io.stderr, errStyle, explain(summary.error ?? { reason: 'internal', message: 'the run failed' }, exit, options), exit);
}

/** Which external tools the question may use: on stderr for a person, as one JSON line before the events for --json. */
function printReport(report: ExternalToolsReport, json: boolean, io: CliIo, style: Style): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  for (const line of externalToolsLines(report)) io.stderr.write(`${style.dim(line)}\n`);
}

function fail(stderr: TextSink, style: Style, text: string, exit: ExitCode): ExitCode {
  stderr.write(`${style.red(text)}\n`);
  return exit;
}

/** What `--verbose` says before the run: where the model is, how the workspace is searched, which tools it has. */
async function setupLines(options: AskOptions, choice: ModelChoice, root: string, session: Session, signal: AbortSignal): Promise<string[]> {
  const settings = { ...DEFAULT_RUN_SETTINGS, ...runSettingsOf(options) };
  const tools = (await session.tools(signal)).names;
  return [
    `workspace ${root}`,
    `model ${choice.model} at ${options.baseURL} (base URL from ${options.baseURLSource === 'default' ? 'the default, Ollama' : options.baseURLSource}${options.apiKey ? ', API key from OPENAI_API_KEY' : ', no API key'})`,
    // The model's context window, once it is known, is said here, next to the model.
    `search ${nodeSearchBackend()}`,
    `tools offered (${tools.length}): ${tools.join(', ')}`,
    `mode ${settings.mode}, up to ${settings.maxConcurrency} tasks at once, ${settings.maxRounds} planning rounds, time limit ${settings.runTimeoutMs / 1000} s`,
  ];
}

/** What stderr says when the run did not answer: the failure, and what the user can do about it from here. */
function explain(error: ErrorInfo, exit: ExitCode, options: RunOptions): string {
  if (exit === EXIT.noEndpoint) {
    const from = options.baseURLSource === 'default' ? 'the default, Ollama' : `from ${options.baseURLSource}`;
    return [
      `llm-compiler: no model server answers at ${options.baseURL} (${from}).`,
      `  Start one there (for Ollama: \`ollama serve\`), or point to one with --base-url URL or OPENAI_BASE_URL,`,
      `  and set OPENAI_API_KEY if the server needs a key.`,
      `  (${error.message})`,
    ].join('\n');
  }
  const advice = commandLineAdvice(error, { apiKeySet: options.apiKey !== undefined });
  return `llm-compiler: ${error.message}${advice ? `\n  ${advice}` : ''}`;
}
