import { devNull } from 'node:os';
import { CompilerError } from '../../base/errors';
import { runLines } from '../childProcess';
import type { GlobPlan } from './globPlan';
import type { HitSink, SearchLine, TextQuery } from './searchTypes';
import { MAX_LINE_BYTES, comparePaths } from './searchTypes';
import { rgColumns } from './jsSearch';

/**
 * The file selection shared by `--files` and searches: hidden files included, ignore files honoured even outside a
 * git repository, no global excludes or config file (so results do not depend on the user's machine), `.git` and
 * the extra excludes skipped, and the glob's file-name part as a file type (see `GlobPlan`).
 */
export function rgSelectionArgs(plan: GlobPlan | undefined, excludeGlobs: readonly string[]): string[] {
  // `/` in printed paths on every platform, as the tools use them.
  const args = ['--hidden', '--no-require-git', '--no-ignore-global', '--no-config', '--path-separator', '/', '--glob', '!.git'];
  for (const exclude of excludeGlobs) args.push('--glob', `!${exclude}`);
  if (plan?.excludeGlob !== undefined) args.push('--glob', `!${plan.excludeGlob}`);
  if (plan?.typeGlob) args.push('--type-add', `globfilter:${plan.typeGlob}`, '--type', 'globfilter');
  args.push('--', plan?.searchPath ?? '.');
  return args;
}

/** rg prints paths under the `.` search path as `./x`; tools work with `x`. */
function stripDot(rel: string): string {
  return rel.startsWith('./') ? rel.slice(2) : rel;
}

export interface RgRun {
  rg: string;
  root: string;
  excludeGlobs: readonly string[];
  signal: AbortSignal;
}

/** The command line of `rgListFiles` (run in the root). */
export function rgFilesArgs(plan: GlobPlan | undefined, excludeGlobs: readonly string[]): string[] {
  return ['--files', ...rgSelectionArgs(plan, excludeGlobs)];
}

/** `rg --files` under one root; `onFile` gets root-relative paths. Resolves true when the listing ran to the end. */
export async function rgListFiles(run: RgRun, plan: GlobPlan | undefined, onFile: (rel: string) => boolean | void): Promise<boolean> {
  const args = rgFilesArgs(plan, run.excludeGlobs);
  let lines = 0;
  const matches = plan?.matches;
  const result = await runLines(run.rg, args, {
    cwd: run.root,
    signal: run.signal,
    onLine(line) {
      lines++;
      const rel = stripDot(line);
      if (!rel || (matches && !matches(rel, false))) return true;
      return onFile(rel);
    },
  });
  // Exit 2 with output means some folders could not be read; rg still listed the rest.
  if (result.code === 2 && lines === 0 && result.stderr) throw new CompilerError('tool-failed', `ripgrep failed: ${result.stderr}`);
  return !result.stopped;
}


function queryFlags(query: Omit<TextQuery, 'glob'>): string[] {
  return [...(query.regex ? [] : ['--fixed-strings']), query.caseSensitive ? '--case-sensitive' : '--ignore-case'];
}

/** rg's mark at the end of a line cut to a preview. */
const PREVIEW_MARK = ' [... omitted end of long line]';

/**
 * The command line of a search (run in the root): the whole selection in parallel, at most `maxCount` matching
 * lines per file, long lines cut to a preview, each line as `path NUL line:text` (context `path NUL line-text`).
 * No `--column`: on a long line with many matches it makes rg find every match (half a gigabyte and 12 s on a
 * 200 MB line, against 0.3 s without); the column is found in the preview instead (see `columnFinder`).
 */
export function rgSearchArgs(query: Omit<TextQuery, 'glob'>, plan: GlobPlan | undefined, excludeGlobs: readonly string[], maxCount: number): string[] {
  const args = ['--no-heading', '--with-filename', '--line-number', '--null', '--color', 'never'];
  args.push('--max-columns', String(MAX_LINE_BYTES), '--max-columns-preview', '--max-count', String(maxCount), ...queryFlags(query));
  if (query.contextLines > 0) args.push('--context', String(query.contextLines));
  args.push('--regexp', query.pattern, ...rgSelectionArgs(plan, excludeGlobs));
  return args;
}

/** Reads one output line of `rgSearchArgs`; undefined for separators and notes (they have no NUL). */
function parseLine(line: string): { rel: string; lineNo: number; match: boolean; text: string } | undefined {
  const nul = line.indexOf('\0');
  if (nul < 0) return undefined;
  const m = /^(\d+)([:-])/.exec(line.slice(nul + 1, nul + 24));
  if (!m) return undefined;
  let text = line.slice(nul + 1 + m[0].length);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return { rel: stripDot(line.slice(0, nul)), lineNo: Number(m[1]), match: m[2] === ':', text };
}

/**
 * The 1-based UTF-16 column of the first match in each line as rg printed it: regular expressions with rg's own
 * engine (in the search worker, see `rgColumns`), literals with an escaped JavaScript expression. A match past a
 * long line's preview is given column 1.
 */
async function columnsOf(query: Omit<TextQuery, 'glob'>, texts: string[], signal: AbortSignal): Promise<number[]> {
  const bodies = texts.map((text) => (text.endsWith(PREVIEW_MARK) && Buffer.byteLength(text) > MAX_LINE_BYTES ? text.slice(0, -PREVIEW_MARK.length) : text));
  if (query.regex) return (await rgColumns(query.pattern, query.caseSensitive, bodies, signal)).map((c) => Math.max(1, c));
  const re = new RegExp(query.pattern.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), query.caseSensitive ? 'u' : 'iu');
  return bodies.map((body) => Math.max(0, body.search(re)) + 1);
}

/** Whether rg refuses the pattern itself (checked on an empty input when a search printed nothing and failed). */
async function rgRejectsPattern(run: RgRun, query: Omit<TextQuery, 'glob'>): Promise<string | undefined> {
  const result = await runLines(run.rg, ['--no-config', ...queryFlags(query), '--regexp', query.pattern, '--', devNull], {
    cwd: run.root,
    signal: run.signal,
    onLine: () => true,
  });
  return result.code === 2 ? result.stderr || 'failed' : undefined;
}

/**
 * The first matching lines by path of all those offered, in memory for about twice what is needed: files arrive in
 * any order (rg's threads), each with at most `maxMatches + 1` matching lines; a file whose path sorts after those
 * that already hold `maxMatches + 1` matches cannot be among the first, and is dropped. Whether a file may be shown
 * is asked only of files that can be among the first (a protected file is then dropped before counting), so a
 * common word does not cost a policy check for every file it occurs in.
 */
class FirstFiles {
  private files = new Map<string, SearchLine[]>();
  private bound: string | undefined;
  private heldMatches = 0;

  constructor(
    private readonly maxMatches: number,
    private readonly keep: (rel: string) => boolean,
  ) {}

  add(rel: string, line: SearchLine): void {
    if (this.bound !== undefined && comparePaths(rel, this.bound) > 0) return;
    let lines = this.files.get(rel);
    if (!lines) this.files.set(rel, (lines = []));
    lines.push(line);
    if (line.column !== undefined && ++this.heldMatches > 2 * (this.maxMatches + 1) + 1_024) this.trim();
  }

  /** Files in path order with their lines in line order. */
  sorted(): Array<[string, SearchLine[]]> {
    this.trim();
    return [...this.files.entries()].sort((a, b) => comparePaths(a[0], b[0]));
  }

  private trim(): void {
    const order = [...this.files.keys()].sort(comparePaths);
    let count = 0;
    let cut = order.length;
    for (let i = 0; i < order.length; i++) {
      const rel = order[i]!;
      if (!this.keep(rel)) {
        this.files.delete(rel);
        continue;
      }
      count += this.files.get(rel)!.filter((l) => l.column !== undefined).length;
      if (count > this.maxMatches) {
        cut = i + 1;
        break;
      }
    }
    this.heldMatches = count;
    if (cut === order.length) return;
    this.bound = order[cut - 1];
    for (const rel of order.slice(cut)) this.files.delete(rel);
  }
}

/**
 * Matching lines a parallel search may print before the search changes course: a word this common is found sooner
 * by walking the files in path order and stopping at the cap than by searching every file.
 */
const SWITCH_LINES = 16_384;

/**
 * Searches one root with rg so that a capped search gives the same lines every time: the first `maxMatches` by path
 * (as `rg --sort path` orders them) then line. One rg walks the selection in parallel, every file yielding at most
 * `maxMatches + 1` matching lines, and the first are kept as they stream, whatever order rg's threads finish in.
 * Should the matches run into thousands (a common word), that rg is stopped and one walking the files in path
 * order is read up to the cap instead, and stopped there. Resolves true when the sink took every line.
 */
export async function rgSearch(
  run: RgRun,
  query: Omit<TextQuery, 'glob'>,
  plan: GlobPlan | undefined,
  maxMatches: number,
  onHit: HitSink,
  /** Files whose lines may be returned (asked only of files that can be among the first); the others are dropped before counting. */
  keepFile?: (rel: string) => boolean,
): Promise<boolean> {
  const keep = keepFile ?? (() => true);
  let first = new FirstFiles(maxMatches, keep);
  let printed = false;
  let seen = 0;
  const args = rgSearchArgs(query, plan, run.excludeGlobs, maxMatches + 1);
  const parallel = await runLines(run.rg, args, {
    cwd: run.root,
    signal: run.signal,
    onLine(raw) {
      const hit = parseLine(raw);
      if (!hit) return;
      printed = true;
      if (plan?.matches && !plan.matches(hit.rel, false)) return;
      if (hit.match && ++seen > Math.max(SWITCH_LINES, 16 * (maxMatches + 1))) return false;
      first.add(hit.rel, hit.match ? { line: hit.lineNo, text: hit.text, column: 0 } : { line: hit.lineNo, text: hit.text });
    },
  });
  if (parallel.stopped) {
    // In path order, the cap is reached after a few files: kept lines are counted as they come, and rg is stopped
    // one match past the cap (context lines of that file may follow; the caller drops them).
    first = new FirstFiles(maxMatches, keep);
    let kept = 0;
    let past = false;
    await runLines(run.rg, ['--sort', 'path', ...args], {
      cwd: run.root,
      signal: run.signal,
      onLine(raw) {
        const hit = parseLine(raw);
        if (!hit || (plan?.matches && !plan.matches(hit.rel, false)) || !keep(hit.rel)) return;
        if (past && hit.match) return false;
        first.add(hit.rel, hit.match ? { line: hit.lineNo, text: hit.text, column: 0 } : { line: hit.lineNo, text: hit.text });
        if (hit.match && ++kept > maxMatches) past = true;
      },
    });
  } else if (parallel.code === 2 && !printed) {
    const refusal = await rgRejectsPattern(run, query);
    if (refusal) throw new CompilerError(query.regex ? 'invalid-args' : 'tool-failed', `ripgrep: ${refusal}`);
  }
  const sorted = first.sorted();
  const matched = sorted.flatMap(([, lines]) => lines.filter((l) => l.column !== undefined));
  const columns = await columnsOf(query, matched.map((l) => l.text), run.signal);
  matched.forEach((line, i) => (line.column = columns[i]));
  for (const [rel, lines] of sorted) {
    lines.sort((a, b) => a.line - b.line);
    for (const line of lines) if (onHit({ rel, line }) === false) return false;
  }
  return true;
}
