import type { Tool } from '../../shared/toolContract';
import { COVERAGE_NOTE, UNRESOLVED_NOTE, parseTarget } from './symbolSupport';
import { SYMBOL_TOOL_SPECS, definitionText, elsewhereNote, hitLocation, hitValue, projectsNote } from './symbolContract';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';

/** Identifiers looked up when only a line is given. */
const MAX_IDENTIFIERS = 8;

export function createDefinitionTool(deps: NodeToolDeps): Tool {
  return {
    name: 'definition',
    ...SYMBOL_TOOL_SPECS.definition,
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const input = stringArg(args, 'name_or_location');
      const target = await parseTarget(input, ctx.roots, 'definition', deps.readPolicy());
      const project = deps.symbols.get(ctx.roots);
      if (target.kind === 'location') await ctx.reads?.path(target.abs);
      await project.recordReads(ctx.reads);
      if (target.kind === 'location') project.include(target.abs);
      const { hits, elsewhere, projects } = await project.query({ op: 'definition', target, maxIdentifiers: MAX_IDENTIFIERS }, ctx.signal, ctx.reads);
      const what = target.kind === 'name' ? `"${input}"` : `the symbol${target.column ? '' : 's'} at ${target.display}:${target.line}${target.column ? `:${target.column}` : ''}`;
      return {
        ...definitionText(hits, what, ctx.roots, ctx.maxChars, target.kind === 'location' ? UNRESOLVED_NOTE : elsewhereNote(elsewhere, ctx.roots, COVERAGE_NOTE), {
          note: projectsNote(projects, ctx.roots),
        }),
        value: hits.map((h) => hitValue(h, ctx.roots)),
        locations: hits.map((h) => hitLocation(h, ctx.roots)),
      };
    },
  };
}
