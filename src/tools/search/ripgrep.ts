import { devNull } from 'node:os';
import { CompilerError } from '../../base/errors';
import { runLines } from '../childProcess';
import type { GlobPlan } from './globPlan';
import type { HitSink, SearchLine, TextQuery } from './searchTypes';

/**
 * The file selection shared by `--files` and searches: hidden files included, ignore files honoured even outside a
 * git repository, no global excludes or config file (so results do not depend on the user's machine), `.git` and
 * the extra excludes skipped, and the glob's file-name part as a file type (see `GlobPlan`).
 */
export function rgSelectionArgs(plan: GlobPlan | undefined, excludeGlobs: readonly string[]): string[] {
  // `/` in printed paths on every platform, as the tools use them.
  const args = ['--hidden', '--no-require-git', '--no-ignore-global', '--no-config', '--path-separator', '/', '--glob', '!.git'];
  for (const exclude of excludeGlobs) args.push('--glob', `!${exclude}`);
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

/** Bytes of a line rg prints in full; a longer line is cut to a preview, so one huge line cannot flood memory. */
export const MAX_LINE_BYTES = 2_000;

/** rg reports byte columns; editors count UTF-16 units. */
function columnOf(text: string, byteColumn: number): number {
  if (/^[\x00-\x7f]*$/.test(text)) return byteColumn;
  return Buffer.from(text, 'utf8').subarray(0, byteColumn - 1).toString('utf8').length + 1;
}

function queryFlags(query: Omit<TextQuery, 'glob'>): string[] {
  return [...(query.regex ? [] : ['--fixed-strings']), query.caseSensitive ? '--case-sensitive' : '--ignore-case'];
}

/** The command line listing the files with a match (run in the root): the whole tree, in parallel, paths only. */
export function rgMatchingFilesArgs(query: Omit<TextQuery, 'glob'>, plan: GlobPlan | undefined, excludeGlobs: readonly string[]): string[] {
  return ['--files-with-matches', '--null', ...queryFlags(query), '--regexp', query.pattern, ...rgSelectionArgs(plan, excludeGlobs)];
}

/**
 * The command line printing the matching lines of some files (run in the root): at most `maxCount` matching lines
 * per file, long lines cut to a preview, each line as `path NUL line:column:text` (context `path NUL line-text`).
 */
export function rgLinesArgs(query: Omit<TextQuery, 'glob'>, files: readonly string[], maxCount: number): string[] {
  const args = ['--no-config', '--no-heading', '--with-filename', '--line-number', '--column', '--null', '--color', 'never'];
  args.push('--max-columns', String(MAX_LINE_BYTES), '--max-columns-preview', '--max-count', String(maxCount), ...queryFlags(query));
  if (query.contextLines > 0) args.push('--context', String(query.contextLines));
  args.push('--regexp', query.pattern, '--', ...files);
  return args;
}

/** Reads one output line of `rgLinesArgs`; undefined for separators and notes (they have no NUL). */
function parseLine(line: string): { rel: string; line: SearchLine } | undefined {
  const nul = line.indexOf('\0');
  if (nul < 0) return undefined;
  const rel = line.slice(0, nul);
  const m = /^(\d+)(?::(\d+):|-)/.exec(line.slice(nul + 1, nul + 40));
  if (!m) return undefined;
  let text = line.slice(nul + 1 + m[0].length);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  const lineNo = Number(m[1]);
  return { rel, line: m[2] !== undefined ? { line: lineNo, text, column: columnOf(text, Number(m[2])) } : { line: lineNo, text } };
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

/** Files searched by one `rgLinesArgs` run: a few at first, more as the search goes on, within a command line's length. */
const FIRST_BATCH = 8;
const MAX_BATCH = 256;
const MAX_BATCH_CHARS = 24_000;

/**
 * Searches one root with rg so that a capped search gives the same lines every time, without giving up rg's
 * parallel walk: first every file with a match is listed (in parallel, each file left at its first match), then
 * the files are searched in path order, a batch at a time, at most `maxMatches + 1` matching lines each, until the
 * sink has enough. Resolves true when the search ran to the end.
 */
export async function rgSearch(
  run: RgRun,
  query: Omit<TextQuery, 'glob'>,
  plan: GlobPlan | undefined,
  maxMatches: number,
  onHit: HitSink,
  /** Files whose lines may be returned; the others are not searched for lines, nor counted against the cap. */
  keepFile?: (rel: string) => boolean,
): Promise<boolean> {
  const files: string[] = [];
  const listed = await runLines(run.rg, rgMatchingFilesArgs(query, plan, run.excludeGlobs), {
    cwd: run.root,
    signal: run.signal,
    separator: 0,
    onLine(line) {
      const rel = stripDot(line.replace(/^\n+|\n+$/g, ''));
      if (rel && (!plan?.matches || plan.matches(rel, false)) && (!keepFile || keepFile(rel))) files.push(rel);
    },
  });
  if (listed.code === 2 && files.length === 0) {
    const refusal = await rgRejectsPattern(run, query);
    if (refusal) throw new CompilerError(query.regex ? 'invalid-args' : 'tool-failed', `ripgrep: ${refusal}`);
  }
  files.sort();

  let matches = 0;
  let batchSize = FIRST_BATCH;
  for (let start = 0; start < files.length; ) {
    const batch: string[] = [];
    let chars = 0;
    while (start < files.length && batch.length < batchSize && (batch.length === 0 || chars + files[start]!.length < MAX_BATCH_CHARS)) {
      chars += files[start]!.length + 1;
      batch.push(files[start++]!);
    }
    batchSize = Math.min(MAX_BATCH, batchSize * 2);
    const byFile = new Map<string, SearchLine[]>(batch.map((rel) => [rel, []]));
    await runLines(run.rg, rgLinesArgs(query, batch, Math.max(1, maxMatches + 1 - matches)), {
      cwd: run.root,
      signal: run.signal,
      onLine(line) {
        const hit = parseLine(line);
        if (hit) byFile.get(hit.rel)?.push(hit.line);
      },
    });
    // The batch's files in path order: which of rg's threads finished first does not matter.
    for (const rel of batch) {
      for (const line of byFile.get(rel)!) {
        if (line.column !== undefined) matches++;
        if (onHit({ rel, line }) === false) return false;
      }
    }
  }
  return true;
}
