import type { Tool } from '../../shared/toolContract';
import { COVERAGE_NOTE, DECLARATIONS_ONLY_NOTE, UNRESOLVED_NOTE, parseTarget } from './symbolSupport';
import { MAX_REFERENCES, SYMBOL_TOOL_SPECS, elsewhereNote, hitLocation, hitValue, projectsNote, referencesText } from './symbolContract';
import { stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { displayPath } from '../paths/workspacePath';

/** Same-named declarations whose references are gathered when a bare name is given. */
const MAX_DECLARATIONS = 10;

export function createReferencesTool(deps: NodeToolDeps): Tool {
  return {
    name: 'references',
    ...SYMBOL_TOOL_SPECS.references,
    timeoutMs: 120_000,
    warmUp: ({ roots, signal }) => deps.symbols.get(roots).warm(signal),
    async run(args, ctx) {
      const input = stringArg(args, 'name_or_location');
      const target = await parseTarget(input, ctx.roots, 'references', deps.readPolicy());
      const project = deps.symbols.get(ctx.roots);
      if (target.kind === 'location') await ctx.reads?.path(target.abs);
      await project.recordReads(ctx.reads);
      if (target.kind === 'location') project.include(target.abs);
      const { hits, declared: found, capped, elsewhere, projects } = await project.query(
        { op: 'references', target, maxReferences: MAX_REFERENCES, maxDeclarations: MAX_DECLARATIONS },
        ctx.signal,
        ctx.reads,
      );
      const declared = found.map(
        (d) => `${d.kind} ${d.container && !d.container.startsWith('"') ? `${d.container}.` : ''}${d.name} at ${displayPath(d.abs, ctx.roots)}:${d.line}`,
      );
      const what = target.kind === 'name' ? `"${input}"` : `the symbol at ${target.display}:${target.line}${target.column ? `:${target.column}` : ''}`;
      // Same-named symbols are all included; saying which keeps the answer honest.
      const notes = declared.length > 1 ? [`(${declared.length} declarations share this name: ${declared.join('; ')})`] : [];
      const answered = projectsNote(projects, ctx.roots);
      if (answered) notes.unshift(`(answered by the ${answered.slice(2)}`);
      // A name that is declared but whose uses the service cannot follow: say so rather than suggest it is unused.
      const declaredOnly = declared.length > 0 && hits.every((h) => h.isDefinition);
      if (declaredOnly && hits.length > 0) notes.push(`(${DECLARATIONS_ONLY_NOTE})`);
      const empty = target.kind === 'location' ? UNRESOLVED_NOTE : declaredOnly ? `${declared.join('; ')} is declared. ${DECLARATIONS_ONLY_NOTE}` : elsewhereNote(elsewhere, ctx.roots, COVERAGE_NOTE);
      const { text, truncated } = referencesText(hits, what, ctx.roots, ctx.maxChars, empty, notes);
      return {
        text,
        value: hits.map((h) => hitValue(h, ctx.roots)),
        locations: hits.map((h) => hitLocation(h, ctx.roots)),
        truncated: truncated || capped,
      };
    },
  };
}
