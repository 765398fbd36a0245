import { pickChatModel } from '../providers/listModels';
import type { ModelPick } from '../providers/listModels';
import { plural } from '../shared/format';
import type { RunOptions } from './runOptions';
import { modelsOf } from './runOptions';
import type { RunModels } from './session';

/** The model a process asks with, and, when none was named, the server's list it was picked from. */
export interface ModelChoice {
  model: string;
  models: RunModels;
  pick?: ModelPick;
}

/**
 * The model named by `--model` or `OPENAI_MODEL`, else one picked from the server's list (`pickChatModel`). Rejects
 * as the listing does: `no-model` (no list, an empty one, none that chats), `model-unreachable`, `model-auth`.
 */
export async function chooseModel(options: RunOptions, signal: AbortSignal): Promise<ModelChoice> {
  if (options.model !== undefined) return { model: options.model, models: modelsOf(options, options.model) };
  const pick = await pickChatModel({ baseURL: options.baseURL, apiKey: options.apiKey, maxRetries: 0 }, signal);
  return { model: pick.model, models: modelsOf(options, pick.model), pick };
}

/**
 * For a process that answers many questions (the MCP server): the choice made at the first question is kept; one
 * that failed is made again at the next, so a server started later is found. `chosen` hears of each new choice.
 */
export function keptModelChoice(options: RunOptions, chosen: (choice: ModelChoice) => void): (signal: AbortSignal) => Promise<ModelChoice> {
  let kept: ModelChoice | undefined;
  return async (signal) => {
    if (kept) return kept;
    const choice = await chooseModel(options, signal);
    if (!kept) chosen(choice);
    kept ??= choice;
    return kept;
  };
}

const NAMES_SHOWN = 20;

/** Which model was picked from the server's list, in one line; `how` says by which rule, for `--verbose`. */
export function pickText(pick: ModelPick, baseURL: string): { line: string; how: string } {
  const from = pick.listed.length === 1 ? `the one model at ${baseURL}` : `the ${plural(pick.listed.length, 'model')} at ${baseURL}`;
  const listed = pick.listed.slice(0, NAMES_SHOWN).join(', ') + (pick.listed.length > NAMES_SHOWN ? `, … (${pick.listed.length - NAMES_SHOWN} more)` : '');
  const left = pick.notChat.length ? `, leaving out ${pick.notChat.slice(0, NAMES_SHOWN).join(', ')} (names of models that do not chat)` : '';
  return {
    line: `model ${pick.model}, picked from ${from} (--model NAME or OPENAI_MODEL names another)`,
    how: `picked as the first by name of GET ${baseURL}/models${left}; listed: ${listed}`,
  };
}
