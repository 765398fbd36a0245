import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import type { AnsweringProject } from './symbolProtocol';
import { TsService, WorkspaceAccess, inferredOptions, sharedLibraryRegistry } from './tsService';
import type { ProgramSpec } from './tsService';
import { rootOf } from '../paths/workspacePath';

/** Names of the files that make a folder a TypeScript or JavaScript project, nearest first in each folder. */
export const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

export interface ProjectLimits {
  /** Language services kept at once; the least recently used goes first. */
  maxLive: number;
  /** A service unused this long is dropped. */
  idleMs: number;
}

export const DEFAULT_LIMITS: ProjectLimits = { maxLive: 3, idleMs: 10 * 60_000 };

interface ConfigProject {
  key: string;
  config: string;
  root: string;
  parsed: TS.ParsedCommandLine;
  fileSet: Set<string>;
  /** Config files read (the config and those it extends), with their modification times. */
  reads: Map<string, number>;
  references: string[];
}

type Project = { key: string; root: string; config?: string; spec: ProgramSpec };

function mtime(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

/**
 * The projects of a workspace, as an editor makes them: each `tsconfig.json`/`jsconfig.json` (and the configs it
 * references) is one project with its own options and files, and the files of a folder that no config takes form
 * that folder's inferred project. A file belongs to the nearest config above it that includes it. Each project's
 * language service is built when a query needs it; at most `maxLive` are kept, least recently used dropped first,
 * and one unused for `idleMs` is dropped too. Runs in the symbol worker.
 */
export class TsProjectSet {
  readonly access: WorkspaceAccess;
  private sources: string[] = [];
  private listed = new Set<string>();
  private configs = new Set<string>();
  private readonly parsed = new Map<string, ConfigProject | undefined>();
  private owners = new Map<string, string>();
  private inferred = new Map<string, string[]>();
  private readonly services = new Map<string, TsService>();
  /** Projects whose services answered in this query. */
  private used = new Set<string>();
  private readonly registry: TS.DocumentRegistry;

  constructor(
    private readonly ts: typeof TS,
    roots: readonly string[],
    protectedGlobs: readonly string[],
    private readonly limits: ProjectLimits = DEFAULT_LIMITS,
  ) {
    this.access = new WorkspaceAccess(roots, protectedGlobs);
    this.registry = sharedLibraryRegistry(ts);
  }

  /** The workspace's listed files: sources, and the config files among them. */
  setFiles(files: readonly string[]): void {
    this.sources = files.filter((f) => !CONFIG_NAMES.includes(path.basename(f)));
    this.listed = new Set(this.sources);
    this.configs = new Set(files.filter((f) => CONFIG_NAMES.includes(path.basename(f)) && !f.split(path.sep).includes('node_modules')));
    // Which files each config takes depends on the listing.
    this.parsed.clear();
    this.forgetOwners();
  }

  /** A query starts: links and ignore files are read afresh, and a config edited since it was read is read again. */
  beginQuery(): void {
    this.access.beginQuery();
    this.used = new Set();
    for (const [config, project] of this.parsed) {
      if (project && [...project.reads].some(([file, time]) => mtime(file) !== time)) {
        this.parsed.delete(config);
        this.forgetOwners();
      }
    }
    this.evictIdle();
  }

  /** Whether the workspace has config projects, so that answers name the project they come from. */
  hasConfigs(): boolean {
    return this.configs.size > 0;
  }

  /** The project a file belongs to, and its service. */
  serviceFor(file: string): { service: TS.LanguageService; project: AnsweringProject } {
    return this.use(this.projectOf(this.ownerOf(file)));
  }

  /**
   * The services of every project that may declare or use a name: the owners of the files whose text `mention`
   * matches, the projects with most such files first. With one project there is nothing to choose.
   */
  *servicesFor(mention: RegExp): Generator<{ service: TS.LanguageService; project: AnsweringProject }> {
    const counts = new Map<string, number>();
    // Without configs, a single folder has one project: nothing to choose, nothing to read for it.
    const one = this.configs.size === 0 && this.access.roots.length === 1;
    const candidates = one ? this.sources : [...this.sources, ...this.unlistedConfigFiles()].filter((file) => this.access.readable(file) && mentions(file, mention));
    for (const file of candidates) counts.set(this.ownerOf(file), (counts.get(this.ownerOf(file)) ?? 0) + 1);
    const keys = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1));
    for (const key of keys) yield this.use(this.projectOf(key));
  }

  /** Files a config takes that the listing skips (an ignored folder of generated code, say): they declare names too. */
  private unlistedConfigFiles(): string[] {
    const out = new Set<string>();
    for (const config of this.configs) {
      for (const file of this.configProject(config)?.parsed.fileNames ?? []) if (!this.listed.has(file)) out.add(file);
    }
    return [...out].sort();
  }

  /**
   * Files the answers of this query depend on beyond the listing: program files, the configs read, and the folders
   * a config takes files from past the ignore rules (its wildcard folders, and those of files the listing skips), so
   * a file added there (generated code in an ignored folder, say) is not missed by a reused answer.
   */
  reads(): string[] {
    const out = new Set<string>();
    for (const key of this.used) for (const file of this.services.get(key)?.furtherFiles(this.listed) ?? []) out.add(file);
    for (const project of this.parsed.values()) for (const file of project?.reads.keys() ?? []) out.add(file);
    // Which projects answer, and which files of theirs mention a name, depend on every config's files.
    for (const project of this.parsed.values()) {
      if (!project) continue;
      for (const dir of Object.keys(project.parsed.wildcardDirectories ?? {})) {
        const folder = path.normalize(dir);
        if (this.access.rootOf(folder)) out.add(folder);
      }
      for (const file of project.parsed.fileNames) {
        if (this.listed.has(file)) continue;
        out.add(path.dirname(file));
        out.add(file);
      }
    }
    return [...out].sort();
  }

  /** Every project known after reading the configs, and those with a live service. */
  projects(): { known: AnsweringProject[]; live: AnsweringProject[] } {
    const answering = (key: string): AnsweringProject => {
      const project = this.projectOf(key);
      return { root: project.root, ...(project.config ? { config: project.config } : {}) };
    };
    return { known: this.projectKeys().map(answering), live: [...this.services.keys()].map(answering) };
  }

  /** Builds the service of the workspace's only project ahead of use; with several, none is chosen. */
  warm(): number {
    const keys = this.projectKeys();
    if (keys.length !== 1) return 0;
    const { service } = this.use(this.projectOf(keys[0]!));
    const program = service.getProgram();
    program?.getTypeChecker();
    return program?.getSourceFiles().length ?? 0;
  }

  private use(project: Project): { service: TS.LanguageService; project: AnsweringProject } {
    let service = this.services.get(project.key);
    if (service && JSON.stringify(service.spec.options) !== JSON.stringify(project.spec.options)) {
      this.drop(project.key);
      service = undefined;
    }
    if (!service) service = new TsService(this.ts, this.access, project.spec, this.registry);
    else if (!sameFiles(service.spec.fileNames, project.spec.fileNames)) service.setFiles(project.spec.fileNames);
    // Most recently used last.
    this.services.delete(project.key);
    this.services.set(project.key, service);
    if (!this.used.has(project.key)) service.beginQuery();
    this.used.add(project.key);
    service.usedAt = Date.now();
    while (this.services.size > this.limits.maxLive) this.drop(this.services.keys().next().value!);
    return { service: service.service, project: { root: project.root, ...(project.config ? { config: project.config } : {}) } };
  }

  private drop(key: string): void {
    this.services.get(key)?.dispose();
    this.services.delete(key);
  }

  /** Drops the services unused for the idle time. */
  evictIdle(): void {
    const now = Date.now();
    for (const [key, service] of [...this.services]) if (now - service.usedAt > this.limits.idleMs) this.drop(key);
  }

  private forgetOwners(): void {
    this.owners = new Map();
    this.inferred = new Map();
  }

  /** Keys of the projects that have files: every config project with some, and each folder's inferred one. */
  private projectKeys(): string[] {
    const keys = new Set<string>();
    for (const file of this.sources) keys.add(this.ownerOf(file));
    for (const config of this.configs) {
      const project = this.configProject(config);
      if (project && project.fileSet.size > 0) keys.add(project.key);
    }
    return [...keys].sort();
  }

  /** The key of the project a file belongs to: the nearest config above it that takes it, else its folder's. */
  private ownerOf(file: string): string {
    const known = this.owners.get(file);
    if (known !== undefined) return known;
    const root = rootOf(file, this.access.roots) ?? this.access.roots[0]!;
    let owner = `inferred:${root}`;
    search: for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      for (const name of CONFIG_NAMES) {
        const config = path.join(dir, name);
        if (!this.configs.has(config)) continue;
        const found = this.includingProject(config, file, new Set());
        if (found) {
          owner = found;
          break search;
        }
      }
      if (dir === root || path.dirname(dir) === dir) break;
    }
    this.owners.set(file, owner);
    if (owner.startsWith('inferred:')) this.inferred.set(owner, [...(this.inferred.get(owner) ?? []), file]);
    return owner;
  }

  /** A config that takes the file: this one, or one it references (a solution config lists its projects so). */
  private includingProject(config: string, file: string, seen: Set<string>): string | undefined {
    if (seen.has(config)) return undefined;
    seen.add(config);
    const project = this.configProject(config);
    if (!project) return undefined;
    if (project.fileSet.has(file)) return project.key;
    for (const ref of project.references) {
      const found = this.includingProject(ref, file, seen);
      if (found) return found;
    }
    return undefined;
  }

  private projectOf(key: string): Project {
    if (key.startsWith('inferred:')) {
      const root = key.slice('inferred:'.length);
      // Once every file has an owner, the folder's inferred project is complete.
      for (const file of this.sources) this.ownerOf(file);
      const files = [...(this.inferred.get(key) ?? [])].sort();
      return { key, root, spec: { options: inferredOptions(this.ts), fileNames: files } };
    }
    const project = this.configProject(key)!;
    return {
      key,
      root: project.root,
      config: project.config,
      spec: {
        options: project.parsed.options,
        fileNames: project.parsed.fileNames,
        ...(project.parsed.projectReferences ? { projectReferences: project.parsed.projectReferences } : {}),
        parsedConfig: (configPath) => this.configProject(configPath)?.parsed,
      },
    };
  }

  /** A config read and parsed as the compiler would, through the workspace's read rules; undefined if unreadable. */
  private configProject(config: string): ConfigProject | undefined {
    if (this.parsed.has(config)) return this.parsed.get(config);
    const { ts, access } = this;
    const reads = new Map<string, number>();
    const host: TS.ParseConfigFileHost = {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      getCurrentDirectory: () => path.dirname(config),
      fileExists: (file) => access.readable(file) && ts.sys.fileExists(file),
      readFile: (file) => {
        if (!access.readable(file)) return undefined;
        reads.set(path.normalize(file), mtime(file));
        return ts.sys.readFile(file);
      },
      readDirectory: (dir, extensions, excludes, includes, depth) =>
        ts.sys.readDirectory(dir, extensions, excludes, includes, depth).map((f) => path.normalize(f)).filter((f) => access.readable(f)),
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    };
    const parsed = access.readable(config) ? ts.getParsedCommandLineOfConfigFile(config, undefined, host) : undefined;
    const root = access.rootOf(config);
    const project =
      parsed && root
        ? {
            key: config,
            config,
            root,
            // The options as parsed: the compiler finds a referenced config's own file among them (not enumerable).
            parsed: { ...parsed, fileNames: parsed.fileNames.map((f) => path.normalize(f)) },
            fileSet: new Set(parsed.fileNames.map((f) => path.normalize(f))),
            reads,
            references: (parsed.projectReferences ?? []).map((r) => path.normalize(ts.resolveProjectReferencePath(r))),
          }
        : undefined;
    this.parsed.set(config, project);
    return project;
  }
}

function sameFiles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

/** Whether a file's text matches; an unreadable file does not. */
function mentions(file: string, pattern: RegExp): boolean {
  try {
    return pattern.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}
