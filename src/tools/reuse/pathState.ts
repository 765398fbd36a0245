import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import * as fs from 'node:fs/promises';
import { MAX_READ_BYTES } from '../files/fileContent';

/**
 * How recent a change must be for a file system's timestamps not to tell it apart from a later one. Kernels stamp
 * files from a coarse clock (a tick, up to 16 ms on Windows); file systems that keep whole seconds need two.
 */
const FINE_MARGIN_MS = 50;
const COARSE_MARGIN_MS = 2_000;

/** The later of a stat's modification and change times, in milliseconds (the change time cannot be set back). */
export function changedAtMs(stat: BigIntStats): number {
  const ns = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
  return Number(ns / 1_000_000n);
}

/** Whether a change this long before `sinceMs` might still have happened after it, as the timestamps show it. */
export function changedSince(stat: BigIntStats, sinceMs: number): boolean {
  const coarse = stat.mtimeNs % 1_000_000_000n === 0n && stat.ctimeNs % 1_000_000_000n === 0n;
  return changedAtMs(stat) >= sinceMs - (coarse ? COARSE_MARGIN_MS : FINE_MARGIN_MS);
}

export async function statOrAbsent(abs: string): Promise<BigIntStats | 'absent'> {
  try {
    return await fs.stat(abs, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw error;
  }
}

/** One path as it was: kind, size, times and inode; a content hash when its timestamps cannot be trusted alone. */
export interface PathState {
  abs: string;
  signature: string;
  hash?: string;
}

function signatureOf(stat: BigIntStats | 'absent'): string {
  if (stat === 'absent') return 'absent';
  const kind = stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
  return `${kind}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}:${stat.dev}`;
}

/** What a file holds, or what a folder lists (names and kinds, sorted). */
async function contentHash(abs: string, stat: BigIntStats): Promise<string | undefined> {
  const hash = createHash('sha256');
  if (stat.isDirectory()) {
    const entries = await fs.readdir(abs, { withFileTypes: true });
    const names = entries.map((e) => `${e.name}\0${e.isDirectory() ? 'd' : e.isFile() ? 'f' : 'o'}`).sort();
    return hash.update(names.join('\n')).digest('hex');
  }
  if (!stat.isFile() || stat.size > BigInt(MAX_READ_BYTES)) return undefined;
  return hash.update(await fs.readFile(abs)).digest('hex');
}

/**
 * Records a path before it is read. Its signature identifies it as long as a later change would show in its
 * timestamps; when it changed within the clock's margin of now, a later change could carry the same timestamps,
 * so its content hash is kept as well (what git does for "racily clean" files).
 *
 * A file recorded after it was read (from `readSince` on) is confirmed only if it has not changed since then: what
 * was read may predate a later change, and a file gone since cannot be what was read.
 */
export async function capturePath(abs: string, readSince?: number): Promise<PathState> {
  const now = Date.now();
  const stat = await statOrAbsent(abs).catch(() => undefined);
  // A path that cannot be looked at cannot be confirmed later either.
  if (stat === undefined) return { abs, signature: 'unreadable' };
  if (readSince !== undefined && (stat === 'absent' || changedSince(stat, readSince))) return { abs, signature: 'unreadable' };
  const state: PathState = { abs, signature: signatureOf(stat) };
  if (stat !== 'absent' && changedSince(stat, now)) {
    // Without a hash a racy path cannot be confirmed: it is reported changed.
    state.hash = (await contentHash(abs, stat).catch(() => undefined)) ?? 'unknown';
  }
  return state;
}

/** Whether a path is as `capturePath` recorded it. */
export async function pathUnchanged(state: PathState): Promise<boolean> {
  if (state.signature === 'unreadable') return false;
  const stat = await statOrAbsent(state.abs);
  if (signatureOf(stat) !== state.signature) return false;
  if (state.hash === undefined || stat === 'absent') return true;
  return (await contentHash(state.abs, stat).catch(() => undefined)) === state.hash;
}
