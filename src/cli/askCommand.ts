import { runQuestion } from '../core/runQuestion';
import { ToolRegistry } from '../core/toolRegistry';
import { createOpenAIModel } from '../providers/openaiModel';
import type { RunSummary } from '../shared/runEvents';
import type { ResultCache } from '../core/resultCache';
import { createNodeTools } from '../tools/nodeTools';
import { createResultCache } from '../tools/reuse/sessionCache';
import type { AskOptions } from './cliArgs';
import { modelOptionsOf, runSettingsOf } from './cliArgs';
import { createStyle } from './cliStyle';
import type { ExitCode } from './exitCodes';
import { EXIT, exitCodeOf } from './exitCodes';
import type { TextSink } from './humanView';
import { HumanView } from './humanView';
import { JsonView } from './jsonView';
import { workspaceRoot } from './workspaceRoot';

export interface CliIo {
  stdout: TextSink & { isTTY?: boolean };
  stderr: TextSink & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted when the user interrupts (Ctrl-C). */
  interrupt: AbortSignal;
  /** The process's session: the tools and the results that later questions in this process reuse. */
  session?: CliSession;
}

export interface CliSession {
  tools: ToolRegistry;
  resultCache: ResultCache;
}

/** One per process: every question asked in it shares the tools and their results. */
export function createCliSession(options: { listProtectedFiles?: boolean } = {}): CliSession {
  return { tools: new ToolRegistry(createNodeTools({ listProtectedFiles: options.listProtectedFiles ?? false })), resultCache: createResultCache() };
}

/** `llm-compiler ask`: one question, one run, an exit code that says how it ended. */
export async function runAsk(options: AskOptions, io: CliIo): Promise<ExitCode> {
  const errStyle = createStyle(io.stderr, io.env);
  const root = await workspaceRoot(options.cwd);
  if (typeof root !== 'string') {
    io.stderr.write(`llm-compiler: ${root.problem}\n`);
    return EXIT.usage;
  }

  const session = io.session ?? createCliSession(options);
  const model = createOpenAIModel(modelOptionsOf(options));
  const signal = io.interrupt;
  const settings = runSettingsOf(options);

  const json = options.json ? new JsonView(io.stdout) : undefined;
  const human = options.json ? undefined : new HumanView(io.stdout, io.stderr, createStyle(io.stdout, io.env), errStyle);
  const summary = await runQuestion({
    question: options.question,
    model,
    tools: session.tools,
    resultCache: session.resultCache,
    roots: [root],
    settings,
    signal,
    observer: json?.observe ?? human?.observe,
  });

  const exit = exitCodeOf(summary, false);
  human?.finish(summary);
  json?.finish(summary, exit);
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
