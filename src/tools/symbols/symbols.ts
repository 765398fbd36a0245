import type { Tool } from '../../shared/types';
import { COVERAGE_NOTE, hitLocation, hitValue } from './symbolSupport';
import { TextBudget } from '../textBudget';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { displayPath } from '../files/workspacePath';

const DEFAULT_RESULTS = 50;

export function createSymbolsTool(deps: NodeToolDeps): Tool {
  return {
    name: 'symbols',
    description:
      'symbols(query) finds declarations (functions, classes, interfaces, types, methods, variables, …) whose name ' +
      'matches query — matching case first; exact names, then prefixes, substrings and camelCase abbreviations — in the ' +
      'workspace\'s TypeScript and JavaScript files. Each result shows kind, name, container and "path:line". The ' +
      'value is a list of {name, kind, container, path, line, column, text}. Use it to locate a definition when ' +
      'you know (part of) its name; other languages are not covered (use grep).',
    params: [{ name: 'query', schema: { type: 'string', minLength: 1 }, description: 'Symbol name or part of it.' }],
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const query = stringArg(args, 'query').trim();
      const max = DEFAULT_RESULTS;
      const project = deps.symbols.get(ctx.roots);
      const { total, hits } = await project.query({ op: 'symbols', query, max }, ctx.signal);

      const budget = new TextBudget(ctx.maxChars);
      if (hits.length === 0) budget.add(`No symbols match "${query}". ${COVERAGE_NOTE}`);
      else budget.add(`${total > hits.length ? `First ${hits.length} of ${total}` : hits.length} symbol${hits.length === 1 ? '' : 's'} matching "${query}":`);
      for (const h of hits) {
        budget.add(`${h.kind} ${h.name}${h.container ? ` (in ${h.container})` : ''} — ${displayPath(h.abs, ctx.roots)}:${h.line}`);
      }
      budget.skip(total - hits.length);
      return {
        text: budget.finish('use a more specific query'),
        value: hits.map((h) => hitValue(h, ctx.roots)),
        locations: hits.map((h) => hitLocation(h, ctx.roots)),
        truncated: budget.truncated,
      };
    },
  };
}
