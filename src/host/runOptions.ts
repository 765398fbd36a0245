import { DEFAULT_BASE_URL } from '../providers/openaiClient';
import { READ_AHEAD_CHOICES, createOpenAIModel } from '../providers/openaiModel';
import type { OpenAIModelOptions, ReadAheadChoice } from '../providers/openaiModel';
import type { RunSettings } from '../shared/runSettings';
import type { RunModels } from './session';
import { RUN_MODES } from '../shared/modes';
import type { RunMode } from '../shared/modes';

// The options of a process that answers questions about one folder (`llm-compiler ask`, `llm-compiler mcp`): read
// from its flags and environment, and turned into the run settings and the model they name.

/** The model and run settings shared by `ask` and `mcp`. */
export interface RunOptions {
  /** As given; the command resolves it. */
  cwd: string;
  mode: RunMode;
  baseURL: string;
  /** Where `baseURL` came from, for error messages. */
  baseURLSource: '--base-url' | 'OPENAI_BASE_URL' | 'default';
  /** As named by `--model` or `OPENAI_MODEL`; absent: one is picked from the server's list (`chooseModel`). */
  model?: string;
  apiKey?: string;
  /** Send the joiner's prompt ahead into the server's prompt cache (`auto`: for a server on this machine). */
  readAhead: ReadAheadChoice;
  maxConcurrency?: number;
  maxRounds?: number;
  /** Function calling: model turns of tool calls before the model must answer. */
  maxToolTurns?: number;
  /** Time limit for the whole run (for `mcp`: for each question); the core's default when absent. */
  timeoutMs?: number;
  /** The model's context in tokens, overriding what its server says. */
  contextTokens?: number;
  /** list_dir and find_files show the names of protected files, marked (their contents stay refused). */
  listProtectedFiles?: boolean;
  /** MCP configuration files whose servers' tools are offered beside the workspace tools (`--mcp-config`). */
  mcpConfigs?: string[];
  /** Tool-name patterns that offer external tools not marked read-only (`--allow-tool`). */
  allowTools?: string[];
}

/** The run settings the options set; the others keep their defaults. */
export function runSettingsOf(options: RunOptions): Partial<RunSettings> {
  return {
    mode: options.mode,
    ...(options.timeoutMs !== undefined ? { runTimeoutMs: options.timeoutMs } : {}),
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    ...(options.maxRounds !== undefined ? { maxRounds: options.maxRounds } : {}),
    ...(options.maxToolTurns !== undefined ? { maxToolTurns: options.maxToolTurns } : {}),
    ...(options.contextTokens !== undefined ? { contextTokens: options.contextTokens } : {}),
  };
}

/** The model server the options name, and `model` there, as `ask` and `mcp` both reach them. */
export function modelOptionsOf(options: RunOptions, model: string): OpenAIModelOptions {
  return { baseURL: options.baseURL, model, apiKey: options.apiKey, readAhead: options.readAhead };
}

/** `model` at the options' server. */
export function modelsOf(options: RunOptions, model: string): RunModels {
  return { model: createOpenAIModel(modelOptionsOf(options, model)) };
}

/** The flags `ask` and `mcp` share, as given. */
export interface RunFlags {
  cwd?: string;
  mode?: string;
  'base-url'?: string;
  model?: string;
  'max-concurrency'?: string;
  'max-rounds'?: string;
  'max-turns'?: string;
  timeout?: string;
  'context-tokens'?: string;
  'warm-prompt-cache'?: string;
  'list-protected-files'?: boolean;
  'mcp-config'?: string[];
  'allow-tool'?: string[];
}

/** The options the flags and environment give, or what is wrong with the first flag that is wrong. */
export function parseRunOptions(values: RunFlags, env: NodeJS.ProcessEnv, cwd: string): RunOptions | { problem: string } {
  const mode = values.mode ?? 'compiler';
  if (!(RUN_MODES as readonly string[]).includes(mode)) return problem(`--mode must be one of ${RUN_MODES.join(', ')}; got "${mode}"`);

  const numbers: Partial<Record<'maxConcurrency' | 'maxRounds' | 'maxToolTurns' | 'timeoutMs' | 'contextTokens', number>> = {};
  for (const [flag, key] of [
    ['max-concurrency', 'maxConcurrency'],
    ['max-rounds', 'maxRounds'],
    ['max-turns', 'maxToolTurns'],
    ['timeout', 'timeoutMs'],
    ['context-tokens', 'contextTokens'],
  ] as const) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) {
      return problem(`--${flag} must be a whole number of at least 1; got "${raw}"`);
    }
    numbers[key] = n;
  }

  const fromFlag = values['base-url'];
  const fromEnv = env.OPENAI_BASE_URL?.trim() || undefined;
  const baseURL = fromFlag ?? fromEnv ?? DEFAULT_BASE_URL;
  if (!isHttpUrl(baseURL)) {
    return problem(`the base URL must be an http(s) URL such as ${DEFAULT_BASE_URL}; got "${baseURL}"`);
  }
  const model = values.model ?? (env.OPENAI_MODEL?.trim() || undefined);
  if (model !== undefined && !model.trim()) return problem('--model must not be empty');
  for (const pattern of values['allow-tool'] ?? []) {
    if (!/^[A-Za-z0-9_*?]+$/.test(pattern)) {
      return problem(`--allow-tool takes a tool name as plans write it (letters, digits, _), with * and ? as wildcards; got "${pattern}"`);
    }
  }
  if (values['allow-tool']?.length && !values['mcp-config']?.length) {
    return problem('--allow-tool offers tools of MCP servers: name their configuration with --mcp-config FILE');
  }
  const warm = values['warm-prompt-cache'] ?? 'auto';
  if (!(READ_AHEAD_CHOICES as readonly string[]).includes(warm)) {
    return problem(`--warm-prompt-cache must be one of ${READ_AHEAD_CHOICES.join(', ')}; got "${warm}"`);
  }

  return {
    cwd: values.cwd ?? cwd,
    mode: mode as RunMode,
    baseURL,
    baseURLSource: fromFlag !== undefined ? '--base-url' : fromEnv !== undefined ? 'OPENAI_BASE_URL' : 'default',
    ...(model !== undefined ? { model } : {}),
    ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    readAhead: warm as ReadAheadChoice,
    ...numbers,
    ...(values['list-protected-files'] ? { listProtectedFiles: true } : {}),
    ...(values['mcp-config']?.length ? { mcpConfigs: values['mcp-config'] } : {}),
    ...(values['allow-tool']?.length ? { allowTools: values['allow-tool'] } : {}),
  };
}

function problem(text: string): { problem: string } {
  return { problem: text };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
