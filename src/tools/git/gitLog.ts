import * as fs from 'node:fs/promises';
import { CompilerError } from '../../base/errors';
import type { FileLocation, Tool, ToolContext, ToolOutput } from '../../shared/toolContract';
import { inEveryFolder, openRepo, pathspec } from './gitRepo';
import type { GitRepo } from './gitRepo';
import { COMMIT_FORMAT, commitValue, day, parseCommits } from './gitParse';
import { TextBudget } from '../textBudget';
import { optionalInt, optionalString } from '../toolArgs';
import type { NodeToolDeps } from '../toolDeps';
import { fileLocation, recordResolved, resolveWorkspacePath } from '../paths/workspacePath';

const DEFAULT_COUNT = 20;
const MAX_COUNT = 200;
/** Dates git understands: `2024-01-31`, `2 weeks ago`, `yesterday`, `2024-01-31T10:00:00+01:00`. */
const SINCE_SYNTAX = /^[\w .:+,/-]{1,64}$/;
const ABSOLUTE_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Whether a path names a file, for `--follow`, which follows one file only: the path on disk, or for a deleted path,
 * the last commit that touched it (a folder's is a change below it, a file's a change of the path itself).
 */
async function wasFile(repo: GitRepo, abs: string, rel: string): Promise<boolean> {
  const stat = await fs.stat(abs).catch(() => undefined);
  if (stat) return !stat.isDirectory();
  const names = (await repo.run(['log', '--max-count=1', '--format=', '--name-only', '-z', '--no-renames', '--relative', '--', rel])).split('\0');
  return names.some((n) => n.replace(/^\n+/, '') === rel);
}

export function createGitLogTool(deps: NodeToolDeps): Tool {
  return {
    name: 'git_log',
    description:
      'git_log(path?, max_count?, since?, author?, grep?) lists commits, newest first, as "hash date author  subject": ' +
      'all commits, or those touching a file or folder (a single file is followed across renames). since takes a ' +
      'date or "2 weeks ago"; author and grep filter by author and by message text (plain text, any case). ' +
      `Default ${DEFAULT_COUNT} commits, at most ${MAX_COUNT}. The value is a list of {hash, shortHash, author, ` +
      'email, date, subject}. Use it to learn when and why code changed and who changed it; then git_show a hash.',
    params: [
      { name: 'path', schema: { type: 'string' }, optional: true, description: 'File or folder (may be deleted) to limit the history to.' },
      { name: 'max_count', schema: { type: 'integer', minimum: 1 }, optional: true, description: `Commits to list (default ${DEFAULT_COUNT}).` },
      { name: 'since', schema: { type: 'string' }, optional: true, description: 'Only commits after this date, e.g. "2024-01-01" or "3 months ago".' },
      { name: 'author', schema: { type: 'string' }, optional: true, description: 'Only commits whose author name or email contains this text.' },
      { name: 'grep', schema: { type: 'string' }, optional: true, description: 'Only commits whose message contains this text.' },
    ],
    async run(args, ctx) {
      const input = optionalString(args, 'path') || undefined;
      const count = optionalInt(args, 'max_count', { min: 1, max: MAX_COUNT }) ?? DEFAULT_COUNT;
      const since = optionalString(args, 'since') || undefined;
      const author = optionalString(args, 'author') || undefined;
      const grep = optionalString(args, 'grep') || undefined;
      if (since !== undefined && !SINCE_SYNTAX.test(since)) throw new CompilerError('invalid-args', `since: "${since}" is not a date.`);
      // "2 weeks ago" means another day tomorrow; only a calendar date gives the same answer later.
      if (since !== undefined && !ABSOLUTE_DATE.test(since)) ctx.reads?.volatile();

      const target = input ? await resolveWorkspacePath(input, ctx.roots, { mustExist: false }) : undefined;
      // Without a path, every folder's history (each folder its own repository in a multi-root workspace).
      if (!target) return inEveryFolder(ctx, (root, c) => logIn(root, c));
      return logIn(target.root, ctx);

      async function logIn(root: string, ctx: ToolContext): Promise<ToolOutput> {
        // Whether the path is a file decides --follow; its existence, the locations.
        if (target) await recordResolved(ctx.reads, target);
        const repo = await openRepo(root, ctx.roots, ctx.signal, deps.gitPath, ctx.reads);

        const gitArgs = ['log', '--no-color', `--format=${COMMIT_FORMAT}`, `--max-count=${count}`];
        if (since) gitArgs.push(`--since=${since}`);
        if (author) gitArgs.push(`--author=${author}`);
        if (grep) gitArgs.push(`--grep=${grep}`);
        if (author || grep) gitArgs.push('--fixed-strings', '--regexp-ignore-case');
        if (target && target.rel && (await wasFile(repo, target.abs, target.rel))) gitArgs.push('--follow');
        // Without a path, a workspace folder inside a larger repository still sees only its own history.
        if (target) gitArgs.push('--', pathspec(target.rel));
        else if (repo.top !== root) gitArgs.push('--', '.');

        const commits = parseCommits(await repo.run(gitArgs));
        const scope = target ? ` touching ${target.display}` : '';
        const budget = new TextBudget(ctx.maxChars);
        const filters = [since && `since ${since}`, author && `author "${author}"`, grep && `message "${grep}"`].filter(Boolean).join(', ');
        budget.add(
          commits.length === 0
            ? `No commits${scope}${filters ? ` (${filters})` : ''}.`
            : `${commits.length} commit${commits.length === 1 ? '' : 's'}${scope}${filters ? ` (${filters})` : ''}, newest first${commits.length === count ? ` (max_count ${count} reached)` : ''}:`,
        );
        for (const c of commits) budget.add(`${c.shortHash} ${day(c.date)} ${c.author}  ${c.subject}`);

        const locations: FileLocation[] = target?.exists ? [fileLocation(target.abs, ctx.roots)] : [];
        return { text: budget.finish('lower max_count or add since/author/grep'), value: commits.map(commitValue), locations, truncated: budget.truncated };
      }
    },
  };
}
