import * as fs from 'node:fs';
import { CompilerError } from '../../base/errors';
import type { FileLocation, Tool, ToolOutput } from '../../shared/toolContract';
import type { JsonObject } from '../../shared/json';
import { renderContent } from '../files/fileContent';
import { diffOptions, openRepo, protectedInPatch, recordExistence, resolveCommit } from './gitRepo';
import { COMMIT_FORMAT, firstHunkLines, parseCommits, parseNumstat, withholdContent } from './gitParse';
import { TextBudget } from '../textBudget';
import { optionalString, stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import * as path from 'node:path';
import { displayPath, fileLocation, recordResolved, resolveWorkspacePath } from '../paths/workspacePath';

export function createGitShowTool(deps: NodeToolDeps): Tool {
  return {
    name: 'git_show',
    description:
      'git_show(rev, path?) shows one commit: hash, author, date, full message, the files it changed with line ' +
      'counts, and its patch (cut to fit). With path, it instead shows that file as it was at rev, as numbered ' +
      'lines. rev is a commit hash, branch, tag or HEAD~N. The value is {hash, author, email, date, message, ' +
      'files: [{path, added, deleted}]} (or the file contents with path). Use it after git_log to see what a ' +
      'commit did, or to compare a file with an older version.',
    params: [
      { name: 'rev', schema: { type: 'string', minLength: 1 }, description: 'Commit: hash, branch, tag, HEAD, HEAD~2, …' },
      { name: 'path', schema: { type: 'string' }, optional: true, description: 'Show this file as of rev instead of the commit.' },
    ],
    async run(args, ctx): Promise<ToolOutput> {
      const rev = stringArg(args, 'rev');
      const input = optionalString(args, 'path') || undefined;
      const target = input ? await resolveWorkspacePath(input, ctx.roots, { mustExist: false }) : undefined;
      if (target) await recordResolved(ctx.reads, target);
      const repo = await openRepo(target?.root ?? ctx.roots[0], ctx.roots, ctx.signal, deps.gitPath, ctx.reads);
      const hash = await resolveCommit(repo, rev, 'rev');

      if (target) {
        // `rev:./path` names the path relative to the folder git runs in (the workspace root).
        const spec = `${hash}:./${target.rel}`;
        const object = (await repo.run(['rev-parse', '--verify', '--quiet', '--end-of-options', spec])).trim();
        if (!object) throw new CompilerError('not-found', `${target.display} does not exist in ${rev}.`);
        const type = (await repo.run(['cat-file', '-t', object])).trim();
        if (type !== 'blob') {
          const names = (await repo.run(['ls-tree', '--name-only', '-z', object])).split('\0').filter(Boolean);
          const budget = new TextBudget(ctx.maxChars);
          budget.add(`${target.display}/ at ${rev} (${names.length} entries):`);
          names.forEach((n) => budget.add(`  ${n}`));
          return { text: budget.finish(), value: { path: target.display, rev, entries: names }, truncated: budget.truncated };
        }
        deps.readPolicy().check(target.root, target.rel, target.display);
        const bytes = await repo.runBinary(['blob', object]);
        const shown = renderContent(target.display, bytes, bytes.length, {}, ctx.maxChars, ` at ${rev}`);
        return {
          text: shown.text,
          value: { ...shown.value, rev, hash },
          locations: target.exists ? [fileLocation(target.abs, ctx.roots)] : [],
          truncated: shown.truncated,
        };
      }

      const [meta] = parseCommits(await repo.run(['show', '-s', '--no-color', `--format=${COMMIT_FORMAT}`, hash]));
      const merges = '--diff-merges=first-parent';
      const options = diffOptions(repo, ctx.roots);
      // `-- .` with --relative: a workspace folder inside a larger repository sees only the commit's changes in it.
      const files = parseNumstat(await repo.run(['show', ...options, merges, '--format=', '--numstat', '-z', hash, '--', '.']));
      const refusals = protectedInPatch(repo, files, ctx.roots, deps.readPolicy());
      const patch = withholdContent(await repo.run(['show', ...options, merges, '--format=', '--patch', hash, '--', '.']), (p) => refusals.get(p));
      const firstLines = firstHunkLines(patch);
      await recordExistence(ctx, files.map((f) => path.join(repo.root, f.path)));

      const budget = new TextBudget(ctx.maxChars);
      budget.add(`commit ${meta.hash}${meta.parents.length > 1 ? ` (merge of ${meta.parents.map((p) => p.slice(0, 7)).join(' ')})` : ''}`);
      budget.add(`Author: ${meta.author} <${meta.email}>`);
      budget.add(`Date:   ${meta.date}`);
      budget.add('');
      for (const line of `${meta.subject}${meta.body ? `\n\n${meta.body}` : ''}`.split('\n')) budget.add(line ? `    ${line}` : '');
      budget.add('');
      const fileValues: JsonObject[] = [];
      const locations: FileLocation[] = [];
      for (const f of files) {
        const abs = path.join(repo.root, f.path);
        const shownPath = displayPath(abs, ctx.roots);
        const oldPath = f.oldPath ? displayPath(path.join(repo.root, f.oldPath), ctx.roots) : undefined;
        const counts = f.added === undefined ? 'binary' : `+${f.added} -${f.deleted}`;
        budget.add(` ${oldPath ? `${oldPath} → ` : ''}${shownPath} | ${counts}`);
        fileValues.push({ path: shownPath, ...(oldPath ? { oldPath } : {}), ...(f.added !== undefined ? { added: f.added, deleted: f.deleted ?? 0 } : { binary: true }) });
        // Locations are for opening: only files that exist now.
        if (fs.existsSync(abs)) {
          const line = firstLines.get(shownPath);
          locations.push(fileLocation(abs, ctx.roots, line ? { line } : {}));
        }
      }
      budget.add('');
      for (const line of patch.replace(/\n$/, '').split('\n')) budget.add(line);
      return {
        text: budget.finish('git_show(rev, path) shows one file; git_diff narrows by path'),
        value: { hash: meta.hash, shortHash: meta.shortHash, author: meta.author, email: meta.email, date: meta.date, parents: meta.parents, message: `${meta.subject}${meta.body ? `\n\n${meta.body}` : ''}`, files: fileValues },
        locations,
        truncated: budget.truncated,
      };
    },
  };
}
