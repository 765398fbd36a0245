import type { FileLocation, Tool } from '../../shared/toolContract';
import type { JsonObject } from '../../shared/json';
import { TextBudget, clipLine } from '../textBudget';
import { optionalBool, optionalInt, optionalString, stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { searchTargets, searchText } from './workspaceSearch';
import { rootedFile } from '../paths/workspacePath';

const DEFAULT_RESULTS = 50;
const MAX_RESULTS = 500;
const MAX_CONTEXT = 10;

export function createGrepTool(deps: NodeToolDeps): Tool {
  return {
    name: 'grep',
    description:
      'grep(pattern, glob?, regex?, case_sensitive?, max_results?, context_lines?) searches the contents of workspace ' +
      'files (ripgrep; .gitignore and workspace excludes honoured, binary and protected files skipped). The pattern is a literal ' +
      'string unless regex=true (Rust/PCRE-like syntax, one line at a time); matching ignores case unless ' +
      'case_sensitive=true. glob limits the files searched (e.g. "**/*.ts", "src/**"; "!GLOB" searches every file ' +
      'but those it matches, as rg -g "!GLOB": "!**/*.test.ts", "!dist/**"). Returns matching lines ' +
      `grouped by file as "line: text" (context lines as "line- text"), at most max_results matches (default ` +
      `${DEFAULT_RESULTS}, cap ${MAX_RESULTS}); the value is a list of {path, line, column, text}. Use it to find ` +
      'where something is used, defined or mentioned.',
    params: [
      { name: 'pattern', schema: { type: 'string', minLength: 1 }, description: 'Text to find (a regular expression if regex=true).' },
      { name: 'glob', schema: { type: 'string' }, optional: true, description: 'Only search files matching this glob.' },
      { name: 'regex', schema: { type: 'boolean' }, optional: true, description: 'Treat pattern as a regular expression (default false).' },
      { name: 'case_sensitive', schema: { type: 'boolean' }, optional: true, description: 'Match case exactly (default false).' },
      {
        name: 'max_results',
        schema: { type: 'integer', minimum: 1 },
        optional: true,
        description: `Most matching lines to return (default ${DEFAULT_RESULTS}, capped at ${MAX_RESULTS}).`,
      },
      {
        name: 'context_lines',
        schema: { type: 'integer', minimum: 0 },
        optional: true,
        description: `Lines of context before and after each match (default 0, at most ${MAX_CONTEXT}).`,
      },
    ],
    async run(args, ctx) {
      const pattern = stringArg(args, 'pattern');
      const glob = optionalString(args, 'glob') || undefined;
      const regex = optionalBool(args, 'regex', false);
      const caseSensitive = optionalBool(args, 'case_sensitive', false);
      const max = optionalInt(args, 'max_results', { min: 1, max: MAX_RESULTS }) ?? DEFAULT_RESULTS;
      const contextLines = optionalInt(args, 'context_lines', { min: 0, max: MAX_CONTEXT }) ?? 0;

      const policy = deps.readPolicy();
      // Protected files are left out before counting, and not a word is said of them: a note that came only when
      // the pattern matched in one would tell the pattern's answer on its text.
      const keep = (root: string, rel: string): boolean => !policy.refusal(root, rel, rootedFile(root, rel, ctx.roots).display);
      const targets = searchTargets(ctx.roots, glob);
      for (const { root } of targets) await ctx.reads?.tree(root, { excludeGlobs: deps.search.excludeGlobs, contents: true });
      const result = await searchText(
        deps.search,
        targets,
        { pattern, regex, caseSensitive, contextLines },
        ctx.signal,
        max,
        keep,
      );

      const mode = `${regex ? 'regex' : 'literal'}, ${caseSensitive ? 'case-sensitive' : 'ignoring case'}${glob ? `, files ${glob}` : ''}`;
      const budget = new TextBudget(ctx.maxChars);
      const matches: JsonObject[] = [];
      const locations: FileLocation[] = [];
      if (result.matches === 0) {
        budget.add(`No matches for "${pattern}" (${mode}).`);
      } else {
        const count = result.complete ? `${result.matches}` : `First ${result.matches}`;
        const more = result.complete ? '' : ' — more exist; narrow with glob or raise max_results';
        budget.add(`${count} matching line${result.matches === 1 ? '' : 's'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'} for "${pattern}" (${mode})${more}:`);
      }
      if (result.fallback) budget.add('(searched by the JavaScript fallback: ripgrep was not found; it reads patterns as ripgrep does)');
      if (result.tooLarge.length > 0) {
        const names = result.tooLarge.map((f) => rootedFile(f.root, f.rel, ctx.roots).display);
        budget.add(`Not searched, over the fallback's 64 MB per file (install ripgrep to search them): ${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}.`);
      }
      for (const file of result.files) {
        const { display: shown, location } = rootedFile(file.root, file.rel, ctx.roots);
        budget.add(shown);
        let previous = 0;
        for (const line of file.lines) {
          if (contextLines > 0 && previous && line.line > previous + 1) budget.add('  --');
          previous = line.line;
          const sep = line.column !== undefined ? ':' : '-';
          budget.add(`  ${line.line}${sep} ${clipLine(line.text, line.column ?? 1)}`);
          if (line.column !== undefined) {
            matches.push({ path: shown, line: line.line, column: line.column, text: clipLine(line.text, line.column) });
            locations.push({ ...location, line: line.line, column: line.column });
          }
        }
      }
      return {
        text: budget.finish('narrow the search with glob or a more specific pattern'),
        value: matches,
        locations,
        truncated: budget.truncated || !result.complete,
      };
    },
  };
}
