import { GlobTooComplexError, MAX_GLOB_CHARS, compilePathPattern, literalPrefix, stripTrailingSlashes } from './globPattern';

/** What the rules of one ignore file say about a path: the last matching rule decides. */
export type IgnoreVerdict = 'ignore' | 'keep' | undefined;

/** The rule that decided, with its place in the file for a refusal to name. */
export interface MatchedRule {
  negated: boolean;
  /** 1-based line number in the file. */
  line: number;
  /** The line as written, trimmed. */
  text: string;
}

/**
 * A rule the file holds but the matcher does not apply (too long, too many alternatives, past the caps). `prefix`
 * is the folder (relative to the file's folder, `/`-separated, `''` for all of it) under which it could match.
 */
export interface UnhonouredRule {
  line: number;
  why: string;
  prefix: string;
}

export interface IgnoreFile {
  /** Tests `rel` (relative to the file's folder, `/`-separated) itself; folders above it are the walker's business. */
  match(rel: string, isDir: boolean): IgnoreVerdict;
  /** The rule that decides for `rel`, if any. */
  matchRule(rel: string, isDir: boolean): MatchedRule | undefined;
  /** How many rules apply. */
  readonly size: number;
  /** Rules the file holds that are not applied; empty for most files. */
  readonly unhonoured: readonly UnhonouredRule[];
}

/**
 * Caps on one ignore file, whose lines come from the repository. A rule is at most as long as a model's glob; a
 * file applies at most `MAX_RULES` rules, and its rules with wildcards hold at most `MAX_WILDCARD_CHARS` characters
 * in all (after `{a,b}` expansion): matching a path costs about its length times those characters, so this bounds
 * every check of every path. Rules without wildcards cost a lookup whatever their number.
 */
export const MAX_RULES = 10_000;
export const MAX_WILDCARD_CHARS = 4_000;

export interface ParseOptions {
  /** False for formats without `!` (`.aiexclude`): such a line allows nothing and is dropped. Default true. */
  negation?: boolean;
  /** Rules applied at most (default `MAX_RULES`); the rest are reported unhonoured. */
  maxRules?: number;
  /**
   * The caller refuses all a rule it cannot apply might cover: once one might cover the whole folder, the rest of
   * the file changes nothing and is not read.
   */
  failClosed?: boolean;
}

interface Rule {
  /** Tests the path relative to the file's folder, and its last segment (computed once for all rules). */
  test: (rel: string, name: string) => boolean;
  negated: boolean;
  dirOnly: boolean;
  line: number;
  text: string;
}

/** Trailing whitespace dropped, but a space escaped by `\` kept; a loop, as a regular expression is quadratic here. */
function trimUnescaped(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  if (end < text.length && end > 0 && text[end - 1] === '\\') end++;
  return text.slice(0, end);
}

const SPECIAL = /[*?[\\{]/;

interface ParsedLine {
  pattern: string;
  negated: boolean;
  dirOnly: boolean;
  anchored: boolean;
}

function parseLine(raw: string, negation: boolean): ParsedLine | undefined {
  // Trailing spaces are dropped unless escaped; `#` starts a comment; `\#` and `\!` are literal.
  let line = trimUnescaped(raw);
  if (!line || line.startsWith('#')) return undefined;
  let negated = false;
  if (line.startsWith('!')) {
    if (!negation) return undefined;
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
  return { pattern: line, negated, dirOnly, anchored };
}

/**
 * A name test that first asks what a match needs and the engine answers natively: the pattern's literal ending
 * (`.log` of `*.log`) and its longest literal run. Most names fail there; the full match runs on the rest.
 */
function withNameFilter(pattern: string, test: (name: string) => boolean): (rel: string, name: string) => boolean {
  // Only `*` and `?` are understood here; classes, escapes and braces go straight to the full match.
  if (/[[\\{]/.test(pattern)) return (_rel, name) => test(name);
  const runs = pattern.split(/[*?]/);
  const ending = runs[runs.length - 1]!;
  let longest = '';
  for (const run of runs) if (run.length > longest.length) longest = run;
  return (_rel, name) => name.endsWith(ending) && name.includes(longest) && test(name);
}

/** Where a pattern can match at most: its leading literal folders when anchored, else anywhere. */
function coverOf(parsed: ParsedLine): string {
  return parsed.anchored ? literalPrefix(parsed.pattern) : '';
}

/**
 * Parses `.gitignore`-syntax text (also used for `.ignore`, `.rgignore`, `.git/info/exclude` and the AI-ignore
 * files). Each rule is matched in time linear in the path for each pattern character (see globPattern.ts); literal
 * rules are looked up by name or path.
 */
export function parseIgnoreFile(text: string, options: ParseOptions = {}): IgnoreFile {
  const parser = new IgnoreFileParser(options);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && parser.push(lines[i]!, i + 1); i++);
  return parser.finish();
}

/** Milliseconds of parsing between turns of the event loop, for `parseIgnoreFileAsync`. */
const PARSE_SLICE_MS = 10;

/** `parseIgnoreFile` in slices, so a file of many thousand rules never holds the event loop long. */
export async function parseIgnoreFileAsync(text: string, options: ParseOptions = {}): Promise<IgnoreFile> {
  const parser = new IgnoreFileParser(options);
  const lines = text.split('\n');
  let slice = performance.now();
  for (let i = 0; i < lines.length && parser.push(lines[i]!, i + 1); i++) {
    if ((i & 255) === 255 && performance.now() - slice > PARSE_SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  return parser.finish();
}

/** Reads an ignore file's lines one by one (`push`), then answers for paths (`finish`). */
class IgnoreFileParser {
  private readonly negation: boolean;
  private readonly maxRules: number;
  private readonly rules: Rule[] = [];
  private readonly unhonoured: UnhonouredRule[] = [];
  /** Literal rules by the name (unanchored) or path (anchored) they match: their indexes in `rules`. */
  private readonly byName = new Map<string, number[]>();
  private readonly byPath = new Map<string, number[]>();
  /** Indexes of the rules with wildcards, in order. */
  private readonly wild: number[] = [];
  private wildcardChars = 0;
  private readonly budgetWhy = `past the first ${MAX_WILDCARD_CHARS.toLocaleString('en-US')} characters of rules with wildcards`;

  constructor(private readonly options: ParseOptions) {
    this.negation = options.negation ?? true;
    this.maxRules = options.maxRules ?? MAX_RULES;
  }

  /** Reads line number `line`; false once the rest of the file is not read. */
  push(text: string, line: number): boolean {
    const { rules, unhonoured, budgetWhy } = this;
    if (this.options.failClosed && unhonoured.length > 0 && unhonoured[unhonoured.length - 1]!.prefix === '') return false;
    const raw = text.replace(/\r$/, '');
    const parsed = parseLine(raw, this.negation);
    if (!parsed) return true;
    if (rules.length >= this.maxRules) {
      // The rest of the file is not read: what it might cover is all of the folder.
      unhonoured.push({ line, why: `past the first ${this.maxRules.toLocaleString('en-US')} rules, as are the lines after it`, prefix: '' });
      return false;
    }
    if (parsed.pattern.length > MAX_GLOB_CHARS) {
      unhonoured.push({ line, why: `longer than ${MAX_GLOB_CHARS.toLocaleString('en-US')} characters`, prefix: coverOf(parsed) });
      return true;
    }
    const rule: Rule = { test: () => false, negated: parsed.negated, dirOnly: parsed.dirOnly, line, text: raw.trim() };
    if (!SPECIAL.test(parsed.pattern)) {
      const key = parsed.pattern;
      const index = parsed.anchored ? this.byPath : this.byName;
      const list = index.get(key);
      if (list) list.push(rules.length);
      else index.set(key, [rules.length]);
      rules.push(rule);
      return true;
    }
    // Without braces a rule holds its own characters: past the budget it is not compiled at all.
    if (!parsed.pattern.includes('{') && this.wildcardChars + parsed.pattern.length > MAX_WILDCARD_CHARS) {
      unhonoured.push({ line, why: budgetWhy, prefix: coverOf(parsed) });
      return true;
    }
    let compiled: ReturnType<typeof compilePathPattern>;
    try {
      compiled = compilePathPattern(parsed.pattern, parsed.anchored);
    } catch (error) {
      if (!(error instanceof GlobTooComplexError)) throw error;
      unhonoured.push({ line, why: error.message, prefix: coverOf(parsed) });
      return true;
    }
    if (this.wildcardChars + compiled.chars > MAX_WILDCARD_CHARS) {
      unhonoured.push({ line, why: budgetWhy, prefix: coverOf(parsed) });
      return true;
    }
    this.wildcardChars += compiled.chars;
    rule.test = parsed.anchored ? compiled.test : withNameFilter(parsed.pattern, compiled.testName);
    this.wild.push(rules.length);
    rules.push(rule);
    return true;
  }

  finish(): IgnoreFile {
    const { rules, unhonoured, byName, byPath, wild } = this;
    const applies = (index: number, isDir: boolean): boolean => isDir || !rules[index]!.dirOnly;
    const lastOf = (list: number[] | undefined, isDir: boolean): number => {
      if (!list) return -1;
      for (let k = list.length - 1; k >= 0; k--) if (applies(list[k]!, isDir)) return list[k]!;
      return -1;
    };
    const matchRule = (rel: string, isDir: boolean): MatchedRule | undefined => {
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      let best = Math.max(lastOf(byName.get(name), isDir), lastOf(byPath.get(rel), isDir));
      // Only a later rule can overrule the literal one found.
      for (let k = wild.length - 1; k >= 0; k--) {
        const index = wild[k]!;
        if (index < best) break;
        if (applies(index, isDir) && rules[index]!.test(rel, name)) {
          best = index;
          break;
        }
      }
      if (best < 0) return undefined;
      const rule = rules[best]!;
      return { negated: rule.negated, line: rule.line, text: rule.text };
    };
    return {
      size: rules.length,
      unhonoured,
      matchRule,
      match(rel, isDir) {
        const rule = matchRule(rel, isDir);
        return rule === undefined ? undefined : rule.negated ? 'keep' : 'ignore';
      },
    };
  }
}
