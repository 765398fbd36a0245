import * as fs from 'node:fs/promises';
import type * as TS from 'typescript';
import { CompilerError } from '../core/errors';
import type { JsonObject, Tool } from '../shared/types';
import { lineCount, sourceFile, tsFileName, unsupportedFile } from './symbolSupport';
import { TextBudget } from './textBudget';
import { isTsFile } from './tsProjects';
import { stringArg } from './toolArgs';
import type { NodeToolDeps } from './toolDeps';
import { fileLocation, resolveWorkspacePath } from './workspacePath';
import type { FileLocation } from '../shared/types';

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
    async run(args, ctx) {
      const target = await resolveWorkspacePath(stringArg(args, 'path'), ctx.roots);
      if ((await fs.stat(target.abs)).isDirectory()) throw new CompilerError('invalid-args', `${target.display} is a folder; outline needs a file.`);
      if (!isTsFile(target.abs)) throw unsupportedFile(target.display, 'outline');
      const project = deps.symbols.get(ctx.roots);
      project.include(target.abs);
      const { ts, service } = await project.languageService(ctx.signal);
      const sf = sourceFile(service, target.abs);
      const tree = service.getNavigationTree(tsFileName(target.abs));

      const budget = new TextBudget(ctx.maxChars);
      const values: JsonObject[] = [];
      const locations: FileLocation[] = [];
      budget.add(`${target.display} (${lineCount(sf)} lines):`);
      const visit = (node: TS.NavigationTree, depth: number): void => {
        // The service sorts by name; the file's own order reads better.
        const children = [...(node.childItems ?? [])].sort((a, b) => a.spans[0].start - b.spans[0].start);
        for (const child of children) {
          const span = child.spans[0];
          const line = ts.getLineAndCharacterOfPosition(sf, span.start).line + 1;
          const endLine = ts.getLineAndCharacterOfPosition(sf, span.start + span.length).line + 1;
          const range = endLine > line ? `lines ${line}-${endLine}` : `line ${line}`;
          const modifiers = child.kindModifiers ? `${child.kindModifiers.split(',').join(' ')} ` : '';
          budget.add(`${'  '.repeat(depth + 1)}${modifiers}${child.kind} ${child.text} (${range})`);
          values.push({ name: child.text, kind: child.kind, line, endLine, depth });
          locations.push(fileLocation(target.abs, ctx.roots, { line, endLine }));
          visit(child, depth + 1);
        }
      };
      visit(tree, 0);
      if (values.length === 0) budget.add('  (no declarations)');
      return { text: budget.finish('read_file shows parts of the file'), value: values, locations, truncated: budget.truncated };
    },
  };
}
