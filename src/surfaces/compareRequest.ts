import { COMPARE_MODES, MODE_LABELS } from '../shared/modes';
import type { CompareMode } from '../shared/modes';
/** Words that may open a `/compare` prompt to name the other mode: the chat commands' names and the modes' own. */
const MODE_WORDS: ReadonlyMap<string, CompareMode> = new Map(
  COMPARE_MODES.flatMap((mode) => {
    const command = MODE_LABELS[mode].chatCommand;
    return command ? [[command, mode] as const, [mode, mode] as const] : [[mode, mode] as const];
  }),
);

/**
 * `/compare [fc|react|plan] <question>`: the mode named by the prompt's first word, else `fallback` (the setting);
 * the question is the rest.
 */
export function parseCompareRequest(prompt: string, fallback: CompareMode): { against: CompareMode; question: string } {
  const match = /^\s*(\S+)(?:\s+|$)/.exec(prompt);
  const named = match ? MODE_WORDS.get(match[1]!.toLowerCase()) : undefined;
  if (!named) return { against: fallback, question: prompt.trim() };
  return { against: named, question: prompt.slice(match![0].length).trim() };
}
