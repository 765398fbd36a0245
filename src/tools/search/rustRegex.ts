import type { RRegex } from 'rregex';
import { CompilerError } from '../../base/errors';

/**
 * Regular expressions as ripgrep 13 reads them, for the grep fallback and for columns: Rust's `regex` crate 1.5 (the
 * one ripgrep 13 is built with), compiled to WebAssembly (`rregex` 1.5.1, whose version follows the crate's). So the
 * syntax, the refusals and their words are rg's own: Unicode `\w`, `\b`, `\d` and `\p{…}`, class intersection
 * `[a-z&&[^aeiou]]`, `(?x)`, `\u0041`; no look-around, back-references, `\Q…\E` or `(?<name>…)`. Linear time, as in
 * rg. The module (about 800 KB of WebAssembly) loads on the first regular expression, never at start-up.
 */
type RRegexModule = { RRegex: typeof RRegex };
let loading: Promise<RRegexModule> | undefined;

function load(): Promise<RRegexModule> {
  // The package is CommonJS: its exports arrive as the namespace's members or, through some loaders, its default.
  loading ??= import('rregex').then((m) => ({ RRegex: m.RRegex ?? (m as unknown as { default: RRegexModule }).default.RRegex }));
  return loading;
}

/** What ripgrep adds after a pattern error that PCRE2 would accept, word for word. */
const PCRE2_NOTE = '\n\nConsider enabling PCRE2 with the --pcre2 flag, which can handle backreferences\nand look-around.';
/** ripgrep's refusal of a pattern that can match a line end, word for word. */
const NEWLINE_REFUSAL =
  `the literal '"\\n"' is not allowed in a regex\n\nConsider enabling multiline mode with the --multiline flag (or -U for short).\nWhen multiline mode is enabled, new line characters can be matched.`;

/** Finds the UTF-16 index of the first match in a line, or -1. */
export type LineMatcher = (line: string) => number;

export interface RgRegex {
  /** Matches one line (without its `\n`) as rg matches it. */
  find: LineMatcher;
  /** False when the text, searched whole, cannot hold a matching line: a file can be skipped in one call. */
  mayMatch(text: string): boolean;
}

type HirNode = { [key: string]: unknown };

/** Walks the syntax tree rregex gives (a JSON rendering of `regex_syntax::hir::Hir`). */
function someNode(node: unknown, test: (n: HirNode) => boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => someNode(n, test));
  if (!node || typeof node !== 'object') return false;
  if (test(node as HirNode)) return true;
  return Object.values(node).some((v) => someNode(v, test));
}

const isNewline = (v: unknown): boolean => v === '\n' || v === 10;

/** rg strips `\n` from classes and refuses a literal `\n`, or a class of nothing else. */
function matchesNewline(hir: unknown): boolean {
  return someNode(hir, (n) => {
    const name = n['@name'];
    if (name === 'regex_syntax::hir::Literal') return ((n['@values'] as unknown[]) ?? []).some(isNewline);
    if (name === 'regex_syntax::hir::ClassUnicode' || name === 'regex_syntax::hir::ClassBytes') {
      const ranges = (n.ranges as Array<{ start: unknown; end: unknown }>) ?? [];
      return ranges.length > 0 && ranges.every((r) => isNewline(r.start) && isNewline(r.end));
    }
    return false;
  });
}

/** Anchors to the whole text (`\A`, `\z`, `(?-m)^`): searched whole, a file would not show a line's match. */
function anchorsText(hir: unknown): boolean {
  return someNode(hir, (n) => n['@name'] === 'regex_syntax::hir::Anchor' && (n['@variant'] === 'StartText' || n['@variant'] === 'EndText'));
}

/** The UTF-16 index of a UTF-8 byte offset in `text`. */
function utf16Index(text: string, byteOffset: number): number {
  if (/^[\x00-\x7f]*$/.test(text)) return byteOffset;
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}

/** ripgrep's refusal of a pattern, in its words (rg appends the PCRE2 note to look-around and back-references). */
export class RgPatternError extends CompilerError {
  constructor(readonly rgWords: string) {
    super('invalid-args', rgWords);
  }
}

/**
 * Compiles a pattern as `rg --ignore-case`/`--case-sensitive --regexp` does; throws `RgPatternError` with rg's
 * words when rg would refuse it.
 */
export async function compileRgRegex(pattern: string, caseSensitive: boolean): Promise<RgRegex> {
  const { RRegex: Regex } = await load();
  let re: RRegex;
  try {
    re = new Regex(pattern);
  } catch (error) {
    const words = String(error instanceof Error ? error.message : error).replace(/^Error: /, '');
    throw new RgPatternError(/backreferences|look-around/.test(words) ? `${words}${PCRE2_NOTE}` : words);
  }
  if (matchesNewline(re.syntax())) {
    re.free();
    throw new RgPatternError(NEWLINE_REFUSAL);
  }
  // `--ignore-case` is the crate's case-insensitive flag: `(?i)` in front, which inline flags can still turn off.
  const line = caseSensitive ? re : (re.free(), new Regex(`(?i)${pattern}`));
  // Searched whole with `^`/`$` at line ends, a file shows at least every line that has a match (classes can also
  // match across lines, so this only rules files out); patterns anchored to the whole text are matched per line.
  let whole: RRegex | undefined = new Regex(`(?m)${caseSensitive ? '' : '(?i)'}${pattern}`);
  if (anchorsText(whole.syntax())) {
    whole.free();
    whole = undefined;
  }
  return {
    find(text) {
      if (!line.isMatch(text)) return -1;
      const m = line.find(text);
      return m ? utf16Index(text, m.start) : -1;
    },
    mayMatch: (text) => !whole || whole.isMatch(text),
  };
}
