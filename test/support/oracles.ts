import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isolatedGitEnv } from './gitFixture';
import * as ts from 'typescript';

// Independent answers the tools are checked against: ripgrep and git run directly.

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

/** Matching lines as `path:line`, sorted, from `rg --json`. */
export function rawRgMatches(rgPath: string, root: string, pattern: string, options: RawMatchOptions = {}): string[] {
  const args = ['--json', ...RG_SELECTION];
  if (options.fixed) args.push('--fixed-strings');
  args.push(options.ignoreCase ? '--ignore-case' : '--case-sensitive');
  for (const g of options.globs ?? []) args.push('--glob', g);
  args.push('--regexp', pattern, '.');
  const out: string[] = [];
  for (const line of rg(rgPath, root, args).split('\n')) {
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

/** TypeScript's own language service over fixed files, as an oracle for the symbol tools. */
export function oracleLanguageService(root: string, files: string[], options: ts.CompilerOptions): ts.LanguageService {
  return ts.createLanguageService({
    getCompilationSettings: () => options,
    getScriptFileNames: () => files,
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined),
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
  });
}
