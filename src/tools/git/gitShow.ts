import { CompilerError } from '../../base/errors';
import type { Tool, ToolContext, ToolOutput } from '../../shared/toolContract';
import { renderContent } from '../files/fileContent';
import { checkRev, diffOptions, inEveryFolder, openRepo, resolveCommit } from './gitRepo';
import { COMMIT_FORMAT, parseCommits } from './gitParse';
import type { CommitInfo } from './gitParse';
import { streamPatch } from './gitPatch';
import { TextBudget } from '../textBudget';
import { optionalString, stringArg } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { fileLocation, recordResolved, resolveWorkspacePath } from '../paths/workspacePath';

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
      if (target) {
        const repo = await openRepo(target.root, ctx.roots, ctx.signal, deps.gitPath, ctx.reads);
        const hash = await resolveCommit(repo, rev, 'rev');
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

      checkRev(rev, 'rev');
      // The commit in every folder that has it (each folder its own repository in a multi-root workspace).
      return inEveryFolder(ctx, (root, c) => showIn(root, c));

      async function showIn(root: string, ctx: ToolContext): Promise<ToolOutput> {
        const repo = await openRepo(root, ctx.roots, ctx.signal, deps.gitPath, ctx.reads);
        const budget = new TextBudget(ctx.maxChars);
        let meta: CommitInfo | undefined;
        const describe = (text: string): void => {
          meta = parseCommits(text)[0];
          if (!meta) return;
          budget.add(`commit ${meta.hash}${meta.parents.length > 1 ? ` (merge of ${meta.parents.map((p) => p.slice(0, 7)).join(' ')})` : ''}`);
          budget.add(`Author: ${meta.author} <${meta.email}>`);
          budget.add(`Date:   ${meta.date}`);
          budget.add('');
          for (const line of `${meta.subject}${meta.body ? `\n\n${meta.body}` : ''}`.split('\n')) budget.add(line ? `    ${line}` : '');
          budget.add('');
        };
        // One git process: the commit, its file list and its patch. `-- .` with --relative: a workspace folder inside a
        // larger repository sees only the commit's changes in it.
        const showArgs = ['show', ...diffOptions(repo, ctx.roots), '--diff-merges=first-parent', `--format=${COMMIT_FORMAT}`, '--numstat', '-z', '--patch'];
        let result;
        try {
          result = await streamPatch(repo, ctx, deps.readPolicy(), budget, {
            args: [...showArgs, '--end-of-options', `${rev}^{commit}`, '--', '.'],
            header: true,
            onHeader: describe,
            heading: () => undefined,
          });
        } catch (error) {
          // Only a failure costs the second process that tells an unknown revision from git failing.
          await resolveCommit(repo, rev, 'rev');
          throw error;
      }
      // A commit that changed nothing in this folder prints nothing under `-- .`.
      if (!result.printed) describe(await repo.run(['show', '-s', '--no-color', `--format=${COMMIT_FORMAT}`, '--end-of-options', `${rev}^{commit}`]));
      if (!meta) throw new CompilerError('not-found', `Unknown revision "${rev}".`);
      const m = meta as CommitInfo;
      return {
        text: budget.finish('git_show(rev, path) shows one file; git_diff narrows by path'),
        value: { hash: m.hash, shortHash: m.shortHash, author: m.author, email: m.email, date: m.date, parents: m.parents, message: `${m.subject}${m.body ? `\n\n${m.body}` : ''}`, files: result.values },
        locations: result.locations,
        truncated: budget.truncated,
      };
      }
    },
  };
}
