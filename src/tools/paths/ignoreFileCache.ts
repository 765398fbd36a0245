import * as fs from 'node:fs';
import { parseIgnoreFile } from './ignoreFile';
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
    return remember(file, signature, fs.readFileSync(file, 'utf8'));
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
  const text = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : remember(file, signature, text);
}
