import { CompilerError } from '../../base/errors';
import type { Tool, ToolContext, ToolOutput } from '../../shared/toolContract';
import { checkRev, diffOptions, inEveryFolder, openRepo, pathspec, resolveCommit } from './gitRepo';
import { streamPatch } from './gitPatch';
import { TextBudget } from '../textBudget';
import { optionalString } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { resolveWorkspacePath } from '../paths/workspacePath';

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
      // Without a path, every folder's changes (each folder its own repository in a multi-root workspace).
      if (!target) return inEveryFolder(ctx, (root, c) => diffIn(root, c));
      return diffIn(target.root, ctx);

      async function diffIn(root: string, ctx: ToolContext): Promise<ToolOutput> {
        // The working tree has no cheap fingerprint short of reading every tracked file: such diffs are not reused.
        if (!to) ctx.reads?.volatile();
        const repo = await openRepo(root, ctx.roots, ctx.signal, deps.gitPath, ctx.reads);

        for (const [rev, param] of [[from ?? 'HEAD', 'from'], ...(to ? [[to, 'to']] : [])] as const) checkRev(rev, param);
        const revs = [`${from ?? 'HEAD'}^{commit}`, ...(to ? [`${to}^{commit}`] : [])];
        // Without a path, a workspace folder inside a larger repository still sees only its own changes.
        const paths = ['--', target ? pathspec(target.rel) : '.'];
        const fromLabel = from ?? 'HEAD';
        const toLabel = to ?? 'working tree';
        const scope = target ? ` in ${target.display}` : '';
        const budget = new TextBudget(ctx.maxChars);
        let result;
        try {
          // One git process: the file list, then the patch.
          result = await streamPatch(repo, ctx, deps.readPolicy(), budget, {
            args: ['diff', ...diffOptions(repo, ctx.roots), '--numstat', '-z', '--patch', '--end-of-options', ...revs, ...paths],
            header: false,
            heading: (files) => {
              const added = files.reduce((n, f) => n + (f.added ?? 0), 0);
              const deleted = files.reduce((n, f) => n + (f.deleted ?? 0), 0);
              return files.length === 0
                ? `No changes between ${fromLabel} and ${toLabel}${scope}.`
                : `${files.length} file${files.length === 1 ? '' : 's'} changed between ${fromLabel} and ${toLabel}${scope} (+${added} -${deleted}):`;
            },
          });
        } catch (error) {
          // Only a failure costs the processes that tell an unknown revision from git failing.
          await resolveCommit(repo, fromLabel, 'from');
          if (to) await resolveCommit(repo, to, 'to');
          throw error;
      }
      return {
        text: budget.finish('limit it with path'),
        value: { from: fromLabel, to: toLabel, files: result.values },
        locations: result.locations,
        truncated: budget.truncated,
      };
      }
    },
  };
}
