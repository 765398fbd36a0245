import type { RunMode } from '../shared/runEvents';

/** The modes `/compare` can race the compiler against, as the `llmCompiler.compareWith` setting lists them. */
export const COMPARE_MODES = ['function-calling', 'react', 'plan-execute'] as const satisfies readonly RunMode[];
export type CompareMode = (typeof COMPARE_MODES)[number];

/** Words that may open a `/compare` prompt to name the other mode: the chat commands' names and the modes' own. */
const MODE_WORDS: Record<string, CompareMode> = {
  fc: 'function-calling',
  'function-calling': 'function-calling',
  react: 'react',
  plan: 'plan-execute',
  'plan-execute': 'plan-execute',
};

/**
 * `/compare [fc|react|plan] <question>`: the mode named by the prompt's first word, else `fallback` (the setting);
 * the question is the rest.
 */
export function parseCompareRequest(prompt: string, fallback: CompareMode): { against: CompareMode; question: string } {
  const match = /^\s*(\S+)(?:\s+|$)/.exec(prompt);
  const named = match ? MODE_WORDS[match[1]!.toLowerCase()] : undefined;
  if (!named) return { against: fallback, question: prompt.trim() };
  return { against: named, question: prompt.slice(match![0].length).trim() };
}
