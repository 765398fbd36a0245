import * as path from 'node:path';
import { CompilerError, throwIfAborted } from '../../base/errors';
import { walkFiles } from './fileWalker';
import { compileGlob } from './globMatch';
import type { IgnoreRules } from './ignoreRules';
import type { HitSink, SearchLine, TextQuery } from './searchTypes';
import { decodeBytes, splitLines } from '../files/textDecode';
import { openRegularFile } from '../files/fileContent';

/** Files larger than this are not searched by the fallback (they would be read whole into memory). */
const MAX_SEARCH_BYTES = 64 * 1024 * 1024;
const PARALLEL_FILES = 8;

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** The JavaScript form of a grep pattern: literal unless `regex`; flags as ripgrep's `-i` / `-s`. */
export function compilePattern(query: Pick<TextQuery, 'pattern' | 'regex' | 'caseSensitive'>): RegExp {
  const flags = query.caseSensitive ? 'u' : 'iu';
  if (!query.regex) return new RegExp(escapeRegExp(query.pattern), flags);
  try {
    return new RegExp(query.pattern, flags);
  } catch {
    // Some patterns rg accepts (e.g. `\-`) are only valid without the `u` flag.
    try {
      return new RegExp(query.pattern, flags.replace('u', ''));
    } catch (error) {
      throw new CompilerError('invalid-args', `Invalid regular expression: ${(error as Error).message}`);
    }
  }
}

/** Match and context lines of one file, as `rg --context N` prints them (overlapping windows merged). */
function searchLines(lines: string[], re: RegExp, context: number): SearchLine[] {
  const out: SearchLine[] = [];
  let printedUpTo = 0; // 1-based number of the last line emitted
  let afterUntil = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const match = re.exec(lines[i]);
    if (match) {
      for (let c = Math.max(printedUpTo + 1, lineNo - context); c < lineNo; c++) out.push({ line: c, text: lines[c - 1] });
      out.push({ line: lineNo, text: lines[i], column: match.index + 1 });
      printedUpTo = lineNo;
      afterUntil = lineNo + context;
    } else if (lineNo <= afterUntil) {
      out.push({ line: lineNo, text: lines[i] });
      printedUpTo = lineNo;
    }
  }
  return out;
}

export interface JsSearchRun {
  root: string;
  rules: IgnoreRules;
  signal: AbortSignal;
}

/** The grep fallback when no ripgrep is available: same selection and result shape, slower. */
export async function jsSearch(run: JsSearchRun, query: TextQuery, onHit: HitSink): Promise<boolean> {
  const re = compilePattern(query);
  const glob = query.glob ? compileGlob(query.glob) : undefined;
  const files: string[] = [];
  await walkFiles({ root: run.root, rules: run.rules, glob, signal: run.signal, onFile: (rel) => void files.push(rel) });
  files.sort();

  // Read a few files ahead, but report them in order so a stop is deterministic.
  let stopped = false;
  const read = async (rel: string): Promise<SearchLine[]> => {
    // Only regular files, opened without blocking: a named pipe would hold a libuv thread until a writer comes.
    const opened = await openRegularFile(path.join(run.root, rel), rel).catch(() => undefined);
    if (!opened) return [];
    let bytes: Buffer | undefined;
    try {
      if (opened.stat.size <= MAX_SEARCH_BYTES) bytes = await opened.handle.readFile().catch(() => undefined);
    } finally {
      await opened.handle.close();
    }
    if (!bytes) return [];
    const decoded = decodeBytes(bytes, true);
    return decoded.binary ? [] : searchLines(splitLines(decoded.text), re, query.contextLines);
  };
  for (let start = 0; start < files.length && !stopped; start += PARALLEL_FILES) {
    throwIfAborted(run.signal);
    const batch = files.slice(start, start + PARALLEL_FILES);
    const found = await Promise.all(batch.map(read));
    for (let k = 0; k < batch.length && !stopped; k++) {
      for (const line of found[k]) {
        if (onHit({ rel: batch[k], line }) === false) {
          stopped = true;
          break;
        }
      }
    }
  }
  throwIfAborted(run.signal);
  return !stopped;
}
