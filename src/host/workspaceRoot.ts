import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** The workspace folder `--cwd` names, absolute with symlinks resolved, or what is wrong with it. */
export async function workspaceRoot(dir: string): Promise<string | { problem: string }> {
  try {
    const real = await realpath(path.resolve(dir));
    if (!(await stat(real)).isDirectory()) return { problem: `--cwd ${dir} is not a directory` };
    return real;
  } catch {
    return { problem: `--cwd ${dir} does not exist` };
  }
}
