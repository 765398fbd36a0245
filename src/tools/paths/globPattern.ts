/**
 * Glob matching in time linear in the path for each pattern character, for globs from the model and lines of a
 * repository's ignore files alike. minimatch compiles a line of `[` in quadratic time, and the regular expressions
 * that minimatch and picomatch build backtrack exponentially (`*a*a*a*b` against a 255-character name, or three
 * `**` against a deep path, take seconds), so the pattern is matched here directly: each path segment with the
 * classic wildcard algorithm (greedy, resuming at the last `*`), and the segments with the same algorithm where
 * `**` is the star. Both are O(text × pattern) at worst.
 *
 * Syntax, as ripgrep reads globs: `*` and `?` never match `/`, `**` as a whole segment matches any number of
 * folders (a trailing `/**` at least one), `[a-z]`, `[!a]` and `[^a]` classes, `\` escapes, `{a,b}` alternatives.
 * A `[` without its `]`, or a `{` without a top-level `,` and its `}`, is literal.
 */

/** Alternatives one pattern may expand to through `{a,b}`; more is refused as too complex. */
export const MAX_ALTERNATIVES = 256;
/** Longest glob accepted: far beyond any real one, and it bounds the cost of matching each path. */
export const MAX_GLOB_CHARS = 1_000;
/**
 * Characters all the alternatives of one pattern may hold together; more is refused before any is built (eight
 * `{a,b}` groups before a 400 KB literal would otherwise build 256 copies of it, and a matcher token per character).
 */
export const MAX_EXPANDED_CHARS = 64 * 1024;
/** Nesting of `{` at most. */
const MAX_BRACE_DEPTH = 32;

/** A pattern the matcher refuses (too many alternatives or too deep braces). */
export class GlobTooComplexError extends Error {
  override readonly name = 'GlobTooComplexError';
}

/** One character test: a literal, `?` or a class. */
type CharTest = string | ((ch: string) => boolean);
/** `*`, or a single character. */
type Token = '*' | { test: CharTest };
/** A path segment's tokens, or `**`. */
type Segment = '**' | Token[];

const ANY_CHAR: CharTest = () => true;

function charMatches(test: CharTest, ch: string): boolean {
  return typeof test === 'string' ? test === ch : test(ch);
}

/** Reads `[...]` at `start` (the `[`); undefined when it is not a complete class there. */
function readClass(text: string, start: number): { test: CharTest; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (text[i] === '!' || text[i] === '^') {
    negated = true;
    i++;
  }
  const singles: string[] = [];
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; i < text.length; i++) {
    let ch = text[i]!;
    if (ch === ']' && !first) {
      const test = (c: string): boolean => (singles.includes(c) || ranges.some(([lo, hi]) => c >= lo && c <= hi)) !== negated;
      return { test, end: i + 1 };
    }
    first = false;
    if (ch === '\\' && i + 1 < text.length) ch = text[++i]!;
    if (text[i + 1] === '-' && i + 2 < text.length && text[i + 2] !== ']') {
      let hi = text[i + 2]!;
      i += 2;
      if (hi === '\\' && i + 1 < text.length) hi = text[++i]!;
      ranges.push([ch, hi]);
    } else {
      singles.push(ch);
    }
  }
  return undefined;
}

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  // No `]` after a `[` means every `[` from there on is literal: found once, so a line of `[` stays linear.
  const lastClose = segment.lastIndexOf(']');
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') {
      if (tokens[tokens.length - 1] !== '*') tokens.push('*');
    } else if (ch === '?') {
      tokens.push({ test: ANY_CHAR });
    } else if (ch === '\\' && i + 1 < segment.length) {
      tokens.push({ test: segment[++i]! });
    } else if (ch === '[' && i < lastClose) {
      const cls = readClass(segment, i);
      if (cls) {
        tokens.push({ test: cls.test });
        i = cls.end - 1;
      } else {
        tokens.push({ test: '[' });
      }
    } else {
      tokens.push({ test: ch });
    }
  }
  return tokens;
}

/** Whether `name` matches a segment's tokens: greedy, resuming after the last `*` on a mismatch. */
function matchName(tokens: readonly Token[], name: string): boolean {
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token === '*') {
      starT = t++;
      starN = n;
    } else if (token !== undefined && charMatches(token.test, name[n]!)) {
      t++;
      n++;
    } else if (starT >= 0) {
      t = starT + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (tokens[t] === '*') t++;
  return t === tokens.length;
}

/** The same algorithm over path segments, `**` being the star. */
function matchSegments(pattern: readonly Segment[], parts: readonly string[]): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < parts.length) {
    const seg = pattern[p];
    if (seg === '**') {
      starP = p++;
      starS = s;
    } else if (seg !== undefined && matchName(seg, parts[s]!)) {
      p++;
      s++;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (pattern[p] === '**') p++;
  return p === pattern.length;
}

/**
 * The positions of the `{` … `}` pairs that hold a top-level `,` (only those expand), found in one pass.
 * Returns the pairs by opening position and the commas of each.
 */
function bracePairs(text: string): Map<number, { close: number; commas: number[] }> {
  const pairs = new Map<number, { close: number; commas: number[] }>();
  const open: Array<{ at: number; commas: number[] }> = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '{') {
      if (open.length >= MAX_BRACE_DEPTH) throw new GlobTooComplexError(`more than ${MAX_BRACE_DEPTH} nested braces`);
      open.push({ at: i, commas: [] });
    } else if (ch === ',' && open.length) open[open.length - 1]!.commas.push(i);
    else if (ch === '}' && open.length) {
      const { at, commas } = open.pop()!;
      if (commas.length) pairs.set(at, { close: i, commas });
    }
  }
  return pairs;
}

/**
 * `{a,b}` expanded, refusing more than `MAX_ALTERNATIVES` results or more than `maxChars` characters in all (checked
 * before each step builds its strings).
 */
export function expandBraces(text: string, maxChars = MAX_EXPANDED_CHARS): string[] {
  if (text.length > maxChars) throw new GlobTooComplexError(`longer than ${maxChars.toLocaleString('en-US')} characters`);
  if (!text.includes('{')) return [text];
  const pairs = bracePairs(text);
  if (pairs.size === 0) return [text];
  const total = (list: readonly string[]): number => list.reduce((n, s) => n + s.length, 0);
  // Alternatives of text[from, to): the concatenation of literal runs and expanded pairs.
  const expand = (from: number, to: number): string[] => {
    let results = [''];
    let literalStart = from;
    const append = (options: readonly string[]): void => {
      if (results.length * options.length > MAX_ALTERNATIVES) {
        throw new GlobTooComplexError(`more than ${MAX_ALTERNATIVES} alternatives`);
      }
      // Every result is copied once per option, every option once per result.
      if (total(results) * options.length + total(options) * results.length > maxChars) {
        throw new GlobTooComplexError(`more than ${maxChars.toLocaleString('en-US')} characters once its {a,b} alternatives are expanded`);
      }
      results = results.flatMap((r) => options.map((o) => r + o));
    };
    for (let i = from; i < to; i++) {
      if (text[i] === '\\') {
        i++;
        continue;
      }
      const pair = pairs.get(i);
      if (!pair || pair.close >= to) continue;
      append([text.slice(literalStart, i)]);
      const bounds = [i, ...pair.commas, pair.close];
      const options: string[] = [];
      for (let k = 0; k + 1 < bounds.length; k++) options.push(...expand(bounds[k]! + 1, bounds[k + 1]!));
      append(options);
      i = pair.close;
      literalStart = i + 1;
    }
    append([text.slice(literalStart, to)]);
    return results;
  };
  return [...new Set(expand(0, text.length))];
}

/**
 * `text` without trailing `/`. (`/\/+$/` would be quadratic on a long run of `/` followed by something else: the
 * engine retries the run from every start.)
 */
export function stripTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 47) end--;
  return text.slice(0, end);
}

function compileSegments(pattern: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of pattern.split('/')) {
    if (part === '**') {
      if (segments[segments.length - 1] !== '**') segments.push('**');
    } else {
      segments.push(tokenize(part));
    }
  }
  // A trailing `/**` matches what is inside, not the folder itself: at least one segment.
  if (segments.length > 1 && segments[segments.length - 1] === '**') segments.splice(segments.length - 1, 0, ['*']);
  return segments;
}

/**
 * Compiles a pattern (no leading `/`, no trailing `/`) into a test of root-relative `/`-separated paths: the
 * whole path when `anchored`, else only its last segment. Throws `GlobTooComplexError` for too many alternatives,
 * or when they hold more than `maxChars` characters together; `chars` is what they hold.
 */
export function compilePathPattern(
  pattern: string,
  anchored: boolean,
  maxChars = MAX_EXPANDED_CHARS,
): { test: (rel: string) => boolean; testName: (name: string) => boolean; chars: number } {
  const expanded = expandBraces(pattern, maxChars);
  const alternatives = expanded.map(compileSegments);
  const test = (rel: string): boolean => {
    const parts = anchored ? rel.split('/') : [rel.slice(rel.lastIndexOf('/') + 1)];
    return alternatives.some((segments) => matchSegments(segments, parts));
  };
  // A name alone, without building an array per call: ignore files test thousands of names against each rule.
  const testName = (name: string): boolean => {
    ONE_NAME[0] = name;
    return alternatives.some((segments) => matchSegments(segments, ONE_NAME));
  };
  return { test, testName, chars: expanded.reduce((n, s) => n + s.length, 0) };
}

/** The one-segment path `testName` matches, reused (matching is synchronous). */
const ONE_NAME: string[] = [''];

/**
 * The leading folders of a pattern that hold no wildcard, brace, class or escape (`docs/api` of `docs/api/*.md`):
 * what an anchored pattern can match lies at or below them.
 */
export function literalPrefix(pattern: string): string {
  const kept: string[] = [];
  for (const segment of pattern.split('/')) {
    if (!segment || /[*?[\\{]/.test(segment)) break;
    kept.push(segment);
  }
  return kept.join('/');
}
