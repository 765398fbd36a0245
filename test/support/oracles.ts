import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isolatedGitEnv } from './gitFixture';
import * as ts from 'typescript';

// Independent answers the tools are checked against: ripgrep and git run directly, TypeScript's language service.

/** The selection flags the tools give ripgrep, so raw runs see the same files. */
export const RG_SELECTION = ['--hidden', '--no-require-git', '--no-ignore-global', '--no-config', '--glob', '!.git'];

function rg(rgPath: string, cwd: string, args: string[]): string {
  try {
    return execFileSync(rgPath, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // Exit 1: nothing found.
    if ((error as { status?: number }).status === 1) return '';
    throw error;
  }
}

/** `rg --files`, root-relative paths, sorted. */
export function rawRgFiles(rgPath: string, root: string, globs: string[] = []): string[] {
  const args = ['--files', ...RG_SELECTION, ...globs.flatMap((g) => ['--glob', g]), '.'];
  return rg(rgPath, root, args)
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/^\.\//, ''))
    .sort();
}

export interface RawMatchOptions {
  fixed?: boolean;
  ignoreCase?: boolean;
  globs?: string[];
}

/** The arguments of `rawRgMatches`' run of rg. */
export function rawRgMatchArgs(pattern: string, options: RawMatchOptions = {}): string[] {
  const args = ['--json', ...RG_SELECTION];
  if (options.fixed) args.push('--fixed-strings');
  args.push(options.ignoreCase ? '--ignore-case' : '--case-sensitive');
  for (const g of options.globs ?? []) args.push('--glob', g);
  args.push('--regexp', pattern, '.');
  return args;
}

/** Matching lines as `path:line`, sorted, from `rg --json`. */
export function rawRgMatches(rgPath: string, root: string, pattern: string, options: RawMatchOptions = {}): string[] {
  return rgJsonMatches(rg(rgPath, root, rawRgMatchArgs(pattern, options)));
}

/** Matching lines as `path:line`, sorted, from the output of `rg --json`. */
export function rgJsonMatches(json: string): string[] {
  const out: string[] = [];
  for (const line of json.split('\n')) {
    if (!line) continue;
    const msg = JSON.parse(line) as { type: string; data: { path: { text: string }; line_number: number } };
    if (msg.type === 'match') out.push(`${msg.data.path.text.replace(/^\.\//, '')}:${msg.data.line_number}`);
  }
  return out.sort();
}

/** Files git does not ignore (tracked, or untracked and not excluded), present on disk, without symbolic links. */
export function gitVisibleFiles(repo: string): string[] {
  const out = execFileSync('git', ['-c', 'core.quotepath=false', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    env: isolatedGitEnv(),
    encoding: 'utf8',
  });
  return [...new Set(out.split('\0').filter(Boolean))]
    .filter((rel) => {
      try {
        return fs.lstatSync(path.join(repo, rel)).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

export function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

const documents = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames);
const libDir = path.dirname(ts.getDefaultLibFilePath({}));
/** The keys the standard library's files are kept under, by the key TypeScript gives the settings. */
const libKeys = new Map<ts.DocumentRegistryBucketKey, ts.DocumentRegistryBucketKey>();

/**
 * Source files the oracle services of a test process share, as an editor's projects share them: the standard library
 * (the DOM's alone is megabytes) is parsed once, not once per service. TypeScript keys a parse by the settings and
 * by the folder of `paths` too, which the library's files never resolve anything with, so those are kept under the
 * settings alone. Versions are the files' contents, so a file written again between two services is read again.
 */
const oracleDocuments: ts.DocumentRegistry = {
  ...documents,
  acquireDocumentWithKey: (fileName, filePath, settings, key, ...rest) => documents.acquireDocumentWithKey(fileName, filePath, settings, keyOf(fileName, settings, key), ...rest),
  updateDocumentWithKey: (fileName, filePath, settings, key, ...rest) => documents.updateDocumentWithKey(fileName, filePath, settings, keyOf(fileName, settings, key), ...rest),
  releaseDocumentWithKey: ((filePath: ts.Path, key: ts.DocumentRegistryBucketKey, scriptKind: ts.ScriptKind, impliedNodeFormat: ts.ResolutionMode) =>
    documents.releaseDocumentWithKey(filePath, isLibFile(filePath) ? (libKeys.get(key) ?? key) : key, scriptKind, impliedNodeFormat)) as ts.DocumentRegistry['releaseDocumentWithKey'],
};

function isLibFile(file: string): boolean {
  return path.dirname(file) === libDir && path.basename(file).startsWith('lib.');
}

function keyOf(fileName: string, settings: ts.CompilerOptions | ts.MinimalResolutionCacheHost, key: ts.DocumentRegistryBucketKey): ts.DocumentRegistryBucketKey {
  if (!isLibFile(fileName)) return key;
  const host = settings as ts.MinimalResolutionCacheHost;
  const options = typeof host.getCompilationSettings === 'function' ? host.getCompilationSettings() : (settings as ts.CompilerOptions);
  let libKey = libKeys.get(key);
  if (!libKey) {
    libKey = documents.getKeyForCompilationSettings({ ...options, pathsBasePath: undefined });
    libKeys.set(key, libKey);
  }
  return libKey;
}

/** A service's host reads each file once: the oracles answer for the files as they were when asked first. */
function oracleHost(root: string, files: readonly string[], options: ts.CompilerOptions): ts.LanguageServiceHost {
  const read = new Map<string, { version: string; snapshot: ts.IScriptSnapshot } | undefined>();
  const script = (f: string) => {
    if (!read.has(f)) {
      const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
      read.set(f, text === undefined ? undefined : { version: createHash('sha1').update(text).digest('hex'), snapshot: ts.ScriptSnapshot.fromString(text) });
    }
    return read.get(f);
  };
  return {
    getCompilationSettings: () => options,
    // The files are read once: the program never changes, and no call needs to look at their versions again.
    getProjectVersion: () => '1',
    getScriptFileNames: () => [...files],
    getScriptVersion: (f) => script(f)?.version ?? '',
    getScriptSnapshot: (f) => script(f)?.snapshot,
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
  };
}

/** TypeScript's own language service over fixed files, as an oracle for the symbol tools. */
export function oracleLanguageService(root: string, files: string[], options: ts.CompilerOptions): ts.LanguageService {
  return ts.createLanguageService(oracleHost(root, files, options), oracleDocuments);
}

/**
 * TypeScript's language service for one tsconfig.json, as an editor sets it up: its options and files, and the
 * sources of the projects it references.
 */
export function oracleConfigService(config: string): ts.LanguageService {
  const parse = (file: string) => ts.getParsedCommandLineOfConfigFile(file, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const parsed = parse(config)!;
  const host: ts.LanguageServiceHost & { useSourceOfProjectReferenceRedirect(): boolean } = {
    ...oracleHost(path.dirname(config), parsed.fileNames, parsed.options),
    getProjectReferences: () => parsed.projectReferences,
    getParsedCommandLine: parse,
    useSourceOfProjectReferenceRedirect: () => true,
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
  };
  return ts.createLanguageService(host, oracleDocuments);
}
