import { GlobTooComplexError, compilePathPattern, stripTrailingSlashes } from './globPattern';

/** What the rules of one ignore file say about a path: the last matching rule decides. */
export type IgnoreVerdict = 'ignore' | 'keep' | undefined;

export interface IgnoreFile {
  /** Tests `rel` (relative to the file's folder, `/`-separated) itself; folders above it are the walker's business. */
  match(rel: string, isDir: boolean): IgnoreVerdict;
}

interface Rule {
  test: (rel: string) => boolean;
  negated: boolean;
  dirOnly: boolean;
  /** Without `/` a rule matches the name at any depth; with one, the path from the file's folder. */
  anchored: boolean;
}

/** Trailing whitespace dropped, but a space escaped by `\` kept; a loop, as a regular expression is quadratic here. */
function trimUnescaped(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  if (end < text.length && end > 0 && text[end - 1] === '\\') end++;
  return text.slice(0, end);
}

function parseLine(raw: string): Rule | undefined {
  // Trailing spaces are dropped unless escaped; `#` starts a comment; `\#` and `\!` are literal.
  let line = trimUnescaped(raw.replace(/\r$/, ''));
  if (!line || line.startsWith('#')) return undefined;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  const dirOnly = line.endsWith('/');
  if (dirOnly) line = stripTrailingSlashes(line);
  if (!line) return undefined;
  const anchored = line.includes('/');
  // One leading `/` anchors; a second would be part of the pattern (and never match a relative path).
  if (line.startsWith('/')) line = line.slice(1);
  try {
    return { test: compilePathPattern(line, anchored), negated, dirOnly, anchored };
  } catch (error) {
    // A line with more alternatives than the matcher takes is skipped, as ripgrep skips a line it cannot read.
    if (error instanceof GlobTooComplexError) return undefined;
    throw error;
  }
}

/** Parses `.gitignore`-syntax text (also used for `.ignore`, `.rgignore` and `.git/info/exclude`). */
export function parseIgnoreFile(text: string): IgnoreFile {
  const rules = text.split('\n').map(parseLine).filter((r): r is Rule => r !== undefined);
  return {
    match(rel, isDir) {
      for (let i = rules.length - 1; i >= 0; i--) {
        const rule = rules[i];
        if (rule.dirOnly && !isDir) continue;
        if (rule.test(rel)) return rule.negated ? 'keep' : 'ignore';
      }
      return undefined;
    },
  };
}
