/** One line of grep output: a match, or a context line around one. */
export interface SearchLine {
  /** 1-based. */
  line: number;
  text: string;
  /** 1-based UTF-16 column of the first match on the line; absent for context lines. */
  column?: number;
}

/** The lines found in one file. */
export interface FileHits {
  root: string;
  /** Root-relative, `/`-separated. */
  rel: string;
  lines: SearchLine[];
}

export interface TextQuery {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  contextLines: number;
  /** ripgrep-style glob limiting the files searched, relative to the root. */
  glob?: string;
}

/** Receives results as they are found; returning false stops the search. */
export type HitSink = (hit: { rel: string; line: SearchLine }) => boolean | void;

/** Bytes of a line rg prints in full; a longer line is cut to a preview, so one huge line cannot flood memory. */
export const MAX_LINE_BYTES = 2_000;

/**
 * Path order as `rg --sort path` walks: folder by folder, names compared by their bytes (so `a/b` before `a-c`).
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return Buffer.compare(Buffer.from(x[i]!), Buffer.from(y[i]!));
  }
  return x.length - y.length;
}
