import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { runQuestion } from '../core/runQuestion';
import { ToolRegistry } from '../core/toolRegistry';
import { createOpenAIModel } from '../providers/openaiModel';
import type { RunSettings, RunSummary } from '../shared/types';
import { createNodeTools } from '../tools/nodeTools';
import type { AskOptions } from './cliArgs';
import { createStyle } from './cliStyle';
import type { ExitCode } from './exitCodes';
import { EXIT } from './exitCodes';
import type { TextSink } from './humanView';
import { HumanView } from './humanView';
import { JsonView } from './jsonView';

export interface CliIo {
  stdout: TextSink & { isTTY?: boolean };
  stderr: TextSink & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted when the user interrupts (Ctrl-C). */
  interrupt: AbortSignal;
}

/** `llm-compiler ask`: one question, one run, an exit code that says how it ended. */
export async function runAsk(options: AskOptions, io: CliIo): Promise<ExitCode> {
  const errStyle = createStyle(io.stderr, io.env);
  const root = await workspaceRoot(options.cwd);
  if (typeof root !== 'string') {
    io.stderr.write(`llm-compiler: ${root.problem}\n`);
    return EXIT.usage;
  }

  const tools = new ToolRegistry(createNodeTools());
  const model = createOpenAIModel({ baseURL: options.baseURL, model: options.model, apiKey: options.apiKey });
  const signal = io.interrupt;
  const settings: Partial<RunSettings> = {
    mode: options.mode,
    ...(options.timeoutMs !== undefined ? { runTimeoutMs: options.timeoutMs } : {}),
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    ...(options.maxRounds !== undefined ? { maxRounds: options.maxRounds } : {}),
    ...(options.maxToolTurns !== undefined ? { maxToolTurns: options.maxToolTurns } : {}),
  };

  const json = options.json ? new JsonView(io.stdout) : undefined;
  const human = options.json ? undefined : new HumanView(io.stdout, io.stderr, createStyle(io.stdout, io.env), errStyle);
  const summary = await runQuestion({
    question: options.question,
    model,
    tools,
    roots: [root],
    settings,
    signal,
    observer: json?.observe ?? human?.observe,
  });

  const exit = exitCodeOf(summary);
  human?.finish(summary);
  json?.finish(summary, exit);
  const problem = explain(summary, exit, options);
  if (problem) io.stderr.write(`${errStyle.red(problem)}\n`);
  return exit;
}

function exitCodeOf(summary: RunSummary): ExitCode {
  switch (summary.outcome) {
    case 'answered':
      return EXIT.answered;
    case 'cancelled':
      return EXIT.cancelled;
    case 'failed':
      return summary.error?.reason === 'model-unreachable' ? EXIT.noEndpoint : EXIT.failed;
  }
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

async function workspaceRoot(dir: string): Promise<string | { problem: string }> {
  try {
    const real = await realpath(path.resolve(dir));
    if (!(await stat(real)).isDirectory()) return { problem: `--cwd ${dir} is not a directory` };
    return real;
  } catch {
    return { problem: `--cwd ${dir} does not exist` };
  }
}
