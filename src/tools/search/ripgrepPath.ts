import * as fs from 'node:fs';
import * as path from 'node:path';

const exe = (name: string): string => (process.platform === 'win32' ? `${name}.exe` : name);

/** Where VS Code ships ripgrep under its `appRoot`, newest layout first. */
export function ripgrepCandidates(appRoot: string): string[] {
  return [
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, exe('rg')),
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe('rg')),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe('rg')),
  ];
}

export interface FindRipgrepOptions {
  /** Checked first. */
  ripgrepPath?: string;
  /** VS Code's `appRoot`: its bundled ripgrep is checked next. */
  appRoot?: string;
  /** The search path for a plain `rg`; defaults to `process.env.PATH`. */
  pathEnv?: string;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The ripgrep to use: the explicit path, VS Code's bundled one, then `rg` on PATH; undefined means the JavaScript fallback. */
export function findRipgrep(opts: FindRipgrepOptions = {}): string | undefined {
  const candidates: string[] = [];
  if (opts.ripgrepPath) candidates.push(opts.ripgrepPath);
  if (opts.appRoot) candidates.push(...ripgrepCandidates(opts.appRoot));
  const pathEnv = opts.pathEnv ?? process.env.PATH ?? '';
  for (const dir of pathEnv.split(path.delimiter)) if (dir) candidates.push(path.join(dir, exe('rg')));
  return candidates.find(isExecutableFile);
}
