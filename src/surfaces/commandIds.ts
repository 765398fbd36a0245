// Command ids of the extension, as contributed in package.json.
export const COMMANDS = {
  ask: 'llmCompiler.ask',
  cancel: 'llmCompiler.cancel',
  showTaskGraph: 'llmCompiler.showTaskGraph',
  showLog: 'llmCompiler.showLog',
  setApiKey: 'llmCompiler.setApiKey',
} as const;

export const CHAT_PARTICIPANT_ID = 'llm-compiler.compiler';
export const CHAT_PARTICIPANT_NAME = 'compiler';
/** Settings search that shows this extension's settings. */
export const SETTINGS_QUERY = '@ext:llm-compiler.llm-compiler';
