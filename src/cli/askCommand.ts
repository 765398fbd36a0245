import { EXIT, exitCodeOf } from '../host/exitCodes';
import type { ExitCode } from '../host/exitCodes';
import { createNodeSession } from '../host/nodeSession';
import { modelsOf, runSettingsOf } from '../host/runOptions';
import type { RunOptions } from '../host/runOptions';
import type { Session } from '../host/session';
import { workspaceRoot } from '../host/workspaceRoot';
import type { RunSummary } from '../shared/runEvents';
import { createStyle } from './cliStyle';
import type { TextSink } from './humanView';
import { HumanView } from './humanView';
import { JsonView } from './jsonView';

export interface AskOptions extends RunOptions {
  question: string;
  json: boolean;
  /** Say what the run found out about its setting, such as the model's context. */
  verbose?: boolean;
}

export interface CliIo {
  stdout: TextSink & { isTTY?: boolean };
  stderr: TextSink & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted when the user interrupts (Ctrl-C). */
  interrupt: AbortSignal;
  /** The process's session: the tools and the results that later questions in this process reuse. */
  session?: Session;
}

/** `llm-compiler ask`: one question, one run, an exit code that says how it ended. */
export async function runAsk(options: AskOptions, io: CliIo): Promise<ExitCode> {
  const errStyle = createStyle(io.stderr, io.env);
  const root = await workspaceRoot(options.cwd);
  if (typeof root !== 'string') {
    io.stderr.write(`llm-compiler: ${root.problem}\n`);
    return EXIT.usage;
  }

  const session = io.session ?? createNodeSession(options);

  const json = options.json ? new JsonView(io.stdout) : undefined;
  const human = options.json ? undefined : new HumanView(io.stdout, io.stderr, createStyle(io.stdout, io.env), errStyle, { verbose: options.verbose ?? false });
  const summary = await session.ask({
    question: options.question,
    models: modelsOf(options),
    roots: [root],
    settings: runSettingsOf(options),
    signal: io.interrupt,
    observer: json?.observe ?? human?.observe,
  });
  if (!io.session) await session.close();

  const exit = exitCodeOf(summary);
  human?.finish(summary);
  json?.finish(summary);
  const problem = explain(summary, exit, options);
  if (problem) io.stderr.write(`${errStyle.red(problem)}\n`);
  return exit;
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
