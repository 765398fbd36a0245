import { parseArgs } from 'node:util';
import type { AskOptions } from '../cli/askCommand';
import type { McpOptions } from '../mcp/mcpCommand';
import { closest } from 'fastest-levenshtein';
import { parseRunOptions } from '../host/runOptions';
import type { RunFlags } from '../host/runOptions';
import { DEFAULT_BASE_URL } from '../providers/openaiClient';
import { RUN_MODES } from '../shared/modes';

// The command line of `llm-compiler`: which command, with which options. The commands themselves live in cli/ and
// mcp/, side by side; this is all they share of the command line besides the run options.

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'ask'; options: AskOptions }
  | { kind: 'mcp'; options: McpOptions }
  | { kind: 'usage-error'; message: string };

/** The options of `llm-compiler`: their names, and whether each takes a value. */
const OPTIONS = {
  cwd: { type: 'string' },
  mode: { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'max-concurrency': { type: 'string' },
  'max-rounds': { type: 'string' },
  'max-turns': { type: 'string' },
  timeout: { type: 'string' },
  'context-tokens': { type: 'string' },
  'warm-prompt-cache': { type: 'string' },
  'list-protected-files': { type: 'boolean' },
  'mcp-config': { type: 'string', multiple: true },
  'allow-tool': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Reads the command line; every mistake becomes a `usage-error` with a message saying what to fix. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): CliCommand {
  // Lenient parsing, then our own checks: Node's strict mode words its errors for programmers, and refuses
  // `--timeout -5` as "ambiguous" before the number can be judged.
  const { values, positionals, tokens } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true, options: OPTIONS });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const problem = optionProblem(token.name, token.rawName, token.value, token.inlineValue);
    if (problem) return usage(problem);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...words] = positionals;
  if (command === undefined) return usage(`missing command: ${COMMANDS}`);
  const flags = values as RunFlags & { json?: boolean; verbose?: boolean };
  if (command === 'mcp') {
    if (words.length) return usage(`mcp takes no question (its clients ask through its "ask" tool); got "${words.join(' ')}"`);
    if (flags.json) return usage('--json is for ask; mcp speaks JSON-RPC on stdout');
    if (flags.verbose) return usage('--verbose is for ask; mcp logs to stderr');
    const options = parseRunOptions(flags, env, cwd);
    return 'problem' in options ? usage(options.problem) : { kind: 'mcp', options };
  }
  if (command !== 'ask') return usage(`unknown command "${command}"; the commands are: ${COMMANDS}`);
  const question = words.join(' ').trim();
  if (!question) return usage('missing question: llm-compiler ask "<question>"');
  const options = parseRunOptions(flags, env, cwd);
  if ('problem' in options) return usage(options.problem);
  return { kind: 'ask', options: { question, ...options, json: flags.json ?? false, ...(flags.verbose ? { verbose: true } : {}) } };
}

/** What is wrong with one option as written, if anything. */
function optionProblem(name: string, rawName: string, value: string | undefined, inline: boolean | undefined): string | undefined {
  const spec = (OPTIONS as Record<string, { type: 'string' | 'boolean' }>)[name];
  if (!spec) {
    const known = Object.keys(OPTIONS).map((o) => `--${o}`);
    return `unknown option ${rawName}${rawName.startsWith('--') ? `; did you mean ${closest(rawName, known)}?` : ''}`;
  }
  if (spec.type === 'boolean') return inline ? `${rawName} takes no value; got "${value}"` : undefined;
  if (value === undefined) return `${rawName} needs a value`;
  // A value that is itself an option was most likely forgotten; a negative number is left for the option to judge.
  if (!inline && value.startsWith('-') && !/^-[\d.]/.test(value)) return `${rawName} needs a value; got the option ${value} (write ${rawName}=${value} if that is the value)`;
  return undefined;
}

const COMMANDS = 'llm-compiler ask "<question>", llm-compiler mcp';

function usage(message: string): CliCommand {
  return { kind: 'usage-error', message };
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
  --mode MODE            ${RUN_MODES[0]} (default), ${RUN_MODES.slice(1).join(', ')} (mcp: the default of ask)
  --base-url URL         OpenAI-compatible API base URL (default: $OPENAI_BASE_URL, else ${DEFAULT_BASE_URL})
  --model NAME           Model name (default: $OPENAI_MODEL, else the first model the server lists that chats,
                         by name; ask says which it picked)
  --max-concurrency N    Tasks running at once (default 8)
  --max-rounds N         Planning rounds in all (default 3)
  --max-turns N          function-calling: model turns of tool calls before it must answer (default 10)
  --timeout MS           Time limit for the whole run (mcp: for each question), in milliseconds (default 600000)
  --context-tokens N     The model's context window in tokens (default: what the server says: llama.cpp,
                         Ollama, LM Studio and vLLM do; else 8192); every prompt is fitted to it
  --warm-prompt-cache W  auto (default), on or off: send the joiner's prompt ahead, as results come in, for the
                         server to read into its prompt cache while the last tools run (auto: when the server
                         is on this machine, where reading prompts is slow and costs nothing)
  --list-protected-files list_dir and find_files show the names of protected files (secrets, AI-ignored
                         files), marked; their contents stay refused (default: names left out too)
  --mcp-config FILE      Also plan over the tools of the MCP servers FILE names (repeatable): Claude Desktop's,
                         Cursor's or Claude Code's {"mcpServers": ...} or VS Code's .vscode/mcp.json. Their
                         servers start with the command and end with it; tools marked read-only are offered
  --allow-tool NAME      Offer an MCP tool not marked read-only (repeatable; * and ? as wildcards), e.g.
                         --allow-tool fs_write_file or --allow-tool 'github_*'
  --json                 ask: one JSON object per line: every run event, then a summary
  --verbose              ask: say on stderr which model, endpoint, search backend and tools the run uses,
                         and what it found out about its setting (the model's context)
  -h, --help             Show this help
  -v, --version          Show the version

Environment:
  OPENAI_API_KEY         API key, if the server needs one (local servers such as Ollama do not)
  OPENAI_BASE_URL        Base URL when --base-url is not given
  OPENAI_MODEL           Model when --model is not given

ask prints the answer alone on stdout; the plan as it runs, the run's figures and errors go to stderr.

Exit status: 0 answered, 1 run failed, 2 usage error, 3 no model server answers, 130 cancelled (Ctrl-C).
`;
