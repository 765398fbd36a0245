import type { Tool } from '../../shared/toolContract';
import { openableFile, readHead, renderContent } from './fileContent';
import { optionalInt, stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { fileLocation } from '../paths/workspacePath';

export function createReadFileTool(deps: NodeToolDeps): Tool {
  return {
    name: 'read_file',
    description:
      'read_file(path, start_line?, end_line?) returns a workspace file\'s text as numbered lines "N: text" ' +
      '(1-based, inclusive range; the whole file if no range). Long output is cut with a marker saying how many ' +
      'lines are left, so read large files in ranges (e.g. around a line that grep found). Binary files are ' +
      'reported with their size, not shown; UTF-8 and UTF-16 files with a byte-order mark are decoded. The value ' +
      'is {path, startLine, endLine, totalLines, content}. Use it after find_files/grep to see the actual code.',
    params: [
      { name: 'path', schema: { type: 'string', minLength: 1 }, description: 'File path relative to the workspace root.' },
      { name: 'start_line', schema: { type: 'integer', minimum: 1 }, optional: true, description: 'First line to show (1-based).' },
      { name: 'end_line', schema: { type: 'integer', minimum: 1 }, optional: true, description: 'Last line to show (inclusive).' },
    ],
    async run(args, ctx) {
      const target = await openableFile(stringArg(args, 'path'), ctx, deps.readPolicy(), 'use list_dir');
      const start = optionalInt(args, 'start_line', { min: 1, max: Number.MAX_SAFE_INTEGER });
      const end = optionalInt(args, 'end_line', { min: 1, max: Number.MAX_SAFE_INTEGER });
      const { bytes, size } = await readHead(target.abs, ctx.signal, target.display);
      const shown = renderContent(target.display, bytes, size, { start, end }, ctx.maxChars);
      const location = shown.startLine > 0
        ? fileLocation(target.abs, ctx.roots, { line: shown.startLine, endLine: Math.max(shown.startLine, shown.endLine) })
        : fileLocation(target.abs, ctx.roots);
      return { text: shown.text, value: shown.value, locations: [location], truncated: shown.truncated };
    },
  };
}
