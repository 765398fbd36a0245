import * as vscode from 'vscode';
import type { RunMode, RunSettings } from '../shared/types';

/** The run settings of `llmCompiler.*` (unset ones fall back to the core's defaults) and the enabled tools. */
export interface ConfiguredRun {
  settings: Partial<RunSettings>;
  /** Enabled tool names; undefined = all. */
  tools?: string[];
}

const MODES: readonly RunMode[] = ['compiler', 'react', 'plan-execute'];

export function readRunSettings(): ConfiguredRun {
  const config = vscode.workspace.getConfiguration('llmCompiler');
  const settings: Partial<RunSettings> = {};
  const mode = config.get<string>('mode');
  if (mode && (MODES as readonly string[]).includes(mode)) settings.mode = mode as RunMode;
  const positive = (key: 'maxConcurrency' | 'taskTimeoutMs' | 'maxRounds') => {
    const value = config.get<number>(key);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) settings[key] = value;
  };
  positive('maxConcurrency');
  positive('taskTimeoutMs');
  positive('maxRounds');
  const tools = config.get<unknown>('tools');
  return {
    settings,
    ...(Array.isArray(tools) ? { tools: tools.filter((t): t is string => typeof t === 'string') } : {}),
  };
}
