import * as fs from 'node:fs/promises';
import { CompilerError } from '../../base/errors';
import type { JsonObject, Tool } from '../../shared/types';
import { unsupportedFile } from './symbolSupport';
import { TextBudget } from '../textBudget';
import { isTsFile } from './tsFiles';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { fileLocation, resolveWorkspacePath } from '../files/workspacePath';
import type { FileLocation } from '../../shared/types';

export function createOutlineTool(deps: NodeToolDeps): Tool {
  return {
    name: 'outline',
    description:
      'outline(path) lists the structure of one TypeScript/JavaScript file: its classes, interfaces, types, ' +
      'functions, methods, properties and top-level variables, nested as in the code, each with its line range. ' +
      'The value is a list of {name, kind, line, endLine, depth}. Use it to get the shape of a file before reading ' +
      'parts of it. Other languages are not covered (use read_file or grep).',
    params: [{ name: 'path', schema: { type: 'string', minLength: 1 }, description: 'File relative to the workspace root.' }],
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const target = await resolveWorkspacePath(stringArg(args, 'path'), ctx.roots);
      if ((await fs.stat(target.abs)).isDirectory()) throw new CompilerError('invalid-args', `${target.display} is a folder; outline needs a file.`);
      if (!isTsFile(target.abs)) throw unsupportedFile(target.display, 'outline');
      const project = deps.symbols.get(ctx.roots);
      project.include(target.abs);
      const { lines, items } = await project.query({ op: 'outline', abs: target.abs }, ctx.signal);

      const budget = new TextBudget(ctx.maxChars);
      const values: JsonObject[] = [];
      const locations: FileLocation[] = [];
      budget.add(`${target.display} (${lines} lines):`);
      for (const { name, kind, kindModifiers, line, endLine, depth } of items) {
        const range = endLine > line ? `lines ${line}-${endLine}` : `line ${line}`;
        const modifiers = kindModifiers ? `${kindModifiers.split(',').join(' ')} ` : '';
        budget.add(`${'  '.repeat(depth + 1)}${modifiers}${kind} ${name} (${range})`);
        values.push({ name, kind, line, endLine, depth });
        locations.push(fileLocation(target.abs, ctx.roots, { line, endLine }));
      }
      if (values.length === 0) budget.add('  (no declarations)');
      return { text: budget.finish('read_file shows parts of the file'), value: values, locations, truncated: budget.truncated };
    },
  };
}
