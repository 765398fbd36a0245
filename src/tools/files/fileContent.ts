import * as fs from 'node:fs/promises';
import { CompilerError, throwIfAborted } from '../../base/errors';
import type { JsonObject } from '../../shared/types';
import { TextBudget, clipLine } from '../textBudget';
import { decodeBytes, splitLines } from './textDecode';

/** Bytes read from one file at most; larger files are shown from their beginning. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;
/** A shown line longer than this is clipped. */
const MAX_LINE_CHARS = 500;

/** Reads at most `MAX_READ_BYTES` of a file. */
export async function readHead(abs: string, signal: AbortSignal): Promise<{ bytes: Buffer; size: number }> {
  throwIfAborted(signal);
  const handle = await fs.open(abs, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, MAX_READ_BYTES);
    const bytes = Buffer.alloc(length);
    let offset = 0;
    while (offset < length) {
      const { bytesRead } = await handle.read(bytes, offset, length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      throwIfAborted(signal);
    }
    return { bytes: bytes.subarray(0, offset), size };
  } finally {
    await handle.close();
  }
}

export interface RangeRequest {
  start?: number;
  end?: number;
}

export interface RenderedContent {
  text: string;
  value: JsonObject;
  truncated: boolean;
  /** The first and last line shown (0 when there are none). */
  startLine: number;
  endLine: number;
}

/**
 * Shows file contents (from disk or from git) as numbered lines `N: text` within a budget, for the requested
 * line range. Binary contents are reported, never dumped.
 */
export function renderContent(
  display: string,
  bytes: Buffer,
  size: number,
  range: RangeRequest,
  maxChars: number,
  label = '',
): RenderedContent {
  const decoded = decodeBytes(bytes);
  if (decoded.binary) {
    return {
      text: `${display}${label}: binary file, ${size} bytes (not shown).`,
      value: { path: display, binary: true, size },
      truncated: false,
      startLine: 0,
      endLine: 0,
    };
  }
  const lines = splitLines(decoded.text);
  const total = lines.length;
  const partial = size > bytes.length;
  const start = range.start ?? 1;
  if (range.end !== undefined && range.end < start) {
    throw new CompilerError('invalid-args', `end_line (${range.end}) is before start_line (${start}).`);
  }
  if (total === 0) {
    return { text: `${display}${label}: empty file.`, value: { path: display, startLine: 0, endLine: 0, totalLines: 0, content: '' }, truncated: false, startLine: 0, endLine: 0 };
  }
  if (start > total) {
    throw new CompilerError('invalid-args', `start_line ${start} is past the end of ${display}, which has ${total} lines.`);
  }
  const end = Math.min(range.end ?? total, total);

  const notes: string[] = [];
  if (decoded.encoding !== 'utf-8') notes.push(decoded.encoding);
  if (partial) notes.push(`only the first ${bytes.length} of ${size} bytes read`);
  const whole = start === 1 && end === total;
  const header = `${display}${label} (${whole ? `${total} lines` : `lines ${start}-${end} of ${total}`}${partial ? '+' : ''}${notes.length ? `; ${notes.join('; ')}` : ''}):`;

  const budget = new TextBudget(maxChars);
  budget.add(header);
  const width = String(end).length;
  for (let n = start; n <= end; n++) {
    if (!budget.add(`${String(n).padStart(width)}: ${clipLine(lines[n - 1], 1, MAX_LINE_CHARS)}`)) {
      budget.skip(end - n);
      break;
    }
  }
  const text = budget.finish('use start_line/end_line');
  // The heading is the first kept line; the rest are file lines from `start` on.
  const lastShown = start - 1 + Math.max(0, budget.kept - 1);
  return {
    text,
    value: { path: display, startLine: start, endLine: lastShown, totalLines: total, content: lines.slice(start - 1, lastShown).join('\n') },
    truncated: budget.truncated,
    startLine: start,
    endLine: lastShown,
  };
}
