import type { Tool } from '../../shared/toolContract';
import { unsupportedFile } from './symbolSupport';
import { SYMBOL_TOOL_SPECS, outlineText, outlineValue } from './symbolContract';
import type { OutlineEntry } from './symbolContract';
import { isTsFile } from './tsFiles';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { fileLocation } from '../paths/workspacePath';
import { openableFile } from '../files/fileContent';

export function createOutlineTool(deps: NodeToolDeps): Tool {
  return {
    name: 'outline',
    ...SYMBOL_TOOL_SPECS.outline,
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      // An outline reads this one file; the language service reads it synchronously, so it must be a regular one.
      const target = await openableFile(stringArg(args, 'path'), ctx, deps.readPolicy(), 'outline needs a file');
      if (!isTsFile(target.abs)) throw unsupportedFile(target.display, 'outline');
      // Only this file's syntax is read: no project is built, and the file need not be part of one.
      const { lines, items } = await deps.symbols.get(ctx.roots).query({ op: 'outline', abs: target.abs }, ctx.signal);
      const entries: OutlineEntry[] = items.map(({ name, kind, kindModifiers, line, endLine, depth, container }) => ({
        name,
        kind,
        ...(kindModifiers ? { modifiers: kindModifiers.split(',').join(' ') } : {}),
        line,
        endLine,
        depth,
        ...(container ? { container } : {}),
      }));
      return {
        ...outlineText(target.display, lines, entries, ctx.maxChars),
        value: outlineValue(entries),
        locations: entries.map(({ line, endLine }) => fileLocation(target.abs, ctx.roots, { line, endLine })),
      };
    },
  };
}
