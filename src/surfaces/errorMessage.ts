import type { ErrorInfo } from '../base/errors';
import { COMMANDS, SETTINGS_QUERY } from './commandIds';

export interface ErrorAction {
  command: string;
  title: string;
  arguments?: unknown[];
}

/** What the user is told about a failed run: markdown, plus buttons that lead to the fix. */
export interface UserError {
  message: string;
  actions: ErrorAction[];
}

const openSettings: ErrorAction = { command: 'workbench.action.openSettings', title: 'Open LLM Compiler Settings', arguments: [SETTINGS_QUERY] };
const setApiKey: ErrorAction = { command: COMMANDS.setApiKey, title: 'Set API Key' };
const showLog: ErrorAction = { command: COMMANDS.showLog, title: 'Show Log' };

/** Maps a failure to an actionable message by its reason; the original message is kept as the detail. */
export function describeError(error: ErrorInfo): UserError {
  const detail = `\n\n*${escapeMarkdown(error.message)}*`;
  const say = (text: string, ...actions: ErrorAction[]): UserError => ({ message: `${text}${detail}`, actions });
  switch (error.reason) {
    case 'no-model':
      return say(
        '**No language model is available.** Pick a model in the Chat view’s model picker, or point the extension at an OpenAI-compatible server (`llmCompiler.openai.baseUrl` and `llmCompiler.openai.model`) in the settings.',
        openSettings,
      );
    case 'model-auth':
      return say('**The model server rejected the API key.** Set a valid key and ask again.', setApiKey, openSettings);
    case 'model-consent':
      return say('**LLM Compiler may not use this language model yet.** Allow it when VS Code asks, or pick another model.');
    case 'model-not-found':
      return say('**The configured model does not exist on the model server.** Check the model name in the settings.', openSettings);
    case 'model-unreachable':
      return say('**The model server cannot be reached.** Check that it is running and that the base URL in the settings is right.', openSettings);
    case 'rate-limited':
      return say('**The model server is rate-limiting requests.** Wait a moment and ask again.');
    case 'context-too-long':
      return say('**The request did not fit the model’s context.** Give the model a larger context on its server, or ask a narrower question.', showLog);
    case 'context-too-small':
      return say('**The model’s context is too small to answer.** Give the model a larger context on its server (the detail says how), or set `llmCompiler.contextTokens` if it already has one.', openSettings);
    case 'model-error':
      return say('**The model server returned an error.**', showLog);
    case 'unusable-plan':
    case 'plan-syntax':
      return say('**The model did not write a usable plan.** Try a stronger model, or run the question the ReAct way with `/react`.', showLog);
    case 'joiner-format':
      return say('**The model’s answer was not in the expected format.** Try again or pick a stronger model.', showLog);
    default:
      return say('**The question could not be answered.**', showLog);
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

/**
 * What a command line adds to a failure's message, by its reason: `llm-compiler ask`, and the MCP server, whose
 * configuration holds the same flags and environment. Undefined when the message says it all.
 */
export function commandLineAdvice(error: ErrorInfo, setup: { apiKeySet: boolean }): string | undefined {
  switch (error.reason) {
    case 'model-auth':
      return setup.apiKeySet ? 'Check OPENAI_API_KEY: the server refused the key it holds.' : 'Set OPENAI_API_KEY to a key for this server.';
    case 'model-not-found':
    case 'no-model':
      return 'Name a model with --model NAME (or OPENAI_MODEL).';
    default:
      return undefined;
  }
}
