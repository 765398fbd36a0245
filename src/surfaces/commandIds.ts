// The ids the extension contributes in package.json: its commands, chat participant and task-graph view.
export const COMMANDS = {
  ask: 'llmCompiler.ask',
  cancel: 'llmCompiler.cancel',
  showTaskGraph: 'llmCompiler.showTaskGraph',
  showLog: 'llmCompiler.showLog',
  setApiKey: 'llmCompiler.setApiKey',
  selectModel: 'llmCompiler.selectModel',
} as const;

/** The task-graph webview panel, also named by an activation event so a reload restores it. */
export const GRAPH_VIEW_TYPE = 'llmCompiler.graph';

export const CHAT_PARTICIPANT_ID = 'llm-compiler.compiler';
export const CHAT_PARTICIPANT_NAME = 'compiler';
/** Settings search that shows this extension's settings. */
export const SETTINGS_QUERY = '@ext:llm-compiler.llm-compiler';
