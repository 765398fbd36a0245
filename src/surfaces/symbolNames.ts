// Plain-text helpers of the VS Code symbol tools: identifiers on a line, provider name decorations, and which
// files seem to declare a name.

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

const KEYWORDS = new Set(
  'abstract as async await break case catch class const continue def default delete do else enum export extends false final finally fn for from func function if implements import in instanceof interface let new null package private protected public return static struct super switch this throw true try type typeof var void while with yield'.split(' '),
);

/** 0-based columns where identifiers (not keywords) start, for a location given without a column. */
export function identifierColumns(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(IDENTIFIER)) if (!KEYWORDS.has(m[0])) out.push(m.index);
  return out;
}

/** The identifier at a 0-based column (its start, inside it, or just after it). */
export function wordAt(text: string, column: number): string | undefined {
  for (const m of text.matchAll(IDENTIFIER)) if (m.index <= column && column <= m.index + m[0].length) return m[0];
  return undefined;
}

/** `foo()` and `Foo<T>` as some providers report them, without the decoration. */
export function bareName(name: string): string {
  return name.replace(/\(.*\)$|<.*>$/, '').trim();
}

const DECLARATION = /\b(?:function|class|def|interface|type|enum|struct|trait|const|let|var|val|fn|func|module|namespace)\s+$/;

/** A file's matches of a name: the line text and the 1-based column of the match. */
export interface NameMatches {
  file: string;
  lines: Array<{ text: string; column?: number }>;
}

/** Files that seem to declare the name (a keyword right before it) first, then by number of matches. */
export function rankDeclaringFiles(files: readonly NameMatches[]): string[] {
  const declares = (f: NameMatches) => f.lines.some((l) => l.column !== undefined && DECLARATION.test(l.text.slice(0, l.column - 1)));
  return files
    .map((f, i) => ({ file: f.file, score: (declares(f) ? 1_000_000 : 0) + f.lines.length, i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((f) => f.file);
}
