import type { Stats } from 'node:fs';
import { plural } from '../../shared/format';
import { constants as fsConstants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { CompilerError, throwIfAborted } from '../../base/errors';
import type { JsonObject } from '../../shared/json';
import { TextBudget, clipLine } from '../textBudget';
import { decodeBytes, splitLines } from './textDecode';
import type { ResolvedPath } from '../paths/workspacePath';
import { recordResolved, resolveWorkspacePath } from '../paths/workspacePath';
import type { ToolReads } from '../../shared/toolContract';

/** Bytes read from one file at most; larger files are shown from their beginning. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;
/** A shown line longer than this is clipped. */
const MAX_LINE_CHARS = 500;

/** What a file that is not a regular one is, for saying why it is not read. */
function specialKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function notRegular(display: string, stat: Stats): CompilerError {
  return new CompilerError('unsupported', `${display} is ${specialKind(stat)}, not a regular file; it is not read.`);
}

/**
 * Refuses anything but a regular file before a tool hands its path to something that reads it (git, the language
 * service): opening a named pipe waits for a writer forever, and a device never ends.
 */
export async function requireRegularFile(abs: string, display: string): Promise<Stats> {
  const stat = await fs.stat(abs);
  if (!stat.isFile()) throw notRegular(display, stat);
  return stat;
}

/**
 * Opening without blocking: a named pipe swapped in after a check would otherwise hold one of libuv's few threads
 * until a writer comes, and four such reads starve every other file operation. O_NONBLOCK changes nothing for
 * regular files. (Windows has no such flag and no such files.)
 */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

/** Opens a regular file for reading; anything else is refused, checked on the open handle itself. */
export async function openRegularFile(abs: string, display: string): Promise<{ handle: fs.FileHandle; stat: Stats }> {
  const handle = await fs.open(abs, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw notRegular(display, stat);
    return { handle, stat };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads at most `MAX_READ_BYTES` of a regular file (anything else is refused). */
export async function readHead(abs: string, signal: AbortSignal, display = abs): Promise<{ bytes: Buffer; size: number }> {
  throwIfAborted(signal);
  const { handle, stat } = await openRegularFile(abs, display);
  try {
    const { size } = stat;
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
    throw new CompilerError('invalid-args', `start_line ${start} is past the end of ${display}, which has ${plural(total, 'line')}.`);
  }
  const end = Math.min(range.end ?? total, total);

  const notes: string[] = [];
  if (decoded.encoding !== 'utf-8') notes.push(decoded.encoding);
  if (partial) notes.push(`only the first ${bytes.length} of ${size} bytes read`);
  const whole = start === 1 && end === total;
  const header = `${display}${label} (${whole ? plural(total, 'line') : `lines ${start}-${end} of ${total}`}${partial ? '+' : ''}${notes.length ? `; ${notes.join('; ')}` : ''}):`;

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

/**
 * The workspace file a tool reads, checked the same way by every tool that opens one: inside the workspace, not
 * protected, recorded for reuse, not a folder (`folderHint` says what to use instead), and a regular file (a named
 * pipe would hold the reader until the task times out).
 */
export async function openableFile(
  input: string,
  ctx: { roots: readonly string[]; reads?: ToolReads },
  policy: { check(root: string, rel: string, display: string): void },
  folderHint: string,
): Promise<ResolvedPath> {
  const target = await resolveWorkspacePath(input, ctx.roots);
  policy.check(target.root, target.rel, target.display);
  await recordResolved(ctx.reads, target);
  if ((await fs.stat(target.abs)).isDirectory()) throw new CompilerError('invalid-args', `${target.display} is a folder; ${folderHint}.`);
  await requireRegularFile(target.abs, target.display);
  return target;
}
