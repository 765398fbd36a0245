import type { Tool } from '../../shared/toolContract';
import { TextBudget } from '../textBudget';
import { optionalInt, stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { listFiles, searchTargets } from './workspaceSearch';
import { rootedFile } from '../paths/workspacePath';
import { PROTECTED_MARK } from '../paths/readPolicy';

const DEFAULT_RESULTS = 200;
const MAX_RESULTS = 2_000;

export function createFindFilesTool(deps: NodeToolDeps): Tool {
  return {
    name: 'find_files',
    description:
      'find_files(glob, max_results?) lists workspace files whose path matches a glob, sorted, as paths relative to ' +
      'the workspace (e.g. "**/*.test.ts", "src/**/config*.json", "*.md"; a glob without "/" matches the file name ' +
      'at any depth; a leading "!" lists every file the rest does not match, as rg -g "!GLOB": "!**/*.js", "!test/**"). ' +
      'Skips files ignored by .gitignore and the workspace excludes, and protected files (secrets, AI-ignored files). ' +
      'Returns the matching paths and ' +
      `how many matched (default ${DEFAULT_RESULTS} shown, at most ${MAX_RESULTS}). Use it to locate files by ` +
      'name or extension before reading them; use grep to search inside files.',
    params: [
      { name: 'glob', schema: { type: 'string', minLength: 1 }, description: 'Glob relative to the workspace root, e.g. "src/**/*.ts".' },
      {
        name: 'max_results',
        schema: { type: 'integer', minimum: 1 },
        optional: true,
        description: `How many paths to show (default ${DEFAULT_RESULTS}, capped at ${MAX_RESULTS}).`,
      },
    ],
    async run(args, ctx) {
      const glob = stringArg(args, 'glob');
      const max = optionalInt(args, 'max_results', { min: 1, max: MAX_RESULTS }) ?? DEFAULT_RESULTS;
      const targets = searchTargets(ctx.roots, glob);
      for (const { root } of targets) await ctx.reads?.tree(root, { excludeGlobs: deps.search.excludeGlobs, contents: false });
      const policy = deps.readPolicy();
      // Protected files are left out, or shown marked when the user has asked for their names.
      const showProtected = deps.listProtectedFiles ?? false;
      const keep = (root: string, rel: string): boolean => showProtected || policy.refusal(root, rel) === undefined;
      const { files, total } = await listFiles(deps.search, targets, ctx.signal, max, keep);
      const shown = files.map((f) => rootedFile(f.root, f.rel, ctx.roots));
      const display = shown.map((f) => f.display);
      const marked = files.map((f, i) => (showProtected && policy.refusal(f.root, f.rel) !== undefined ? `${display[i]}${PROTECTED_MARK}` : display[i]!));

      const budget = new TextBudget(ctx.maxChars);
      if (total === 0) budget.add(`No files match "${glob}".`);
      else budget.add(`${total} file${total === 1 ? ' matches' : 's match'} "${glob}"${shown.length < total ? ` (first ${shown.length} shown)` : ''}:`);
      marked.forEach((d) => budget.add(d));
      budget.skip(total - shown.length);
      const truncated = budget.truncated;
      return {
        text: budget.finish('narrow the glob or raise max_results'),
        value: display,
        locations: shown.map((f) => f.location),
        truncated,
      };
    },
  };
}
