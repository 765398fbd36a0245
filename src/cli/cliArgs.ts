import { parseArgs } from 'node:util';
import { DEFAULT_BASE_URL } from '../providers/openaiClient';
import { WARM_PROMPT_CACHE } from '../providers/openaiModel';
import type { OpenAIModelOptions, WarmPromptCache } from '../providers/openaiModel';
import { RUN_MODES } from '../shared/runEvents';
import type { RunMode } from '../shared/runEvents';
import type { RunSettings } from '../shared/runSettings';

export const DEFAULT_MODEL = 'llama3.1';

/** The model and run settings shared by `ask` and `mcp`. */
export interface RunOptions {
  /** As given; the command resolves it. */
  cwd: string;
  mode: RunMode;
  baseURL: string;
  /** Where `baseURL` came from, for error messages. */
  baseURLSource: '--base-url' | 'OPENAI_BASE_URL' | 'default';
  model: string;
  apiKey?: string;
  /** Send the joiner's prompt ahead into the server's prompt cache (`auto`: for a server on this machine). */
  warmPromptCache: WarmPromptCache;
  maxConcurrency?: number;
  maxRounds?: number;
  /** Function calling: model turns of tool calls before the model must answer. */
  maxToolTurns?: number;
  /** Time limit for the whole run (for `mcp`: for each question); the core's default when absent. */
  timeoutMs?: number;
  /** list_dir and find_files show the names of protected files, marked (their contents stay refused). */
  listProtectedFiles?: boolean;
}

export interface AskOptions extends RunOptions {
  question: string;
  json: boolean;
}

/** The run settings the options set; the others keep their defaults. */
export function runSettingsOf(options: RunOptions): Partial<RunSettings> {
  return {
    mode: options.mode,
    ...(options.timeoutMs !== undefined ? { runTimeoutMs: options.timeoutMs } : {}),
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    ...(options.maxRounds !== undefined ? { maxRounds: options.maxRounds } : {}),
    ...(options.maxToolTurns !== undefined ? { maxToolTurns: options.maxToolTurns } : {}),
  };
}

/** The model server and model the options name, as `ask` and `mcp` both reach them. */
export function modelOptionsOf(options: RunOptions): OpenAIModelOptions {
  return { baseURL: options.baseURL, model: options.model, apiKey: options.apiKey, warmPromptCache: options.warmPromptCache };
}

/** `llm-compiler mcp`: a Model Context Protocol server over stdio; the mode is the default of its `ask` tool. */
export type McpOptions = RunOptions;

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'ask'; options: AskOptions }
  | { kind: 'mcp'; options: McpOptions }
  | { kind: 'usage-error'; message: string };

/** Reads the command line; every mistake becomes a `usage-error` with a message saying what to fix. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        cwd: { type: 'string' },
        mode: { type: 'string' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        'max-concurrency': { type: 'string' },
        'max-rounds': { type: 'string' },
        'max-turns': { type: 'string' },
        timeout: { type: 'string' },
        'warm-prompt-cache': { type: 'string' },
        'list-protected-files': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // parseArgs reports unknown options and missing values as TypeErrors whose message names the option.
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...words] = positionals;
  if (command === undefined) return usage(`missing command: ${COMMANDS}`);
  if (command === 'mcp') {
    if (words.length) return usage(`mcp takes no question (its clients ask through its "ask" tool); got "${words.join(' ')}"`);
    if (values.json) return usage('--json is for ask; mcp speaks JSON-RPC on stdout');
    const options = runOptions(values, env, cwd);
    return 'kind' in options ? options : { kind: 'mcp', options };
  }
  if (command !== 'ask') return usage(`unknown command "${command}"; the commands are: ${COMMANDS}`);
  const question = words.join(' ').trim();
  if (!question) return usage('missing question: llm-compiler ask "<question>"');
  const options = runOptions(values, env, cwd);
  return 'kind' in options ? options : { kind: 'ask', options: { question, ...options, json: values.json ?? false } };
}

const COMMANDS = 'llm-compiler ask "<question>", llm-compiler mcp';

interface RunFlags {
  cwd?: string;
  mode?: string;
  'base-url'?: string;
  model?: string;
  'max-concurrency'?: string;
  'max-rounds'?: string;
  'max-turns'?: string;
  timeout?: string;
  'warm-prompt-cache'?: string;
  'list-protected-files'?: boolean;
}

/** The options `ask` and `mcp` share, or the usage error of the first one that is wrong. */
function runOptions(values: RunFlags, env: NodeJS.ProcessEnv, cwd: string): RunOptions | CliCommand {
  const mode = values.mode ?? 'compiler';
  if (!(RUN_MODES as readonly string[]).includes(mode)) return usage(`--mode must be one of ${RUN_MODES.join(', ')}; got "${mode}"`);

  const numbers: Partial<Record<'maxConcurrency' | 'maxRounds' | 'maxToolTurns' | 'timeoutMs', number>> = {};
  for (const [flag, key] of [
    ['max-concurrency', 'maxConcurrency'],
    ['max-rounds', 'maxRounds'],
    ['max-turns', 'maxToolTurns'],
    ['timeout', 'timeoutMs'],
  ] as const) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) {
      return usage(`--${flag} must be a whole number of at least 1; got "${raw}"`);
    }
    numbers[key] = n;
  }

  const fromFlag = values['base-url'];
  const fromEnv = env.OPENAI_BASE_URL?.trim() || undefined;
  const baseURL = fromFlag ?? fromEnv ?? DEFAULT_BASE_URL;
  if (!isHttpUrl(baseURL)) {
    return usage(`the base URL must be an http(s) URL such as ${DEFAULT_BASE_URL}; got "${baseURL}"`);
  }
  const model = values.model ?? (env.OPENAI_MODEL?.trim() || DEFAULT_MODEL);
  if (!model.trim()) return usage('--model must not be empty');
  const warm = values['warm-prompt-cache'] ?? 'auto';
  if (!(WARM_PROMPT_CACHE as readonly string[]).includes(warm)) {
    return usage(`--warm-prompt-cache must be one of ${WARM_PROMPT_CACHE.join(', ')}; got "${warm}"`);
  }

  return {
    cwd: values.cwd ?? cwd,
    mode: mode as RunMode,
    baseURL,
    baseURLSource: fromFlag !== undefined ? '--base-url' : fromEnv !== undefined ? 'OPENAI_BASE_URL' : 'default',
    model,
    ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    warmPromptCache: warm as WarmPromptCache,
    ...numbers,
    ...(values['list-protected-files'] ? { listProtectedFiles: true } : {}),
  };
}

function usage(message: string): CliCommand {
  return { kind: 'usage-error', message };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const USAGE = `Usage: llm-compiler ask "<question>" [options]
       llm-compiler mcp [options]

ask: answers a question about the codebase in --cwd: a planner model writes a plan of workspace-tool calls
(find_files, grep, read_file, git_log, definition, ...) that run in parallel while it writes; a joiner
model answers from the results, or plans another round. Other modes run the same tools the usual ways,
for comparison: function-calling (native parallel tool calls), react, plan-execute.

mcp: a Model Context Protocol server on stdin/stdout for other agents (Claude Code, VS Code, Cursor): the
workspace tools of --cwd, read-only, and "ask", which answers a whole question as above. Logs go to stderr.

Options:
  --cwd DIR              Workspace to question (default: the current directory)
  --mode MODE            compiler (default), function-calling, react or plan-execute (mcp: the default of ask)
  --base-url URL         OpenAI-compatible API base URL (default: $OPENAI_BASE_URL, else ${DEFAULT_BASE_URL})
  --model NAME           Model name (default: $OPENAI_MODEL, else ${DEFAULT_MODEL})
  --max-concurrency N    Tasks running at once (default 8)
  --max-rounds N         Planning rounds in all (default 3)
  --max-turns N          function-calling: model turns of tool calls before it must answer (default 10)
  --timeout MS           Time limit for the whole run (mcp: for each question), in milliseconds (default 600000)
  --warm-prompt-cache W  auto (default), on or off: send the joiner's prompt ahead, as results come in, for the
                         server to read into its prompt cache while the last tools run (auto: when the server
                         is on this machine, where reading prompts is slow and costs nothing)
  --list-protected-files list_dir and find_files show the names of protected files (secrets, AI-ignored
                         files), marked; their contents stay refused (default: names left out too)
  --json                 ask: one JSON object per line: every run event, then a summary
  -h, --help             Show this help
  -v, --version          Show the version

Environment:
  OPENAI_API_KEY         API key, if the server needs one (local servers such as Ollama do not)
  OPENAI_BASE_URL        Base URL when --base-url is not given
  OPENAI_MODEL           Model when --model is not given

Exit status: 0 answered, 1 run failed, 2 usage error, 3 no model server answers, 130 cancelled (Ctrl-C).
`;
