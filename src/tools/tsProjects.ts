import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { throwIfAborted } from '../core/errors';
import { isInside } from './workspacePath';
import { listFiles, searchTargets } from './workspaceSearch';
import type { SearchBackend } from './workspaceSearch';

/** Extensions the TypeScript language service reads. */
export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SOURCE_GLOB = `*.{${TS_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;
/** Files indexed at most; a larger tree is indexed partially. */
const MAX_FILES = 20_000;
/** How long a file listing is trusted before files added or removed are looked for again. */
const RELIST_MS = 5_000;

let typescript: Promise<typeof TS> | undefined;

/** The compiler is large; it is loaded the first time a symbol tool runs, not when the tools are created. */
export function loadTypeScript(): Promise<typeof TS> {
  typescript ??= import('typescript').then((m) => ((m as { default?: typeof TS }).default ?? m) as typeof TS);
  return typescript;
}

export function isTsFile(file: string): boolean {
  return TS_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** One language service over the TypeScript and JavaScript files of a set of roots. */
export class TsProject {
  private files = new Set<string>();
  private listedAt = 0;
  private service: TS.LanguageService | undefined;
  private readonly snapshots = new Map<string, { version: string; snapshot: TS.IScriptSnapshot }>();
  /** True when the roots hold more files than are indexed. */
  partial = false;

  constructor(
    readonly roots: readonly string[],
    private readonly search: SearchBackend,
  ) {}

  /** The service, with the file list refreshed if stale; builds it on first use. */
  async languageService(signal: AbortSignal): Promise<{ ts: typeof TS; service: TS.LanguageService }> {
    throwIfAborted(signal);
    const ts = await loadTypeScript();
    if (Date.now() - this.listedAt > RELIST_MS) {
      const backend = { ...this.search, excludeGlobs: [...this.search.excludeGlobs, '**/node_modules'] };
      const { files, complete } = await listFiles(backend, searchTargets(this.roots, SOURCE_GLOB), signal, MAX_FILES);
      this.files = new Set(files.map((f) => path.join(f.root, ...f.rel.split('/'))));
      this.partial = !complete;
      this.listedAt = Date.now();
    }
    throwIfAborted(signal);
    this.service ??= ts.createLanguageService(this.host(ts), ts.createDocumentRegistry());
    return { ts, service: this.service };
  }

  /** Makes sure a file the user named is part of the program even if the listing skipped it (e.g. ignored). */
  include(file: string): void {
    this.files.add(file);
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  private inRoots(file: string): boolean {
    return this.roots.some((root) => isInside(file, root)) && !file.split(path.sep).includes('node_modules');
  }

  private host(ts: typeof TS): TS.LanguageServiceHost {
    const options: TS.CompilerOptions = {
      allowJs: true,
      checkJs: false,
      // Navigation needs no standard library or @types; leaving them out keeps the first build fast.
      noLib: true,
      types: [],
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.Preserve,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
    };
    const version = (file: string): string => {
      try {
        return String(fs.statSync(file).mtimeMs);
      } catch {
        return '0';
      }
    };
    return {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...this.files],
      getScriptVersion: version,
      getScriptSnapshot: (file) => {
        if (!this.inRoots(file) && !this.files.has(file)) return undefined;
        const v = version(file);
        const cached = this.snapshots.get(file);
        if (cached?.version === v) return cached.snapshot;
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
        } catch {
          return undefined;
        }
        const snapshot = ts.ScriptSnapshot.fromString(text);
        this.snapshots.set(file, { version: v, snapshot });
        return snapshot;
      },
      getCurrentDirectory: () => this.roots[0],
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      // Module resolution only ever sees workspace files: nothing from node_modules or outside the roots is read.
      fileExists: (file) => this.inRoots(file) && ts.sys.fileExists(file),
      readFile: (file) => (this.inRoots(file) ? ts.sys.readFile(file) : undefined),
      directoryExists: (dir) => this.roots.some((root) => isInside(dir, root) || isInside(root, dir)) && ts.sys.directoryExists(dir),
      getDirectories: (dir) => (this.inRoots(dir) ? ts.sys.getDirectories(dir) : []),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
  }
}

/** Language services per set of roots, so repeated questions reuse a built program. */
export class SymbolProjects {
  private readonly projects = new Map<string, TsProject>();

  constructor(private readonly search: SearchBackend) {}

  get(roots: readonly string[]): TsProject {
    const key = roots.join('\0');
    let project = this.projects.get(key);
    if (!project) {
      project = new TsProject([...roots], this.search);
      this.projects.set(key, project);
    }
    return project;
  }
}
