import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { ReadPolicy } from '../paths/readPolicy';
import { isInside } from '../paths/workspacePath';

let typescript: Promise<typeof TS> | undefined;

/** The compiler is large; it is loaded the first time a symbol tool runs, not when the tools are created. */
export function loadTypeScript(): Promise<typeof TS> {
  typescript ??= import('typescript').then((m) => ((m as { default?: typeof TS }).default ?? m) as typeof TS);
  return typescript;
}

/** One language service over a given list of files under a set of roots; runs in the symbol worker. */
export class TsService {
  private files: string[] = [];
  private fileSet = new Set<string>();
  private service: TS.LanguageService | undefined;
  private readonly snapshots = new Map<string, { version: string; snapshot: TS.IScriptSnapshot }>();
  private readonly realRoots: readonly string[];
  private policy: ReadPolicy;
  /** Bumped once per query and per new file list: the project version the service compares. */
  private projectVersion = 0;
  private furtherOf: TS.Program | undefined;
  private further: string[] = [];

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

  /**
   * Starts a query: the project ignore files are read again (when they changed), and the service looks at every
   * file's version once more, on its first use in the query only.
   */
  beginQuery(): void {
    this.policy = new ReadPolicy(this.protectedGlobs);
    this.projectVersion++;
  }

  /**
   * The files of the program beyond those it was given, standard library aside: modules and declarations reached
   * through imports and references, e.g. in ignored folders. Answers depend on them as on the given ones.
   */
  furtherFiles(): string[] {
    const program = this.service?.getProgram();
    if (!program) return [];
    if (program !== this.furtherOf) {
      this.furtherOf = program;
      this.further = program
        .getSourceFiles()
        .filter((sf) => !program.isSourceFileDefaultLibrary(sf))
        .map((sf) => path.normalize(sf.fileName))
        .filter((file) => !this.fileSet.has(file))
        .sort();
    }
    return this.further;
  }

  setFiles(files: string[]): void {
    this.files = files;
    this.fileSet = new Set(files);
    this.projectVersion++;
  }

  /** The service; builds it on first use. */
  async languageService(): Promise<{ ts: typeof TS; service: TS.LanguageService }> {
    const ts = await loadTypeScript();
    this.service ??= ts.createLanguageService(this.host(ts), ts.createDocumentRegistry());
    return { ts, service: this.service };
  }

  private inRoots(file: string): boolean {
    return this.roots.some((root) => isInside(file, root)) && !file.split(path.sep).includes('node_modules');
  }

  /**
   * Whether a path is still in a root once symbolic links are followed, as the file tools require: a link inside the
   * workspace to a folder outside it must not lead the service there. Checked on every use, since links can change.
   */
  private realInRoots(file: string): boolean {
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch {
      return false;
    }
    const root = this.realRoots.find((r) => isInside(real, r));
    // Protected files (secrets, project AI-ignore rules) are not read either.
    return root !== undefined && this.policy.refusal(root, path.relative(root, real)) === undefined;
  }

  /** Files and folders the service may look at: in a root, outside node_modules, and really there. */
  private readable(file: string): boolean {
    return this.inRoots(file) && this.realInRoots(file);
  }

  private host(ts: typeof TS): TS.LanguageServiceHost {
    const options: TS.CompilerOptions = {
      allowJs: true,
      checkJs: false,
      // The ES library without the DOM: `await import()` gives a Promise, and only with Promise's type does
      // `(await import('./m')).f()` refer to `f`. @types stay out, as does everything else in node_modules.
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
    const version = (file: string): string => {
      // A file that became unreadable gets a new version, so the service asks for it again and drops it.
      if (!this.realInRoots(file)) return 'refused';
      try {
        return String(fs.statSync(file).mtimeMs);
      } catch {
        return '0';
      }
    };
    const libDir = path.dirname(ts.getDefaultLibFilePath(options));
    const isLib = (file: string) => path.dirname(file) === libDir && path.basename(file).startsWith('lib.');
    return {
      getCompilationSettings: () => options,
      // Without it, every use of the program (several per reference found) would stat and resolve every file again.
      getProjectVersion: () => String(this.projectVersion),
      getScriptFileNames: () => this.files,
      getScriptVersion: version,
      getScriptSnapshot: (file) => {
        if (!isLib(file) && ((!this.inRoots(file) && !this.fileSet.has(file)) || !this.realInRoots(file))) return undefined;
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
      getCurrentDirectory: () => this.roots[0],
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      // Module resolution only ever sees workspace files: nothing from node_modules or outside the roots is read.
      fileExists: (file) => (this.readable(file) || isLib(file)) && ts.sys.fileExists(file),
      readFile: (file) => (this.readable(file) || isLib(file) ? ts.sys.readFile(file) : undefined),
      // Folders above a root are looked at (not read) while resolving modules.
      directoryExists: (dir) =>
        (this.roots.some((root) => isInside(root, dir)) || this.readable(dir)) && ts.sys.directoryExists(dir),
      getDirectories: (dir) => (this.readable(dir) ? ts.sys.getDirectories(dir) : []),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
  }
}
