import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { ALICE, BOB, CAROL, useGitFixture } from '../../../support/gitFixture';
import type { GitFixture } from '../../../support/gitFixture';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

interface Commit {
  hash: string;
  shortHash: string;
  author: string;
  email: string;
  date: string;
  subject: string;
}

/** `git log` run directly: hash, author, email, ISO date, subject per commit. */
function gitLog(fx: GitFixture, args: string[]): Array<Omit<Commit, 'shortHash'>> {
  return fx
    .git(['log', '--format=%H%x09%an%x09%ae%x09%aI%x09%s', ...args])
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [hash, author, email, date, subject] = line.split('\t');
      return { hash, author, email, date, subject };
    });
}

function withoutShort(commits: unknown): Array<Omit<Commit, 'shortHash'>> {
  return (commits as Commit[]).map(({ shortHash: _s, ...rest }) => rest);
}

describe('git tools', () => {
  const fx = useGitFixture();
  const tools = createNodeTools({ symbolTools: false });
  const run = (name: string, args: Record<string, string | number>, maxChars = 100_000) =>
    runTool(tools, name, args, toolContext([fx.repo], { maxChars }));

  describe('git_log', () => {
    it('lists every commit as git does, newest first', async () => {
      const out = await run('git_log', {});
      assert.deepEqual(withoutShort(out.value), gitLog(fx, []));
      assert.equal((out.value as unknown as Commit[]).length, 5);
      const lines = out.text.split('\n');
      assert.equal(lines[0], '5 commits, newest first:');
      assert.equal(lines[1], `${fx.commits.links.slice(0, 7)} 2023-05-20 ${BOB.name}  Add long data file and links`);
      assert.equal(lines[5], `${fx.commits.init.slice(0, 7)} 2023-01-10 ${ALICE.name}  Add math module and entry point`);
    });

    it('follows a file across its rename, as git log --follow does', async () => {
      const out = await run('git_log', { path: 'src/helpers.ts' });
      assert.deepEqual(withoutShort(out.value), gitLog(fx, ['--follow', '--', 'src/helpers.ts']));
      assert.deepEqual((out.value as unknown as Commit[]).map((c) => c.hash), [fx.commits.rename, fx.commits.helpers]);
      assert.deepEqual(out.locations, [{ path: path.join(fx.repo, 'src', 'helpers.ts'), relPath: 'src/helpers.ts' }]);
    });

    it('gives the history of a folder, and of a deleted file', async () => {
      const folder = await run('git_log', { path: 'docs' });
      assert.deepEqual(withoutShort(folder.value), gitLog(fx, ['--', 'docs']));
      const deleted = await run('git_log', { path: 'src/util.ts' });
      assert.deepEqual((deleted.value as unknown as Commit[]).map((c) => c.hash), gitLog(fx, ['--follow', '--', 'src/util.ts']).map((c) => c.hash));
      assert.ok((deleted.value as unknown[]).length > 0);
    });

    it('filters by author, message, date and count like git', async () => {
      assert.deepEqual(withoutShort((await run('git_log', { author: 'bob' })).value), gitLog(fx, ['--author=bob', '-i']));
      assert.deepEqual(withoutShort((await run('git_log', { author: CAROL.email })).value), gitLog(fx, [`--author=${CAROL.email}`]));
      assert.deepEqual(withoutShort((await run('git_log', { grep: 'HELPERS' })).value), gitLog(fx, ['--grep=helpers', '-i']));
      assert.deepEqual(withoutShort((await run('git_log', { since: '2023-03-15' })).value), gitLog(fx, ['--since=2023-03-15']));
      assert.deepEqual(withoutShort((await run('git_log', { max_count: 2 })).value), gitLog(fx, ['--max-count=2']));
      // Message filters are plain text: regex characters match themselves.
      assert.deepEqual((await run('git_log', { grep: 'util.*helpers' })).value, []);
    });

    it('never passes option-like values to git as options', async () => {
      const marker = path.join(fx.base, 'injected');
      const out = await run('git_log', { author: `--output=${marker}`, grep: '--all' });
      assert.deepEqual(out.value, []);
      assert.ok(!fs.existsSync(marker));
      const since = await rejectionOf(run('git_log', { since: '2023-01-01; rm -rf /' }));
      assert.equal((since as CompilerError).reason, 'invalid-args');
    });

    it('says when a folder is not in a git repository', async () => {
      const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-nogit-')));
      try {
        const error = await rejectionOf(runTool(tools, 'git_log', {}, toolContext([plain])));
        assert.ok(error instanceof CompilerError);
        assert.equal(error.reason, 'unsupported');
        assert.match(error.message, /not in a git repository/);
      } finally {
        fs.rmSync(plain, { recursive: true, force: true });
      }
    });
  });

  describe('git_show', () => {
    it('shows a commit: header, message, changed files with counts as git --numstat, patch', async () => {
      const out = await run('git_show', { rev: fx.commits.helpers.slice(0, 10) });
      const value = out.value as { hash: string; author: string; message: string; files: Array<{ path: string; added: number; deleted: number }> };
      assert.equal(value.hash, fx.commits.helpers);
      assert.equal(value.author, BOB.name);
      assert.equal(value.message, 'Add string helpers and docs\n\nShout and greeting constants.');
      const numstat = fx
        .git(['-c', 'core.quotepath=false', 'show', '--format=', '--numstat', fx.commits.helpers])
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'))
        .map(([a, d, p]) => ({ path: p, added: Number(a), deleted: Number(d) }));
      assert.deepEqual(value.files, numstat);
      assert.ok(out.text.startsWith(`commit ${fx.commits.helpers}\nAuthor: ${BOB.name} <${BOB.email}>\nDate:   2023-02-14T15:30:00+01:00\n\n    Add string helpers and docs\n\n    Shout and greeting constants.\n`));
      assert.match(out.text, /\+\+\+ b\/docs\/über\.md/);
      const locs = out.locations!.map((l) => [l.relPath, l.line]);
      assert.deepEqual(locs.sort(), [['docs/über.md', 1], ['src/日本.ts', 1]]);
    });

    it('shows a rename with its old name', async () => {
      const out = await run('git_show', { rev: 'HEAD~2' });
      const files = (out.value as { files: Array<{ path: string; oldPath?: string }> }).files;
      assert.ok(files.some((f) => f.path === 'src/helpers.ts' && f.oldPath === 'src/util.ts'));
      assert.match(out.text, /src\/util\.ts → src\/helpers\.ts \| \+4 -0/);
    });

    it('shows a file as of a revision, as git show rev:path', async () => {
      const out = await run('git_show', { rev: fx.commits.helpers, path: 'src/util.ts' });
      const expected = fx.git(['show', `${fx.commits.helpers}:src/util.ts`]).replace(/\n$/, '').split('\n');
      assert.equal((out.value as { content: string }).content, expected.join('\n'));
      assert.match(out.text, new RegExp(`^src/util\\.ts at ${fx.commits.helpers} \\(5 lines\\):\\n1: export const GREETING`));
      const binary = await run('git_show', { rev: 'HEAD', path: 'assets/logo.png' });
      assert.match(binary.text, /binary file, 90 bytes/);
    });

    it('reports a file missing at that revision, and an unknown revision, as not-found', async () => {
      const missing = await rejectionOf(run('git_show', { rev: fx.commits.init, path: 'src/helpers.ts' }));
      assert.equal((missing as CompilerError).reason, 'not-found');
      const unknown = await rejectionOf(run('git_show', { rev: 'no-such-branch' }));
      assert.equal((unknown as CompilerError).reason, 'not-found');
    });

    it('refuses revisions that are options, ranges or paths', async () => {
      const marker = path.join(fx.base, 'show-injected');
      for (const rev of [`--output=${marker}`, '-p', 'HEAD..main', 'HEAD:README.md', 'HEAD; ls', 'HEAD\nmain', ' HEAD']) {
        const error = await rejectionOf(run('git_show', { rev }));
        assert.ok(error instanceof CompilerError, rev);
        assert.equal(error.reason, 'invalid-args', rev);
      }
      assert.ok(!fs.existsSync(marker));
    });
  });

  describe('git_blame', () => {
    it('attributes each line as git blame --porcelain does', async () => {
      const out = await run('git_blame', { path: 'src/math.ts' });
      const porcelain = fx.git(['blame', '--porcelain', '--', 'src/math.ts']);
      const expected = [...porcelain.matchAll(/^([0-9a-f]{40}) \d+ (\d+)/gm)].map((m) => ({ line: Number(m[2]), hash: m[1] }));
      const lines = out.value as unknown as Array<{ line: number; hash: string; author: string; date: string; text: string }>;
      assert.deepEqual(lines.map(({ line, hash }) => ({ line, hash })), expected);
      assert.equal(lines[0].author, ALICE.name);
      assert.equal(lines[0].date, '2023-01-10T09:00:00+00:00');
      assert.equal(lines[21].hash, fx.commits.subtract);
      assert.equal(lines[21].text, 'export function subtract(a: number, b: number): number {');
      // One location per run of lines from the same commit.
      assert.deepEqual(out.locations!.map((l) => [l.line, l.endLine]), [[1, 20], [21, 24]]);
      assert.match(out.text, new RegExp(`^src/math\\.ts lines 1-24 of 24:\\n${fx.commits.init.slice(0, 7)} 2023-01-10 ${ALICE.name}  Add math module and entry point\\n {2}1: export function add`));
    });

    it('blames a range, including uncommitted lines', async () => {
      const out = await run('git_blame', { path: 'README.md', start_line: 3, end_line: 10 });
      const lines = out.value as unknown as Array<{ line: number; hash: string; text: string }>;
      assert.deepEqual(lines.map((l) => l.line), [3, 4]);
      assert.equal(lines[1].hash, '0'.repeat(40));
      assert.equal(lines[1].text, 'Work in progress.');
    });

    it('refuses untracked files, missing lines and binary files', async () => {
      fs.writeFileSync(path.join(fx.repo, 'untracked.txt'), 'new\n');
      try {
        const untracked = await rejectionOf(run('git_blame', { path: 'untracked.txt' }));
        assert.equal((untracked as CompilerError).reason, 'not-found');
      } finally {
        fs.unlinkSync(path.join(fx.repo, 'untracked.txt'));
      }
      const past = await rejectionOf(run('git_blame', { path: 'src/main.ts', start_line: 100 }));
      assert.equal((past as CompilerError).reason, 'invalid-args');
      const binary = await rejectionOf(run('git_blame', { path: 'assets/logo.png' }));
      assert.equal((binary as CompilerError).reason, 'unsupported');
    });
  });

  describe('git_diff', () => {
    const numstat = (args: string[]) =>
      fx
        .git(['-c', 'core.quotepath=false', 'diff', '--numstat', '-M', ...args])
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'))
        .map(([a, d, p]) => (a === '-' ? { path: p, binary: true } : { path: p, added: Number(a), deleted: Number(d) }));

    it('shows uncommitted changes against HEAD by default', async () => {
      const out = await run('git_diff', {});
      assert.deepEqual((out.value as { files: unknown }).files, numstat(['HEAD']));
      assert.match(out.text, /^1 file changed between HEAD and working tree \(\+1 -0\):\n README\.md \| \+1 -0\n\ndiff --git a\/README\.md b\/README\.md/);
      assert.match(out.text, /\n\+Work in progress\.$/);
      assert.deepEqual(out.locations, [{ path: path.join(fx.repo, 'README.md'), relPath: 'README.md', line: 4 }]);
    });

    it('compares two commits, limited to a path when asked', async () => {
      const both = await run('git_diff', { from: fx.commits.init, to: fx.commits.subtract });
      assert.deepEqual((both.value as { files: unknown }).files, numstat([fx.commits.init, fx.commits.subtract]));
      const limited = await run('git_diff', { from: fx.commits.init, to: fx.commits.subtract, path: 'src/math.ts' });
      assert.deepEqual((limited.value as { files: unknown }).files, [{ path: 'src/math.ts', added: 4, deleted: 0 }]);
      assert.deepEqual(limited.locations, [{ path: path.join(fx.repo, 'src', 'math.ts'), relPath: 'src/math.ts', line: 21 }]);
    });

    it('compares the working tree with an older commit', async () => {
      const out = await run('git_diff', { from: 'HEAD~1' });
      assert.deepEqual((out.value as { files: unknown }).files, numstat(['HEAD~1']));
    });

    it('needs from when given to, and refuses bad revisions', async () => {
      assert.equal(((await rejectionOf(run('git_diff', { to: 'HEAD' }))) as CompilerError).reason, 'invalid-args');
      assert.equal(((await rejectionOf(run('git_diff', { from: '--cached' }))) as CompilerError).reason, 'invalid-args');
      assert.equal(((await rejectionOf(run('git_diff', { from: 'nope' }))) as CompilerError).reason, 'not-found');
    });

    it('cuts a large patch to the budget with a marker', async () => {
      const out = await run('git_diff', { from: fx.commits.init, to: fx.commits.links }, 600);
      assert.ok(out.text.length <= 600);
      assert.match(out.text, /… \[truncated: \d+ more lines; limit it with path\]$/);
    });

    it('does not take git\'s index lock (read-only)', async () => {
      // Touching a tracked file makes a plain `git diff` want to refresh and rewrite the index.
      const readme = path.join(fx.repo, 'README.md');
      const later = new Date(Date.now() + 5_000);
      fs.utimesSync(readme, later, later);
      const before = fs.statSync(path.join(fx.repo, '.git', 'index')).mtimeMs;
      await run('git_diff', {});
      await run('git_log', { path: 'README.md' });
      assert.equal(fs.statSync(path.join(fx.repo, '.git', 'index')).mtimeMs, before);
    });
  });
});
