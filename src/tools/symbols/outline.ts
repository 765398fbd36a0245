import * as fs from 'node:fs/promises';
import { CompilerError } from '../../base/errors';
import type { Tool } from '../../shared/types';
import { unsupportedFile } from './symbolSupport';
import { SYMBOL_TOOL_SPECS, outlineText, outlineValue } from './symbolContract';
import type { OutlineEntry } from './symbolContract';
import { isTsFile } from './tsFiles';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { fileLocation, resolveWorkspacePath } from '../files/workspacePath';
import { requireRegularFile } from '../files/fileContent';

export function createOutlineTool(deps: NodeToolDeps): Tool {
  return {
    name: 'outline',
    ...SYMBOL_TOOL_SPECS.outline,
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const target = await resolveWorkspacePath(stringArg(args, 'path'), ctx.roots);
      deps.readPolicy().check(target.root, target.rel, target.display);
      // An outline reads this one file.
      await ctx.reads?.path(target.abs);
      if ((await fs.stat(target.abs)).isDirectory()) throw new CompilerError('invalid-args', `${target.display} is a folder; outline needs a file.`);
      // The language service reads it synchronously: a named pipe would stop its thread for good.
      await requireRegularFile(target.abs, target.display);
      if (!isTsFile(target.abs)) throw unsupportedFile(target.display, 'outline');
      const project = deps.symbols.get(ctx.roots);
      project.include(target.abs);
      const { lines, items } = await project.query({ op: 'outline', abs: target.abs }, ctx.signal);
      const entries: OutlineEntry[] = items.map(({ name, kind, kindModifiers, line, endLine, depth }) => ({
        name,
        kind,
        ...(kindModifiers ? { modifiers: kindModifiers.split(',').join(' ') } : {}),
        line,
        endLine,
        depth,
      }));
      return {
        ...outlineText(target.display, lines, entries, ctx.maxChars),
        value: outlineValue(entries),
        locations: entries.map(({ line, endLine }) => fileLocation(target.abs, ctx.roots, { line, endLine })),
      };
    },
  };
}
