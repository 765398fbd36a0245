import type { TaskSpan } from './runTrace';

/** A tool result as the model saw it: its text, and the places in files it gave (which name its files). */
export type ShownResult = Pick<TaskSpan, 'text' | 'locations'>;

/**
 * A file citation `path:line` or `path:a-b`; a bare `:line` after a space, `(` or `,` (as in `a.ts:11, :38`) cites
 * the file named last.
 */
const CITATION = /(?:([\w@./-]*[\w@-]\.[A-Za-z]\w*)|(?<=[\s(,])):(\d+)(?:-(\d+))?(?!\d)/g;
const COMMIT = /\b[0-9a-f]{7,40}\b/g;
/** `path:line` inside a result: a definition's or a symbol's place, the symbol a references search started from. */
const PLACE = /(?<![\w@./-])([\w@./-]+):(\d+)/g;
/** A numbered line under a file's heading: `626: text` (a read), `154:14: text` (a reference), `12- text` (context). */
const NUMBERED = /^\s*(\d+)(?::\d+)?[:-]\s/;
/** An outline's declaration: `(line 25)` or `(lines 24-27)`. */
const DECLARED = /\(lines? (\d+)(?:-(\d+))?\)/g;

/** Per file, the lines results showed and the ranges they named (an outline's declaration). */
interface Shown {
  lines: Map<string, Set<number>>;
  ranges: Set<string>;
}

/**
 * The lines a result's text shows, file by file. A file's lines follow a line that names it (a search's or a read's
 * heading, a blame's, an outline's, a definition's `name — path:line`); files are known from the result's locations.
 * What a result cut off its text is not shown, though its locations may still list it.
 */
function shownBy(results: readonly ShownResult[]): Shown {
  const lines = new Map<string, Set<number>>();
  const ranges = new Set<string>();
  const add = (file: string, line: number) => {
    let set = lines.get(file);
    if (!set) lines.set(file, (set = new Set()));
    set.add(line);
  };
  for (const result of results) {
    const files = new Set((result.locations ?? []).map((l) => l.relPath));
    if (files.size === 0) continue;
    let current: string | undefined;
    for (const text of (result.text ?? '').split('\n')) {
      const heading = text.trim();
      const named = [...files].find((f) => heading.startsWith(f) && /^(?:$|[\s(:])/.test(heading.slice(f.length)));
      for (const [, file, line] of text.matchAll(PLACE)) {
        if (files.has(file!)) {
          add(file!, Number(line));
          current = file;
        }
      }
      if (named) current = named;
      if (current === undefined) continue;
      const numbered = NUMBERED.exec(text);
      if (numbered && !named) add(current, Number(numbered[1]));
      for (const [, from, to] of text.matchAll(DECLARED)) {
        add(current, Number(from));
        if (to !== undefined) {
          add(current, Number(to));
          ranges.add(`${current}:${from}-${to}`);
        }
      }
    }
  }
  return { lines, ranges };
}

/**
 * What an answer cites that the run's tool results did not show, as `path:line` (or `path:a-b`) and commit hashes:
 * a line no result's text showed as a line of that file (a range must be shown line by line, or be a declaration's
 * range an outline named), or a commit no result's text names. An answer citing what its tools never returned
 * credits the model with what it did not read.
 */
export function unbackedCitations(answer: string, results: readonly ShownResult[]): string[] {
  const shown = shownBy(results);
  const missing: string[] = [];
  let file: string | undefined;
  for (const [cite, named, from, to] of answer.matchAll(CITATION)) {
    file = named ?? file;
    if (file === undefined) continue;
    const first = Number(from);
    const last = to === undefined ? first : Number(to);
    const lines = shown.lines.get(file);
    let seen = shown.ranges.has(`${file}:${first}-${last}`);
    for (let n = first; !seen && n <= last && lines?.has(n); n++) seen = n === last;
    if (!seen) missing.push(named ? cite : `${file}${cite}`);
  }
  const texts = results.map((r) => r.text ?? '');
  for (const [hash] of answer.matchAll(COMMIT)) if (!texts.some((t) => t.includes(hash))) missing.push(hash);
  return [...new Set(missing)];
}

/** A question whose scripted answer cites what its warm-up run's tool results did not show, and what. */
export interface UnbackedAnswer {
  question: string;
  missing: string[];
}

/** The suite stops on scripted answers that cite what their runs' tool results did not show. */
export class UnbackedAnswersError extends Error {
  constructor(readonly answers: UnbackedAnswer[]) {
    super(`answers citing what no tool result showed: ${answers.map((a) => `${a.question} cites ${a.missing.join(', ')}`).join('; ')}`);
  }
}
