import * as path from 'node:path';
import { LruCache } from '../base/lruCache';
import type { JsonObject } from '../shared/json';
import type { ReadRecord, ReadRecording, ReadTracker, Tool, ToolOutput } from '../shared/toolContract';
import { stableKey } from './stableKey';

/** A result kept for later questions, and where it came from. */
export interface CachedResult {
  output: ToolOutput;
  runId: string;
  taskId: number;
  /** The tool time of the call that produced it. */
  ms: number;
}

interface Entry extends CachedResult {
  record: ReadRecord;
  bytes: number;
}

export interface ResultCacheStats {
  entries: number;
  bytes: number;
  /** Lookups answered from the cache, and lookups whose result had gone stale. */
  hits: number;
  stale: number;
}

export interface ResultCacheOptions {
  tracker: ReadTracker;
  /** Memory for kept results, in bytes (estimated); the least recently used go first. Default 64 MB. */
  maxBytes?: number;
}

export const DEFAULT_RESULT_CACHE_BYTES = 64 * 1024 * 1024;

/** A rough size in memory: two bytes a character of the output as JSON, plus the record's paths. */
function sizeOf(entry: Omit<Entry, 'bytes'>): number {
  return 2 * JSON.stringify(entry.output).length + entry.record.paths.reduce((n, p) => n + 2 * p.length + 16, 256);
}

/** The folders above a path, nearest first. */
function* foldersAbove(p: string): Generator<string> {
  for (let d = path.dirname(p); ; d = path.dirname(d)) {
    yield d;
    if (path.dirname(d) === d) return;
  }
}

/**
 * Tool results of one session (a VS Code window, an MCP server, a CLI process), reused by later questions: a call
 * with the same tool, roots, budget and resolved arguments is answered from an earlier run while what the result
 * was computed from is unchanged. Results stay in this process.
 */
export class ResultCache {
  private readonly entries: LruCache<string, Entry>;
  /** Each tool object gets a number of its own: a tool rebuilt with other settings (e.g. excludes) is another tool. */
  private readonly toolIds = new WeakMap<Tool, number>();
  private nextToolId = 1;
  private hits = 0;
  private stale = 0;

  constructor(private readonly options: ResultCacheOptions) {
    this.entries = new LruCache(options.maxBytes ?? DEFAULT_RESULT_CACHE_BYTES, (e) => e.bytes);
  }

  /** The key of a call; equal keys are the same call. */
  key(tool: Tool, args: JsonObject, roots: readonly string[], maxChars: number): string {
    let id = this.toolIds.get(tool);
    if (id === undefined) {
      id = this.nextToolId++;
      this.toolIds.set(tool, id);
    }
    return `${tool.name}#${id}\u0000${roots.join('\u0001')}\u0000${maxChars}\u0000${stableKey(args)}`;
  }

  /** Starts recording a call's reads. */
  record(): ReadRecording {
    return this.options.tracker.record();
  }

  /** The kept result of a call if what it read is unchanged; a stale one is dropped. */
  async lookup(key: string, signal: AbortSignal): Promise<CachedResult | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    let fresh = false;
    try {
      fresh = await entry.record.unchanged(signal);
    } catch {
      fresh = false;
    }
    if (signal.aborted) return undefined;
    if (!fresh) {
      // Only the entry that was checked: a newer result may have been stored meanwhile.
      if (this.entries.get(key) === entry) this.entries.delete(key);
      this.stale++;
      return undefined;
    }
    this.hits++;
    return { output: entry.output, runId: entry.runId, taskId: entry.taskId, ms: entry.ms };
  }

  store(key: string, result: CachedResult, record: ReadRecord): void {
    const entry = { ...result, record };
    this.entries.set(key, { ...entry, bytes: sizeOf(entry) });
  }

  /**
   * Drops the results that depend on any of these changed paths: the path itself, a folder holding it, or a folder
   * above it (moved or deleted). One pass for a batch: set lookups, linear in the recorded paths.
   */
  invalidatePaths(paths: readonly string[]): number {
    if (paths.length === 0) return 0;
    const changed = new Set(paths.map((p) => path.resolve(p)));
    const holding = new Set<string>();
    for (const p of changed) {
      for (const d of foldersAbove(p)) {
        if (holding.has(d)) break;
        holding.add(d);
      }
    }
    const affected = (p: string): boolean => {
      if (changed.has(p) || holding.has(p)) return true;
      for (const d of foldersAbove(p)) if (changed.has(d)) return true;
      return false;
    };
    return this.entries.deleteWhere((e) => e.record.paths.some(affected));
  }

  /** Drops the results that depend on a git repository's state. */
  invalidateGit(): number {
    return this.entries.deleteWhere((e) => e.record.git);
  }

  clear(): void {
    this.entries.clear();
  }

  get stats(): ResultCacheStats {
    return { entries: this.entries.size, bytes: this.entries.weight, hits: this.hits, stale: this.stale };
  }
}
