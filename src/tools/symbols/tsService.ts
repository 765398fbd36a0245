import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { ReadPolicy } from '../paths/readPolicy';
import { isInside } from '../paths/workspacePath';

let typescript: Promise<typeof TS> | undefined;

/**
 * The compiler is large; it is loaded the first time a symbol tool runs, not when the tools are created. It is
 * required, not imported: an import of the CommonJS package first scans its 9 MB for export names, which more than
 * doubles the time it takes to load from source (bundled, both are the same).
 */
export function loadTypeScript(): Promise<typeof TS> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use, see above
  typescript ??= Promise.resolve().then(() => require('typescript') as typeof TS);
  return typescript;
}

/**
 * What the language services of one workspace may read: files in a root, outside node_modules, really there once
 * symbolic links are followed, and not protected. Shared by every project's service in the symbol worker.
 */
export class WorkspaceAccess {
  private readonly realRoots: readonly string[];
  private policy: ReadPolicy;
  /** Real paths found in this query: module resolution asks about the same files many times. */
  private real = new Map<string, string | undefined>();

  constructor(
    readonly roots: readonly string[],
    private readonly protectedGlobs: readonly string[] = [],
  ) {
    this.policy = new ReadPolicy(protectedGlobs);
    this.realRoots = roots.map((root) => {
      try {
        return fs.realpathSync.native(root);
      } catch {
        return root;
      }
    });
  }

  /** A query starts: project ignore files are read again (when they changed), and links are followed afresh. */
  beginQuery(): void {
    this.policy = new ReadPolicy(this.protectedGlobs);
    this.real = new Map();
  }

  inRoots(file: string): boolean {
    return this.roots.some((root) => isInside(file, root)) && !file.split(path.sep).includes('node_modules');
  }

  /** The root a path is in, as given (not followed). */
  rootOf(file: string): string | undefined {
    return this.roots.find((root) => isInside(file, root));
  }

  /**
   * Whether a path is still in a root once symbolic links are followed, as the file tools require: a link inside the
   * workspace to a folder outside it must not lead the service there. Checked again in every query, since links can
   * change.
   */
  realInRoots(file: string): boolean {
    let real = this.real.get(file);
    if (!this.real.has(file)) {
      try {
        real = fs.realpathSync.native(file);
      } catch {
        real = undefined;
      }
      this.real.set(file, real);
    }
    if (real === undefined) return false;
    const root = this.realRoots.find((r) => isInside(real, r));
    // Protected files (secrets, project AI-ignore rules) are not read either.
    return root !== undefined && this.policy.refusal(root, path.relative(root, real)) === undefined;
  }

  /** Files and folders a service may look at: in a root, outside node_modules, and really there. */
  readable(file: string): boolean {
    return this.inRoots(file) && this.realInRoots(file);
  }
}

/** The folder of TypeScript's standard library in the bundles: esbuild.js copies it there, beside the worker. */
const BUNDLED_LIBRARY_FOLDER = 'typescript-lib';

let libraryDir: string | undefined;

/**
 * The folder of TypeScript's standard library (lib.*.d.ts). The compiler looks beside its own file: from source that
 * is node_modules/typescript/lib; bundled, it is the bundle's folder, which holds the library in a folder of its own
 * (without it, a program had no `Promise` or `Array`, and `await import()` and CommonJS exports went unresolved).
 */
export function libraryFolder(ts: typeof TS): string {
  if (libraryDir === undefined) {
    const beside = path.dirname(ts.getDefaultLibFilePath({}));
    libraryDir = fs.existsSync(path.join(beside, 'lib.d.ts')) ? beside : path.join(beside, BUNDLED_LIBRARY_FOLDER);
  }
  return libraryDir;
}

/** Whether a file is one of TypeScript's own standard library files. */
function libraryFileTest(ts: typeof TS): (file: string) => boolean {
  const libDir = libraryFolder(ts);
  return (file) => path.dirname(file) === libDir && path.basename(file).startsWith('lib.');
}

/**
 * The registry the projects of a workspace share their parsed files through. TypeScript keys a parsed file by the
 * settings that shape its syntax tree and by the folder that `paths` are resolved from; the standard library's files
 * resolve nothing through `paths`, so they are kept under the settings alone: projects with `paths` of their own
 * (each package of a monorepo, say) share one parse of the library (lib.dom.d.ts alone is 2 MB) instead of one each.
 */
export function sharedLibraryRegistry(ts: typeof TS): TS.DocumentRegistry {
  const registry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames);
  const isLib = libraryFileTest(ts);
  /** Library files by their registry path, with the key each was kept under, by the key TypeScript gave it. */
  const library = new Map<string, Map<TS.DocumentRegistryBucketKey, TS.DocumentRegistryBucketKey>>();
  const keyFor = (fileName: string, filePath: TS.Path, settings: TS.CompilerOptions | TS.MinimalResolutionCacheHost, key: TS.DocumentRegistryBucketKey) => {
    if (!isLib(fileName)) return key;
    const host = settings as TS.MinimalResolutionCacheHost;
    const options = typeof host.getCompilationSettings === 'function' ? host.getCompilationSettings() : (settings as TS.CompilerOptions);
    const keys = library.get(filePath) ?? new Map<TS.DocumentRegistryBucketKey, TS.DocumentRegistryBucketKey>();
    library.set(filePath, keys);
    let shared = keys.get(key);
    if (shared === undefined) {
      shared = registry.getKeyForCompilationSettings({ ...options, pathsBasePath: undefined });
      keys.set(key, shared);
    }
    return shared;
  };
  return {
    ...registry,
    acquireDocumentWithKey: (fileName, filePath, settings, key, ...rest) => registry.acquireDocumentWithKey(fileName, filePath, settings, keyFor(fileName, filePath, settings, key), ...rest),
    updateDocumentWithKey: (fileName, filePath, settings, key, ...rest) => registry.updateDocumentWithKey(fileName, filePath, settings, keyFor(fileName, filePath, settings, key), ...rest),
    releaseDocumentWithKey: ((filePath: TS.Path, key: TS.DocumentRegistryBucketKey, scriptKind: TS.ScriptKind, impliedNodeFormat: TS.ResolutionMode) =>
      registry.releaseDocumentWithKey(filePath, library.get(filePath)?.get(key) ?? key, scriptKind, impliedNodeFormat)) as TS.DocumentRegistry['releaseDocumentWithKey'],
  };
}

/** What a project's program is made of. */
export interface ProgramSpec {
  options: TS.CompilerOptions;
  fileNames: readonly string[];
  projectReferences?: readonly TS.ProjectReference[];
  /** Parsed configs of referenced projects, by path: their sources stand in for their outputs. */
  parsedConfig?: (configPath: string) => TS.ParsedCommandLine | undefined;
}

/**
 * Options for files no `tsconfig.json` takes, as an editor infers them: JavaScript too, the ES library without the
 * DOM (`await import()` gives a Promise, and only with Promise's type does `(await import('./m')).f()` refer to `f`),
 * no @types (nothing in node_modules is read).
 */
export function inferredOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    allowJs: true,
    checkJs: false,
    lib: ['lib.es2022.d.ts'],
    types: [],
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  };
}

/** One project's language service; runs in the symbol worker. */
export class TsService {
  private current: ProgramSpec;
  private fileSet: Set<string>;
  readonly service: TS.LanguageService;
  private readonly snapshots = new Map<string, { version: string; snapshot: TS.IScriptSnapshot }>();
  /** Bumped once per query and per new file list: the project version the service compares. */
  private projectVersion = 0;
  private furtherOf: TS.Program | undefined;
  private further: string[] = [];
  /** When the service last answered, for eviction when idle. */
  usedAt = Date.now();

  constructor(
    private readonly ts: typeof TS,
    private readonly access: WorkspaceAccess,
    spec: ProgramSpec,
    registry: TS.DocumentRegistry,
  ) {
    this.current = spec;
    this.fileSet = new Set(spec.fileNames);
    this.service = ts.createLanguageService(this.host(), registry);
  }

  /** What the program is made of now. */
  get spec(): ProgramSpec {
    return this.current;
  }

  /** The service looks at every file's version once more, on its first use in the query only. */
  beginQuery(): void {
    this.projectVersion++;
    this.usedAt = Date.now();
  }

  /** A new list of root files (same options). */
  setFiles(fileNames: readonly string[]): void {
    this.current = { ...this.current, fileNames };
    this.fileSet = new Set(fileNames);
    this.projectVersion++;
  }

  /**
   * The files of the program beyond `listed`, standard library aside: modules and declarations reached through
   * imports and references, e.g. in ignored folders. Answers depend on them as on the listed ones.
   */
  furtherFiles(listed: ReadonlySet<string>): string[] {
    const program = this.service.getProgram();
    if (!program) return [];
    if (program !== this.furtherOf) {
      this.furtherOf = program;
      this.further = program
        .getSourceFiles()
        .filter((sf) => !program.isSourceFileDefaultLibrary(sf))
        .map((sf) => path.normalize(sf.fileName))
        .filter((file) => !listed.has(file))
        .sort();
    }
    return this.further;
  }

  /** Frees the program; its files stay in the shared registry only while another project holds them. */
  dispose(): void {
    this.service.dispose();
    this.snapshots.clear();
  }

  private host(): TS.LanguageServiceHost & { useSourceOfProjectReferenceRedirect(): boolean } {
    const { ts, access } = this;
    const isLib = libraryFileTest(ts);
    const version = (file: string): string => {
      // The library is TypeScript's own: it does not change while TypeScript runs, nor is it looked up per query.
      if (isLib(file)) return 'library';
      // A file that became unreadable gets a new version, so the service asks for it again and drops it.
      if (!access.realInRoots(file)) return 'refused';
      try {
        return String(fs.statSync(file).mtimeMs);
      } catch {
        return '0';
      }
    };
    return {
      getCompilationSettings: () => this.current.options,
      // Without it, every use of the program (several per reference found) would stat and resolve every file again.
      getProjectVersion: () => String(this.projectVersion),
      getScriptFileNames: () => this.current.fileNames as string[],
      getProjectReferences: () => this.current.projectReferences,
      // Imports of a referenced project read its sources, as the editor does, not its build output.
      useSourceOfProjectReferenceRedirect: () => true,
      getParsedCommandLine: (configPath) => this.current.parsedConfig?.(path.normalize(configPath)),
      getScriptVersion: version,
      getScriptSnapshot: (file) => {
        if (!isLib(file) && ((!access.inRoots(file) && !this.fileSet.has(file)) || !access.realInRoots(file))) return undefined;
        const v = version(file);
        const cached = this.snapshots.get(file);
        if (cached?.version === v) return cached.snapshot;
        // Only regular files: reading a named pipe would stop this thread until something writes to it.
        if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
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
      getCurrentDirectory: () => access.roots[0],
      getDefaultLibFileName: (o) => path.join(libraryFolder(ts), ts.getDefaultLibFileName(o)),
      // Module resolution only ever sees workspace files: nothing from node_modules or outside the roots is read.
      // Most probes are for files that do not exist; those are answered before links are followed.
      fileExists: (file) => (isLib(file) ? ts.sys.fileExists(file) : access.inRoots(file) && ts.sys.fileExists(file) && access.realInRoots(file)),
      readFile: (file) => (access.readable(file) || isLib(file) ? ts.sys.readFile(file) : undefined),
      // Folders above a root are looked at (not read) while resolving modules.
      directoryExists: (dir) => (access.roots.some((root) => isInside(root, dir)) || access.readable(dir)) && ts.sys.directoryExists(dir),
      getDirectories: (dir) => (access.readable(dir) ? ts.sys.getDirectories(dir) : []),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
  }
}

/**
 * A language service over one file alone (no library, no imports resolved): enough for its navigation tree and its
 * navigate-to declarations, which depend on its syntax only.
 */
export function singleFileService(ts: typeof TS, access: WorkspaceAccess, file: string, registry: TS.DocumentRegistry): TS.LanguageService {
  const options: TS.CompilerOptions = { allowJs: true, noLib: true, noResolve: true, types: [], target: ts.ScriptTarget.ESNext, noEmit: true };
  const stat = access.realInRoots(file) ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
  return ts.createLanguageService(
    {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [file],
      getScriptVersion: () => String(stat?.mtimeMs ?? 0),
      getScriptSnapshot: (name) => {
        // Only regular files: reading a named pipe would stop this thread until something writes to it.
        if (name !== file || !stat?.isFile()) return undefined;
        try {
          return ts.ScriptSnapshot.fromString(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
        } catch {
          return undefined;
        }
      },
      getCurrentDirectory: () => path.dirname(file),
      getDefaultLibFileName: (o) => path.join(libraryFolder(ts), ts.getDefaultLibFileName(o)),
      fileExists: (name) => name === file,
      readFile: () => undefined,
    },
    registry,
  );
}
