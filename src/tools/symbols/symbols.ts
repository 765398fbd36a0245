import type { Tool } from '../../shared/toolContract';
import { COVERAGE_NOTE } from './symbolSupport';
import { MAX_SYMBOLS, SYMBOL_TOOL_SPECS, hitLocation, hitValue, projectsNote, symbolsText } from './symbolContract';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';

export function createSymbolsTool(deps: NodeToolDeps): Tool {
  return {
    name: 'symbols',
    ...SYMBOL_TOOL_SPECS.symbols,
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const query = stringArg(args, 'query').trim();
      const project = deps.symbols.get(ctx.roots);
      await project.recordReads(ctx.reads);
      const { total, hits, projects } = await project.query({ op: 'symbols', query, max: MAX_SYMBOLS }, ctx.signal, ctx.reads);
      return {
        ...symbolsText(hits, total, query, ctx.roots, ctx.maxChars, COVERAGE_NOTE, projectsNote(projects, ctx.roots)),
        value: hits.map((h) => hitValue(h, ctx.roots)),
        locations: hits.map((h) => hitLocation(h, ctx.roots)),
      };
    },
  };
}
