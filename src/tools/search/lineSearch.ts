import * as path from 'node:path';
import { RE2JS } from 're2js';
import { CompilerError, throwIfAborted } from '../../base/errors';
import { walkFiles } from './fileWalker';
import { compileGlob } from '../paths/globMatch';
import type { IgnoreRules } from '../paths/ignoreRules';
import { MAX_LINE_BYTES } from './ripgrep';
import type { SearchLine, TextQuery } from './searchTypes';
import { decodeBytes } from '../files/textDecode';
import { openRegularFile } from '../files/fileContent';

/** Files larger than this are not searched by the fallback (they would be read whole into memory). */
const MAX_SEARCH_BYTES = 64 * 1024 * 1024;
/** Small files are read ahead while earlier ones are searched; large ones only when their turn comes. */
const READ_AHEAD = 8;
const READ_AHEAD_MAX_BYTES = 1024 * 1024;
/** Lines handed on at once: few enough that a stopped search has done little extra work, enough to amortise a hand-over. */
const BATCH_LINES = 256;

/** Finds the UTF-16 index of the first match in a line, or -1. */
export type LineMatcher = (line: string) => number;

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * A grep pattern as ripgrep reads it. Regular expressions run on RE2 (`re2js`): linear time, so `(a+)+$` cannot
 * backtrack for minutes, and the syntax of Rust's regex crate that rg uses (`(?i)`, `\p{Han}`, no look-around).
 * A literal is an escaped JavaScript expression: nothing in it can backtrack, and V8 runs it far faster.
 */
export function compilePattern(query: Pick<TextQuery, 'pattern' | 'regex' | 'caseSensitive'>): LineMatcher {
  if (!query.regex) {
    const re = new RegExp(escapeRegExp(query.pattern), query.caseSensitive ? 'u' : 'iu');
    return (line) => line.search(re);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(query.pattern, query.caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw new CompilerError('invalid-args', `Invalid regular expression: ${(error as Error).message}`);
  }
  return (line) => {
    const m = re.matcher(line);
    return m.find() ? m.start() : -1;
  };
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

/** A file's decoded text, or undefined when it is not searched (binary, too large, unreadable, not a regular file). */
async function readText(abs: string, rel: string, maxBytes: number): Promise<string | undefined> {
  // Only regular files, opened without blocking: a named pipe would hold a libuv thread until a writer comes.
  const opened = await openRegularFile(abs, rel).catch(() => undefined);
  if (!opened) return undefined;
  try {
    if (opened.stat.size > maxBytes) return undefined;
    const bytes = await opened.handle.readFile().catch(() => undefined);
    if (!bytes) return undefined;
    const decoded = decodeBytes(bytes, true);
    return decoded.binary ? undefined : decoded.text;
  } finally {
    await opened.handle.close();
  }
}

/**
 * Searches the files of one root as ripgrep does: same selection, results and order as the ripgrep search (files
 * by path, lines in order), so a capped search stops at the same lines. Matching is synchronous (one huge line can
 * take seconds), so this runs in the grep fallback's worker thread, never on the main thread. Resolves false when
 * the sink stopped it.
 */
export async function searchFiles(run: LineSearchRun, query: TextQuery, sink: BatchSink): Promise<boolean> {
  const match = compilePattern(query);
  const glob = query.glob ? compileGlob(query.glob) : undefined;
  const files: string[] = [];
  await walkFiles({ root: run.root, rules: run.rules, glob, signal: run.signal, onFile: (rel) => void files.push(rel) });
  files.sort();

  const out = new Batcher(sink);
  const reads = new Map<number, Promise<string | undefined>>();
  const prefetch = (i: number): void => {
    if (i < files.length && !reads.has(i)) reads.set(i, readText(path.join(run.root, files[i]!), files[i]!, READ_AHEAD_MAX_BYTES).then((t) => t ?? ''));
  };
  for (let i = 0; i < files.length; i++) {
    throwIfAborted(run.signal);
    for (let k = i; k < i + READ_AHEAD; k++) prefetch(k);
    const early = await reads.get(i)!;
    reads.delete(i);
    // A small file came whole from the read-ahead; an empty answer may mean a large one, read now.
    const text = early || (await readText(path.join(run.root, files[i]!), files[i]!, MAX_SEARCH_BYTES));
    if (!text) continue;
    if (!(await searchLines(files[i]!, text, match, query.contextLines, out))) {
      await Promise.all(reads.values());
      return false;
    }
  }
  throwIfAborted(run.signal);
  return out.flush(true);
}
