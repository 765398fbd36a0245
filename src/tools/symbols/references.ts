import type { Tool } from '../../shared/types';
import { COVERAGE_NOTE, UNRESOLVED_NOTE, hitLocation, hitValue, parseTarget } from './symbolSupport';
import { TextBudget } from '../textBudget';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { displayPath } from '../files/workspacePath';

const MAX_REFERENCES = 500;
/** Same-named declarations whose references are gathered when a bare name is given. */
const MAX_DECLARATIONS = 10;

export function createReferencesTool(deps: NodeToolDeps): Tool {
  return {
    name: 'references',
    description:
      'references(name_or_location) finds every reference to a symbol (its declaration, uses, imports, writes) in ' +
      'the workspace\'s TypeScript/JavaScript files, resolved by the TypeScript language service, not by text. Give ' +
      'a name ("parseConfig", "ClassName.method") or "path:line[:column]" (with only a line, the first identifier ' +
      'on it). Results are grouped by file as "line:column: text", declarations marked; the value is a list of {path, ' +
      'line, column, text, isDefinition}. Use it to see who calls or uses something. Other languages are not covered ' +
      '(use grep).',
    params: [
      { name: 'name_or_location', schema: { type: 'string', minLength: 1 }, description: 'Symbol name, or path:line[:column] of a use or declaration.' },
    ],
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const input = stringArg(args, 'name_or_location');
      const target = await parseTarget(input, ctx.roots, 'references');
      const project = deps.symbols.get(ctx.roots);
      if (target.kind === 'location') project.include(target.abs);
      const { hits: sorted, declared: found, capped } = await project.query(
        { op: 'references', target, maxReferences: MAX_REFERENCES, maxDeclarations: MAX_DECLARATIONS },
        ctx.signal,
      );
      const declared = found.map(
        (d) => `${d.kind} ${d.container && !d.container.startsWith('"') ? `${d.container}.` : ''}${d.name} at ${displayPath(d.abs, ctx.roots)}:${d.line}`,
      );

      const what = target.kind === 'name' ? `"${input}"` : `the symbol at ${target.display}:${target.line}${target.column ? `:${target.column}` : ''}`;
      const budget = new TextBudget(ctx.maxChars);
      const files = new Set(sorted.map((h) => h.abs));
      if (sorted.length === 0) budget.add(`No references found for ${what}. ${target.kind === 'location' ? UNRESOLVED_NOTE : COVERAGE_NOTE}`);
      else budget.add(`${sorted.length} reference${sorted.length === 1 ? '' : 's'} to ${what} in ${files.size} file${files.size === 1 ? '' : 's'}:`);
      // Same-named symbols are all included; saying which keeps the answer honest.
      if (declared.length > 1) budget.add(`(${declared.length} declarations share this name: ${declared.join('; ')})`);
      let currentFile = '';
      for (const h of sorted) {
        if (h.abs !== currentFile) {
          currentFile = h.abs;
          budget.add(displayPath(h.abs, ctx.roots));
        }
        budget.add(`  ${h.line}:${h.column}: ${h.text}${h.isDefinition ? '   [definition]' : ''}`);
      }
      return {
        text: budget.finish(),
        value: sorted.map((h) => hitValue(h, ctx.roots)),
        locations: sorted.map((h) => hitLocation(h, ctx.roots)),
        truncated: budget.truncated || capped,
      };
    },
  };
}

