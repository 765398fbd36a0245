// The ids the extension contributes in package.json: its commands, chat participant and task-graph view.
import { MODE_LABELS, RUN_MODES } from '../shared/modes';
import type { RunMode } from '../shared/modes';

export const COMMANDS = {
  ask: 'llmCompiler.ask',
  cancel: 'llmCompiler.cancel',
  showTaskGraph: 'llmCompiler.showTaskGraph',
  showLog: 'llmCompiler.showLog',
  setApiKey: 'llmCompiler.setApiKey',
  selectModel: 'llmCompiler.selectModel',
  clearCachedResults: 'llmCompiler.clearCachedResults',
  copyMcpServerConfig: 'llmCompiler.copyMcpServerConfig',
  chooseExternalTools: 'llmCompiler.chooseExternalTools',
} as const;

/** The task-graph webview panel, also named by an activation event so a reload restores it. */
export const GRAPH_VIEW_TYPE = 'llmCompiler.graph';

export const CHAT_PARTICIPANT_ID = 'llm-compiler.compiler';
export const CHAT_PARTICIPANT_NAME = 'compiler';
/** The participant's commands that answer in another mode, by command; `/compare` races the compiler against one. */
export const CHAT_MODE_COMMANDS: Readonly<Record<string, RunMode>> = Object.fromEntries(
  RUN_MODES.flatMap((mode) => {
    const command = MODE_LABELS[mode].chatCommand;
    return command ? [[command, mode]] : [];
  }),
);
export const CHAT_COMPARE_COMMAND = 'compare';
/** Settings search that shows this extension's settings. */
export const SETTINGS_QUERY = '@ext:llm-compiler.llm-compiler';

/** The language-model tool other chat agents call (`#compiler` in a prompt). */
export const ASK_TOOL_NAME = 'llm-compiler_ask';
export const ASK_TOOL_REFERENCE = 'compiler';
