import * as path from 'node:path';
import { CompilerError, throwIfAborted } from '../../base/errors';
import { walkFiles } from './fileWalker';
import { globFilter } from './globPlan';
import type { IgnoreRules } from '../paths/ignoreRules';
import type { SearchLine, TextQuery } from './searchTypes';
import { MAX_LINE_BYTES, comparePaths } from './searchTypes';
import { decodeBytes } from '../files/textDecode';
import { openRegularFile } from '../files/fileContent';
import type { LineMatcher } from './rustRegex';
import { RgPatternError, compileRgRegex } from './rustRegex';

/** Files larger than this are not searched by the fallback (they would be read whole into memory). */
const MAX_SEARCH_BYTES = 64 * 1024 * 1024;
/** Small files are read ahead while earlier ones are searched; large ones only when their turn comes. */
const READ_AHEAD = 8;
const READ_AHEAD_MAX_BYTES = 1024 * 1024;
/** Lines handed on at once: few enough that a stopped search has done little extra work, enough to amortise a hand-over. */
const BATCH_LINES = 256;

export type { LineMatcher };

/** What the fallback adds to rg's refusal of a pattern: it answered instead of rg, whose words these are. */
export const FALLBACK_HINT = "(ripgrep's own words: grep ran its JavaScript fallback, which reads patterns as ripgrep 13 does; installing ripgrep answers with rg itself)";

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** A compiled grep pattern: per line, and a quick test that rules a whole file out. */
export interface PatternMatcher {
  find: LineMatcher;
  mayMatch(text: string): boolean;
}

/**
 * A grep pattern as ripgrep reads it. Regular expressions run on ripgrep's own engine (Rust's regex crate, see
 * rustRegex.ts): the same syntax, Unicode classes and word boundaries, refusals in rg's words, linear time. A literal
 * is an escaped JavaScript expression: nothing in it can backtrack, and V8 runs it far faster.
 */
export async function compilePattern(query: Pick<TextQuery, 'pattern' | 'regex' | 'caseSensitive'>): Promise<PatternMatcher> {
  if (!query.regex) {
    const re = new RegExp(escapeRegExp(query.pattern), query.caseSensitive ? 'u' : 'iu');
    return { find: (line) => line.search(re), mayMatch: (text) => re.test(text) };
  }
  try {
    return await compileRgRegex(query.pattern, query.caseSensitive);
  } catch (error) {
    if (error instanceof RgPatternError) throw new CompilerError('invalid-args', `${error.rgWords}\n${FALLBACK_HINT}`);
    throw error;
  }
}

/** A line as shown: without its `\r`, and cut as ripgrep previews a long one. */
function shown(line: string): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  return text.length > MAX_LINE_BYTES ? `${text.slice(0, MAX_LINE_BYTES)} [... omitted end of long line]` : text;
}

export interface LineHit {
  rel: string;
  line: SearchLine;
}

/** Receives found lines a batch at a time; resolves false to stop the search. */
export type BatchSink = (hits: LineHit[]) => Promise<boolean>;

/** Collects lines and hands them on in batches. */
class Batcher {
  private hits: LineHit[] = [];
  constructor(private readonly sink: BatchSink) {}

  add(hit: LineHit): void {
    this.hits.push(hit);
  }

  get full(): boolean {
    return this.hits.length >= BATCH_LINES;
  }

  /** Hands the lines on once there are enough of them (`force`: whatever there is); false when the sink stops. */
  async flush(force = false): Promise<boolean> {
    if (this.hits.length === 0 || (!force && this.hits.length < BATCH_LINES)) return true;
    const hits = this.hits;
    this.hits = [];
    return this.sink(hits);
  }
}

/**
 * Match and context lines of one file's text, as `rg --context N` prints them (overlapping windows merged). Lines are
 * matched with their `\r`, as rg does (`$` does not match before it). Resolves false when the sink stopped.
 */
async function searchLines(rel: string, text: string, match: LineMatcher, context: number, out: Batcher): Promise<boolean> {
  const before: string[] = []; // the last `context` lines not yet emitted
  let afterUntil = 0;
  let lineNo = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    lineNo++;
    const at = match(line);
    if (at >= 0) {
      for (let k = 0; k < before.length; k++) out.add({ rel, line: { line: lineNo - before.length + k, text: shown(before[k]!) } });
      before.length = 0;
      out.add({ rel, line: { line: lineNo, text: shown(line), column: at + 1 } });
      afterUntil = lineNo + context;
    } else if (lineNo <= afterUntil) {
      out.add({ rel, line: { line: lineNo, text: shown(line) } });
    } else if (context > 0) {
      before.push(line);
      if (before.length > context) before.shift();
    }
    // Awaited only when there is a batch to hand on: a turn per line would cost more than matching it.
    if (out.full && !(await out.flush())) return false;
  }
  return true;
}

export interface LineSearchRun {
  root: string;
  rules: IgnoreRules;
  signal: AbortSignal;
}

/** A file's decoded text (undefined when it is not searched: binary, unreadable, not a regular file) and size. */
async function readText(abs: string, rel: string, maxBytes: number): Promise<{ text?: string; size: number }> {
  // Only regular files, opened without blocking: a named pipe would hold a libuv thread until a writer comes.
  const opened = await openRegularFile(abs, rel).catch(() => undefined);
  if (!opened) return { size: 0 };
  try {
    const size = opened.stat.size;
    if (size > maxBytes) return { size };
    const bytes = await opened.handle.readFile().catch(() => undefined);
    if (!bytes) return { size };
    const decoded = decodeBytes(bytes, true);
    return decoded.binary ? { size } : { text: decoded.text, size };
  } finally {
    await opened.handle.close();
  }
}

/** Seconds of matching one file may take before the fallback gives up on the search, saying so. */
export const FILE_MATCH_SECONDS = 5;

export interface FilesSearched {
  /** False when the sink stopped the search. */
  complete: boolean;
  /** Files not searched because they are larger than the fallback reads (rg would search them). */
  tooLarge: string[];
}

/**
 * Searches the files of one root as ripgrep does: same selection, results and order as the ripgrep search (files
 * by path, lines in order), so a capped search stops at the same lines. Matching is synchronous (one huge line can
 * take seconds), so this runs in the grep fallback's worker thread, never on the main thread. Each file's matching
 * is bounded: past `FILE_MATCH_SECONDS` the search fails, naming the file, rather than run on or leave it out.
 */
export async function searchFiles(run: LineSearchRun, query: TextQuery, sink: BatchSink): Promise<FilesSearched> {
  const match = await compilePattern(query);
  const { include, exclude } = globFilter(query.glob);
  const files: string[] = [];
  await walkFiles({ root: run.root, rules: run.rules, glob: include, exclude, signal: run.signal, onFile: (rel) => void files.push(rel) });
  // The order rg --sort path walks in, which a capped search through rg also gives.
  files.sort(comparePaths);

  const out = new Batcher(sink);
  const tooLarge: string[] = [];
  const reads = new Map<number, Promise<{ text?: string; size: number }>>();
  const prefetch = (i: number): void => {
    if (i < files.length && !reads.has(i)) reads.set(i, readText(path.join(run.root, files[i]!), files[i]!, READ_AHEAD_MAX_BYTES));
  };
  for (let i = 0; i < files.length; i++) {
    throwIfAborted(run.signal);
    for (let k = i; k < i + READ_AHEAD; k++) prefetch(k);
    const early = await reads.get(i)!;
    reads.delete(i);
    const rel = files[i]!;
    // A small file came whole from the read-ahead; a larger one is read now.
    const read = early.size > READ_AHEAD_MAX_BYTES ? await readText(path.join(run.root, rel), rel, MAX_SEARCH_BYTES) : early;
    if (read.size > MAX_SEARCH_BYTES) tooLarge.push(rel);
    if (!read.text || !match.mayMatch(read.text)) continue;
    const deadline = performance.now() + FILE_MATCH_SECONDS * 1000;
    const timed: LineMatcher = (line) => {
      if (performance.now() > deadline) {
        throw new CompilerError(
          'tool-failed',
          `The JavaScript fallback gave up on this search: matching ${rel} took over ${FILE_MATCH_SECONDS} s. Install ripgrep (rg) to search with it, or narrow the search with glob.`,
        );
      }
      return match.find(line);
    };
    if (!(await searchLines(rel, read.text, timed, query.contextLines, out))) {
      await Promise.all(reads.values());
      return { complete: false, tooLarge };
    }
  }
  throwIfAborted(run.signal);
  return { complete: await out.flush(true), tooLarge };
}
