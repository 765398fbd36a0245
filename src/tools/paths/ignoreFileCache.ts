import * as fs from 'node:fs';
import { parseIgnoreFile, parseIgnoreFileAsync } from './ignoreFile';
import type { IgnoreFile } from './ignoreFile';
import { LruCache } from '../../base/lruCache';

interface Entry {
  signature: string;
  rules: IgnoreFile;
}

/**
 * Parsed ignore files by path, kept while their size, time and inode stay the same: every search reads the ignore
 * files of the root and of its parents, and compiling their patterns costs more than checking that they are unchanged.
 */
const parsed = new LruCache<string, Entry>(4_096);

function signatureOf(stat: fs.Stats): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

/** Bytes of an ignore file read at most: ten thousand rules of a hundred characters, far beyond any real file. */
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

function remember(file: string, signature: string, text: string): IgnoreFile {
  const rules = parseIgnoreFile(text);
  parsed.set(file, { signature, rules });
  return rules;
}

/** The parsed ignore file at `file`, or undefined when there is none (or it cannot be read, as ripgrep treats it). */
export function readIgnoreFileSync(file: string): IgnoreFile | undefined {
  // Most folders have no ignore file: a stat that reports absence without throwing is the cheap way to find out.
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  const signature = signatureOf(stat);
  const cached = parsed.get(file);
  if (cached?.signature === signature) return cached.rules;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(stat.size, MAX_IGNORE_FILE_BYTES));
      return remember(file, signature, buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** `readIgnoreFileSync` without blocking, for walks over many folders. */
export async function readIgnoreFile(file: string): Promise<IgnoreFile | undefined> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  const signature = signatureOf(stat);
  const cached = parsed.get(file);
  if (cached?.signature === signature) return cached.rules;
  const text = await readHead(file, Math.min(stat.size, MAX_IGNORE_FILE_BYTES)).catch(() => undefined);
  if (text === undefined) return undefined;
  // A file of many thousand rules is parsed in slices: a walk must not hold the event loop while it reads one.
  const rules = await parseIgnoreFileAsync(text);
  parsed.set(file, { signature, rules });
  return rules;
}

async function readHead(file: string, length: number): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
