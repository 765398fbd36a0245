import { throwIfAborted } from '../core/errors';
import type { Tool } from '../shared/types';
import { COVERAGE_NOTE, declarationsNamed, nameSpan, hitAt, hitLocation, hitValue, identifiersOnLine, parseTarget, positionOf, sourceFile, tsFileName } from './symbolSupport';
import type { SymbolHit } from './symbolSupport';
import { TextBudget } from './textBudget';
import { stringArg } from './toolArgs';
import type { NodeToolDeps } from './toolDeps';
import { displayPath } from './workspacePath';

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
    async run(args, ctx) {
      const input = stringArg(args, 'name_or_location');
      const target = await parseTarget(input, ctx.roots, 'definition');
      const project = deps.symbols.get(ctx.roots);
      if (target.kind === 'location') project.include(target.abs);
      const { ts, service } = await project.languageService(ctx.signal);

      const hits: SymbolHit[] = [];
      const seen = new Set<string>();
      const add = (hit: SymbolHit | undefined): void => {
        if (!hit) return;
        const key = `${hit.abs}:${hit.line}:${hit.column}`;
        if (seen.has(key)) return;
        seen.add(key);
        hits.push(hit);
      };
      if (target.kind === 'name') {
        for (const item of declarationsNamed(service, target.name, target.container)) {
          add(hitAt(ts, service, item.fileName, nameSpan(service, item), { name: item.name, kind: item.kind, container: item.containerName }));
        }
      } else {
        const sf = sourceFile(service, target.abs);
        const positions = target.column
          ? [positionOf(ts, sf, target.line, target.column)]
          : identifiersOnLine(ts, sf, target.line).slice(0, MAX_IDENTIFIERS);
        for (const pos of positions) {
          throwIfAborted(ctx.signal);
          for (const def of service.getDefinitionAtPosition(tsFileName(target.abs), pos) ?? []) {
            add(hitAt(ts, service, def.fileName, def.textSpan, { name: def.name, kind: def.kind, container: def.containerName }));
          }
        }
      }
      throwIfAborted(ctx.signal);

      const what = target.kind === 'name' ? `"${input}"` : `the symbol${target.column ? '' : 's'} at ${target.display}:${target.line}${target.column ? `:${target.column}` : ''}`;
      const budget = new TextBudget(ctx.maxChars);
      if (hits.length === 0) budget.add(`No definition found for ${what}. ${COVERAGE_NOTE}`);
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
