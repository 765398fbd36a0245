// The extension's settings (`llmCompiler.*`, as contributed in package.json), read and written in this one place.
// It takes VS Code's `workspace` as a parameter, so it runs against a fake in unit tests.
import type * as vscode from 'vscode';
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from '../providers/openaiClient';
import { READ_AHEAD_CHOICES } from '../providers/openaiModel';
import type { ReadAheadChoice } from '../providers/openaiModel';
import { DEFAULT_RESULT_CACHE_BYTES } from '../core/resultCache';
import { DEFAULT_RUN_SETTINGS } from '../shared/runSettings';
import type { RunSettings } from '../shared/runSettings';
import { COMPARE_MODES, RUN_MODES } from '../shared/modes';
import type { CompareMode, RunMode } from '../shared/modes';

export const SETTINGS_SECTION = 'llmCompiler';

/** The `llmCompiler.model` setting's values. */
export const MODEL_CHOICES = ['auto', 'openai', 'vscode-lm'] as const;
export type ModelChoice = (typeof MODEL_CHOICES)[number];

/**
 * Every setting with its default and, where it has one, its list of values; package.json contributes exactly these.
 * `tools` has no default here: unset means every tool.
 */
export const SETTINGS = {
  mode: { default: DEFAULT_RUN_SETTINGS.mode, enum: RUN_MODES },
  maxConcurrency: { default: DEFAULT_RUN_SETTINGS.maxConcurrency },
  taskTimeoutMs: { default: DEFAULT_RUN_SETTINGS.taskTimeoutMs },
  maxRounds: { default: DEFAULT_RUN_SETTINGS.maxRounds },
  maxToolTurns: { default: DEFAULT_RUN_SETTINGS.maxToolTurns },
  compareWith: { default: 'function-calling' as CompareMode, enum: COMPARE_MODES },
  runTimeoutMs: { default: DEFAULT_RUN_SETTINGS.runTimeoutMs },
  /** 0: learned from the model's server. */
  contextTokens: { default: 0 },
  tools: { default: undefined },
  model: { default: 'auto', enum: MODEL_CHOICES },
  'vscodeLm.selector': { default: {} },
  'openai.baseUrl': { default: DEFAULT_BASE_URL },
  'openai.model': { default: '' },
  'openai.plannerModel': { default: '' },
  'openai.joinerModel': { default: '' },
  'openai.requestTimeoutMs': { default: DEFAULT_TIMEOUT_MS },
  'openai.warmPromptCache': { default: 'auto', enum: READ_AHEAD_CHOICES },
  protectedFiles: { default: [] },
  listProtectedFiles: { default: false },
  'resultCache.maxMegabytes': { default: DEFAULT_RESULT_CACHE_BYTES / (1024 * 1024) },
  externalTools: { default: [] },
} as const satisfies Record<string, { default: unknown; enum?: readonly string[] }>;

/** The part of `vscode.workspace` settings are read through. */
export type SettingsWorkspace = Pick<typeof vscode.workspace, 'getConfiguration' | 'workspaceFolders'>;

/** The run settings (unset or invalid ones fall back to the core's defaults) and the enabled tools. */
export interface ConfiguredRun {
  settings: Partial<RunSettings>;
  /** Enabled tool names; undefined = all. */
  tools?: string[];
}

export function readRunSettings(workspace: SettingsWorkspace): ConfiguredRun {
  const config = workspace.getConfiguration(SETTINGS_SECTION);
  const settings: Partial<RunSettings> = {};
  const mode = config.get<unknown>('mode');
  if (typeof mode === 'string' && (RUN_MODES as readonly string[]).includes(mode)) settings.mode = mode as RunMode;
  for (const key of ['maxConcurrency', 'taskTimeoutMs', 'maxRounds', 'maxToolTurns', 'runTimeoutMs', 'contextTokens'] as const) {
    const value = config.get<unknown>(key);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) settings[key] = value;
  }
  const tools = config.get<unknown>('tools');
  return {
    settings,
    ...(Array.isArray(tools) ? { tools: tools.filter((t): t is string => typeof t === 'string') } : {}),
  };
}

/** The mode `/compare` races the compiler against when the prompt names none. */
export function readCompareWith(workspace: SettingsWorkspace): CompareMode {
  const value = workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('compareWith');
  return (COMPARE_MODES as readonly unknown[]).includes(value) ? (value as CompareMode) : SETTINGS.compareWith.default;
}

/** Memory for tool results kept for later questions, in bytes; 0 turns reuse off. */
export function readResultCacheBytes(workspace: SettingsWorkspace): number {
  const value = workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('resultCache.maxMegabytes');
  const megabytes = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : SETTINGS['resultCache.maxMegabytes'].default;
  return Math.floor(megabytes * 1024 * 1024);
}

/** Which model answers: `llmCompiler.model` and `llmCompiler.vscodeLm.selector` (undefined when empty). */
export interface ModelSettings {
  choice: ModelChoice;
  selector?: vscode.LanguageModelChatSelector;
}

export function readModelSettings(workspace: SettingsWorkspace): ModelSettings {
  const config = workspace.getConfiguration(SETTINGS_SECTION);
  const model = config.get<unknown>('model');
  const choice = (MODEL_CHOICES as readonly unknown[]).includes(model) ? (model as ModelChoice) : SETTINGS.model.default;
  const raw = config.get<unknown>('vscodeLm.selector');
  const selector: vscode.LanguageModelChatSelector = {};
  for (const key of ['vendor', 'family', 'id', 'version'] as const) {
    const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string' && value.trim()) selector[key] = value.trim();
  }
  return { choice, ...(Object.keys(selector).length > 0 ? { selector } : {}) };
}

/** The `llmCompiler.openai.*` settings. The API key is not among them: it lives in SecretStorage only. */
export interface OpenAISettings {
  baseUrl: string;
  /** Empty when not configured. */
  model: string;
  plannerModel: string;
  joinerModel: string;
  requestTimeoutMs: number;
  readAhead: ReadAheadChoice;
}

export function readOpenAISettings(workspace: SettingsWorkspace): OpenAISettings {
  const config = workspace.getConfiguration(SETTINGS_SECTION);
  const text = (key: 'openai.baseUrl' | 'openai.model' | 'openai.plannerModel' | 'openai.joinerModel') => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' ? value.trim() : '';
  };
  const timeout = config.get<unknown>('openai.requestTimeoutMs');
  const warm = config.get<unknown>('openai.warmPromptCache');
  return {
    baseUrl: text('openai.baseUrl') || SETTINGS['openai.baseUrl'].default,
    model: text('openai.model'),
    plannerModel: text('openai.plannerModel'),
    joinerModel: text('openai.joinerModel'),
    requestTimeoutMs: typeof timeout === 'number' && timeout > 0 ? timeout : SETTINGS['openai.requestTimeoutMs'].default,
    readAhead: (READ_AHEAD_CHOICES as readonly unknown[]).includes(warm) ? (warm as ReadAheadChoice) : SETTINGS['openai.warmPromptCache'].default,
  };
}

/** What "Select Model" saves, in user settings. */
export type ModelSelection =
  | { choice: 'auto' }
  | { choice: 'vscode-lm'; selector: { vendor: string; id: string } }
  | { choice: 'openai'; model: string };

export async function saveModelSelection(workspace: SettingsWorkspace, selection: ModelSelection): Promise<void> {
  const config = workspace.getConfiguration(SETTINGS_SECTION);
  const global = true;
  if (selection.choice === 'vscode-lm') await config.update('vscodeLm.selector', selection.selector, global);
  if (selection.choice === 'openai') await config.update('openai.model', selection.model, global);
  await config.update('model', selection.choice, global);
}

/** `files.exclude` and `search.exclude` patterns that are on, for every folder (the excludes the Search view uses). */
export function readExcludeGlobs(workspace: SettingsWorkspace): string[] {
  const globs = new Set<string>();
  const scopes: Array<vscode.Uri | undefined> = [undefined, ...(workspace.workspaceFolders ?? []).map((f) => f.uri)];
  for (const scope of scopes) {
    for (const section of ['files.exclude', 'search.exclude']) {
      const patterns = workspace.getConfiguration(undefined, scope).get<Record<string, unknown>>(section) ?? {};
      for (const [glob, on] of Object.entries(patterns)) if (on === true) globs.add(glob);
    }
  }
  return [...globs];
}

/** `llmCompiler.listProtectedFiles`: list_dir and find_files show protected files' names, marked. */
export function readListProtectedFiles(workspace: SettingsWorkspace): boolean {
  return workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('listProtectedFiles') === true;
}

/** `llmCompiler.protectedFiles`: more files the tools never read (gitignore-style globs). */
export function readProtectedGlobs(workspace: SettingsWorkspace): string[] {
  const globs = workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('protectedFiles');
  return Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [];
}

/**
 * `llmCompiler.externalTools`: globs naming the language-model tools of other extensions the planner may call. Taken
 * from user settings alone: a repository's `.vscode/settings.json` must not turn on tools that act outside it.
 */
export function readExternalToolGlobs(workspace: SettingsWorkspace): string[] {
  const globs = workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('externalTools')?.globalValue;
  return Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim()) : [];
}

/** What "Choose External Tools" saves, in user settings; an empty choice removes the setting. */
export async function saveExternalToolGlobs(workspace: SettingsWorkspace, globs: readonly string[]): Promise<void> {
  await workspace.getConfiguration(SETTINGS_SECTION).update('externalTools', globs.length > 0 ? [...globs] : undefined, true);
}
