import { Minimatch } from 'minimatch';

/** What the rules of one ignore file say about a path: the last matching rule decides. */
export type IgnoreVerdict = 'ignore' | 'keep' | undefined;

export interface IgnoreFile {
  /** Tests `rel` (relative to the file's folder, `/`-separated) itself; folders above it are the walker's business. */
  match(rel: string, isDir: boolean): IgnoreVerdict;
}

interface Rule {
  re: RegExp;
  negated: boolean;
  dirOnly: boolean;
  /** Without `/` a rule matches the name at any depth; with one, the path from the file's folder. */
  anchored: boolean;
}

function parseLine(raw: string): Rule | undefined {
  // Trailing spaces are dropped unless escaped; `#` starts a comment; `\#` and `\!` are literal.
  let line = raw.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
  if (!line || line.startsWith('#')) return undefined;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  const dirOnly = line.endsWith('/');
  if (dirOnly) line = line.replace(/\/+$/, '');
  if (!line) return undefined;
  const anchored = line.includes('/');
  line = line.replace(/^\/+/, '');
  const re = new Minimatch(line, { dot: true, nocomment: true, nonegate: true, noext: true }).makeRe();
  return re ? { re, negated, dirOnly, anchored } : undefined;
}

/** Parses `.gitignore`-syntax text (also used for `.ignore`, `.rgignore` and `.git/info/exclude`). */
export function parseIgnoreFile(text: string): IgnoreFile {
  const rules = text.split('\n').map(parseLine).filter((r): r is Rule => r !== undefined);
  return {
    match(rel, isDir) {
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      for (let i = rules.length - 1; i >= 0; i--) {
        const rule = rules[i];
        if (rule.dirOnly && !isDir) continue;
        if (rule.re.test(rule.anchored ? rel : name)) return rule.negated ? 'keep' : 'ignore';
      }
      return undefined;
    },
  };
}
