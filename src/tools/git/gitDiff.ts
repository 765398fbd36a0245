import * as fs from 'node:fs';
import { CompilerError } from '../../base/errors';
import type { FileLocation, Tool } from '../../shared/toolContract';
import type { JsonObject } from '../../shared/json';
import { firstHunkLines, parseNumstat, withholdContent } from './gitParse';
import { diffOptions, openRepo, protectedInPatch, pathspec, recordExistence, resolveCommit } from './gitRepo';
import { TextBudget } from '../textBudget';
import { optionalString } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import * as path from 'node:path';
import { displayPath, fileLocation, resolveWorkspacePath } from '../paths/workspacePath';

export function createGitDiffTool(deps: NodeToolDeps): Tool {
  return {
    name: 'git_diff',
    description:
      'git_diff(from?, to?, path?) shows what changed, as a file summary with line counts followed by the unified ' +
      'patch (cut to fit): with no revisions, uncommitted changes (staged and unstaged) against HEAD; with from, the ' +
      'working tree against that commit; with from and to, between two commits. path limits it to a file or ' +
      'folder. Untracked files are not included. The value is {from, to, files: [{path, added, deleted}]}. Use it ' +
      'to see current edits or compare versions.',
    params: [
      { name: 'from', schema: { type: 'string' }, optional: true, description: 'Base commit (default HEAD).' },
      { name: 'to', schema: { type: 'string' }, optional: true, description: 'Target commit (default: the working tree). Needs from.' },
      { name: 'path', schema: { type: 'string' }, optional: true, description: 'File or folder to limit the diff to.' },
    ],
    async run(args, ctx) {
      const from = optionalString(args, 'from') || undefined;
      const to = optionalString(args, 'to') || undefined;
      if (to && !from) throw new CompilerError('invalid-args', 'git_diff: "to" needs "from".');
      const input = optionalString(args, 'path') || undefined;
      const target = input ? await resolveWorkspacePath(input, ctx.roots, { mustExist: false }) : undefined;
      const root = target?.root ?? ctx.roots[0];
      // The working tree has no cheap fingerprint short of reading every tracked file: such diffs are not reused.
      if (!to) ctx.reads?.volatile();
      const repo = await openRepo(root, ctx.roots, ctx.signal, deps.gitPath, ctx.reads);

      const revs = [await resolveCommit(repo, from ?? 'HEAD', 'from')];
      if (to) revs.push(await resolveCommit(repo, to, 'to'));
      // Without a path, a workspace folder inside a larger repository still sees only its own changes.
      const paths = ['--', target ? pathspec(target.rel) : '.'];
      const options = diffOptions(repo, ctx.roots);
      const files = parseNumstat(await repo.run(['diff', ...options, '--numstat', '-z', ...revs, ...paths]));
      const refusals = protectedInPatch(repo, files, ctx.roots, deps.readPolicy());
      const patch = files.length ? withholdContent(await repo.run(['diff', ...options, '--patch', ...revs, ...paths]), (p) => refusals.get(p)) : '';
      const firstLines = firstHunkLines(patch);
      await recordExistence(ctx, files.map((f) => path.join(repo.root, f.path)));

      const fromLabel = from ?? 'HEAD';
      const toLabel = to ?? 'working tree';
      const scope = target ? ` in ${target.display}` : '';
      const budget = new TextBudget(ctx.maxChars);
      const added = files.reduce((n, f) => n + (f.added ?? 0), 0);
      const deleted = files.reduce((n, f) => n + (f.deleted ?? 0), 0);
      budget.add(
        files.length === 0
          ? `No changes between ${fromLabel} and ${toLabel}${scope}.`
          : `${files.length} file${files.length === 1 ? '' : 's'} changed between ${fromLabel} and ${toLabel}${scope} (+${added} -${deleted}):`,
      );
      const values: JsonObject[] = [];
      const locations: FileLocation[] = [];
      for (const f of files) {
        const abs = path.join(repo.root, f.path);
        const shown = displayPath(abs, ctx.roots);
        const oldPath = f.oldPath ? displayPath(path.join(repo.root, f.oldPath), ctx.roots) : undefined;
        budget.add(` ${oldPath ? `${oldPath} → ` : ''}${shown} | ${f.added === undefined ? 'binary' : `+${f.added} -${f.deleted}`}`);
        values.push({ path: shown, ...(oldPath ? { oldPath } : {}), ...(f.added !== undefined ? { added: f.added, deleted: f.deleted ?? 0 } : { binary: true }) });
        // Locations are for opening: only files that exist now.
        if (fs.existsSync(abs)) {
          const line = firstLines.get(shown);
          locations.push(fileLocation(abs, ctx.roots, line ? { line } : {}));
        }
      }
      if (patch) {
        budget.add('');
        for (const line of patch.replace(/\n$/, '').split('\n')) budget.add(line);
      }
      return {
        text: budget.finish('limit it with path'),
        value: { from: fromLabel, to: toLabel, files: values },
        locations,
        truncated: budget.truncated,
      };
    },
  };
}
