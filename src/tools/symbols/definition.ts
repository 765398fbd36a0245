import type { Tool } from '../../shared/types';
import { COVERAGE_NOTE, UNRESOLVED_NOTE, hitLocation, hitValue, parseTarget } from './symbolSupport';
import { TextBudget } from '../textBudget';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { displayPath } from '../files/workspacePath';

/** Identifiers looked up when only a line is given. */
const MAX_IDENTIFIERS = 8;

export function createDefinitionTool(deps: NodeToolDeps): Tool {
  return {
    name: 'definition',
    description:
      'definition(name_or_location) finds where a symbol is declared in the workspace\'s TypeScript/JavaScript ' +
      'files. Give a name ("parseConfig", or "ClassName.method") or a use site "path:line[:column]" (with only a ' +
      'line, every identifier on that line is resolved). Returns each declaration as kind, name, "path:line" and ' +
      'its source line; the value is a list of {name, kind, container, path, line, column, text}. Follow with ' +
      'read_file around the line for the full body. Other languages are not covered (use grep).',
    params: [
      { name: 'name_or_location', schema: { type: 'string', minLength: 1 }, description: 'Symbol name, or path:line[:column] of a use.' },
    ],
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const input = stringArg(args, 'name_or_location');
      const target = await parseTarget(input, ctx.roots, 'definition');
      const project = deps.symbols.get(ctx.roots);
      if (target.kind === 'location') project.include(target.abs);
      const { hits } = await project.query({ op: 'definition', target, maxIdentifiers: MAX_IDENTIFIERS }, ctx.signal);

      const what = target.kind === 'name' ? `"${input}"` : `the symbol${target.column ? '' : 's'} at ${target.display}:${target.line}${target.column ? `:${target.column}` : ''}`;
      const budget = new TextBudget(ctx.maxChars);
      if (hits.length === 0) budget.add(`No definition found for ${what}. ${target.kind === 'location' ? UNRESOLVED_NOTE : COVERAGE_NOTE}`);
      else budget.add(`${hits.length} definition${hits.length === 1 ? '' : 's'} of ${what}:`);
      for (const h of hits) {
        budget.add(`${h.kind ?? 'symbol'} ${h.name ?? ''}${h.container ? ` (in ${h.container})` : ''} — ${displayPath(h.abs, ctx.roots)}:${h.line}`);
        budget.add(`  ${h.line}: ${h.text}`);
      }
      return {
        text: budget.finish(),
        value: hits.map((h) => hitValue(h, ctx.roots)),
        locations: hits.map((h) => hitLocation(h, ctx.roots)),
        truncated: budget.truncated,
      };
    },
  };
}
