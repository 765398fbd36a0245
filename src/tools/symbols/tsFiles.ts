import * as path from 'node:path';

/** Extensions the TypeScript language service reads. */
export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isTsFile(file: string): boolean {
  return TS_EXTENSIONS.includes(path.extname(file).toLowerCase());
}
