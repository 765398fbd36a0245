import * as path from 'node:path';
import { throwIfAborted } from '../../base/errors';
import type { SymbolOp, SymbolOps, SymbolQuery } from './symbolProtocol';
import { ReadPolicy } from '../paths/readPolicy';
import { SymbolWorker } from './symbolWorker';
import { TS_EXTENSIONS } from './tsFiles';
import { CONFIG_NAMES, DEFAULT_LIMITS } from './tsProjectSet';
import type { ProjectLimits } from './tsProjectSet';
import { listFiles, searchTargets } from '../search/workspaceSearch';
import type { SearchBackend } from '../search/workspaceSearch';
import type { ToolReads } from '../../shared/toolContract';

/** Sources, and the config files that make projects of them: one listing finds both. */
const SOURCE_GLOB = `{${[...TS_EXTENSIONS.map((e) => `*${e}`), ...CONFIG_NAMES].join(',')}}`;
/** Files indexed at most; a larger tree is indexed partially. */
const MAX_FILES = 20_000;
/** How long a file listing is trusted before files added or removed are looked for again. */
const RELIST_MS = 5_000;

/**
 * The TypeScript and JavaScript files of a set of roots and the language services over them, one per project
 * (`tsconfig.json`, `jsconfig.json`, or a folder's files in none). Files are listed here; the services live in a
 * worker thread so building them never blocks the event loop.
 */
export class TsProject {
  private listed = new Set<string>();
  /** Files the user named that the listing may skip (e.g. ignored ones). */
  private readonly included = new Set<string>();
  private files = new Set<string>();
  private version = 0;
  private listedAt = 0;
  private readonly worker: SymbolWorker;
  /** True when the roots hold more files than are indexed. */
  partial = false;
  private warming: Promise<void> | undefined;

  constructor(
    readonly roots: readonly string[],
    private readonly search: SearchBackend,
    private readonly protectedGlobs: readonly string[] = [],
    limits: ProjectLimits = DEFAULT_LIMITS,
  ) {
    this.worker = new SymbolWorker(roots, () => ({ version: this.version, files: this.files }), protectedGlobs, limits);
  }

  /**
   * Answers a query from the language service, with the file list refreshed if stale; builds the service on first
   * use. With `reads`, the files the program holds beyond the listing (see `recordReads`) are recorded too.
   */
  async query<K extends SymbolOp>(query: SymbolQuery<K>, signal: AbortSignal, reads?: ToolReads): Promise<SymbolOps[K]['result']> {
    throwIfAborted(signal);
    // An outline reads one file's syntax; it needs no listing.
    if (query.op !== 'outline' && Date.now() - this.listedAt > RELIST_MS) {
      const startedAt = Date.now();
      const { files, complete } = await listFiles(this.backend(), searchTargets(this.roots, SOURCE_GLOB), signal, MAX_FILES);
      const policy = new ReadPolicy(this.protectedGlobs);
      this.listed = new Set(files.filter((f) => policy.refusal(f.root, f.rel) === undefined).map((f) => path.join(f.root, ...f.rel.split('/'))));
      this.partial = !complete;
      // The listing shows the tree as it was when it began.
      this.listedAt = startedAt;
      this.update();
    }
    // A tree with no TypeScript or JavaScript file has no service to build: its warm-up starts no worker thread
    // (which would load TypeScript, ~0.3 s of CPU and tens of MB, for nothing).
    if (query.op === 'warm' && this.files.size === 0) return { files: 0 } as SymbolOps[K]['result'];
    const asked = Date.now();
    const { result, read } = await this.worker.run(query, signal);
    if (reads) {
      // Known only once the program is built, so recorded after it read them: a change since `asked` is not trusted.
      const further = new Set([...read, ...[...this.included].filter((f) => !this.listed.has(f))]);
      await Promise.all([...further].map((f) => reads.path(f, { since: asked })));
    }
    return result;
  }

  /**
   * Builds the language service ahead of use (a question has arrived; its planner is still writing). Called again
   * while a build runs or after it, it costs nothing; a failed or aborted build is tried again next time, and so is
   * a tree that had no sources.
   */
  warm(signal: AbortSignal): Promise<void> {
    this.warming ??= this.query({ op: 'warm' }, signal).then(
      ({ files }) => {
        // Nothing was built: the next question looks again, in case sources have been added.
        if (files === 0) this.warming = undefined;
      },
      () => {
        this.warming = undefined;
      },
    );
    return this.warming;
  }

  /**
   * Records what the next answer depends on: the files under every root, their contents included. A listing
   * younger than `RELIST_MS` is reused, so changes count from when it was taken.
   */
  async recordReads(reads: ToolReads | undefined): Promise<void> {
    if (!reads) return;
    const since = Date.now() - this.listedAt <= RELIST_MS ? this.listedAt : Infinity;
    for (const root of this.roots) await reads.tree(root, { excludeGlobs: this.backend().excludeGlobs, contents: true, since });
  }

  private backend(): SearchBackend {
    return { ...this.search, excludeGlobs: [...this.search.excludeGlobs, '**/node_modules'] };
  }

  /** Makes sure a file the user named is part of the program even if the listing skipped it (e.g. ignored). */
  include(file: string): void {
    if (this.included.has(file)) return;
    this.included.add(file);
    this.update();
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  /** Ends the worker thread; a later query starts a new one. */
  close(): void {
    this.worker.close();
  }

  private update(): void {
    const files = new Set([...this.listed, ...this.included]);
    if (files.size === this.files.size && [...files].every((f) => this.files.has(f))) return;
    this.files = files;
    this.version++;
  }
}

/** Language services per set of roots, so repeated questions reuse a built program. */
export class SymbolProjects {
  private readonly projects = new Map<string, TsProject>();

  constructor(
    private readonly search: SearchBackend,
    private readonly protectedGlobs: readonly string[] = [],
    private readonly limits: ProjectLimits = DEFAULT_LIMITS,
  ) {}

  get(roots: readonly string[]): TsProject {
    const key = roots.join('\0');
    let project = this.projects.get(key);
    if (!project) {
      project = new TsProject([...roots], this.search, this.protectedGlobs, this.limits);
      this.projects.set(key, project);
    }
    return project;
  }

  /** Ends every worker thread. */
  close(): void {
    for (const project of this.projects.values()) project.close();
  }
}
