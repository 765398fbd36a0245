import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import type { JsonObject } from '../../../../src/shared/json';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { isolatedGitEnv } from '../../../support/gitFixture';
import { askThroughModelServer } from '../../../support/leakCheck';
import { runTool, toolContext } from '../../../support/toolHarness';

/** What only the user's private repository holds: a commit message and a file's text. */
const PRIVATE_MESSAGE = 'PRIVATE-COMMIT-4c1e';
const PRIVATE_TEXT = 'PRIVATE-FILE-TEXT-77b2';

/** Every git tool, with and without paths and revisions. */
const CALLS: Array<[string, JsonObject]> = [
  ['git_log', {}],
  ['git_log', { path: 'secret.txt' }],
  ['git_show', { rev: 'HEAD' }],
  ['git_show', { rev: 'HEAD', path: 'secret.txt' }],
  ['git_blame', { path: 'secret.txt' }],
  ['git_diff', {}],
  ['git_diff', { from: 'HEAD~1' }],
];
const PLAN = ['git_log()', 'git_show("HEAD")', 'git_show("HEAD", "secret.txt")', 'git_blame("secret.txt")', 'git_diff("HEAD~1")'];

/**
 * A folder received from elsewhere whose `.git` leads git to another repository on the machine (the user's own):
 * the git tools must refuse it and show nothing of that repository, while the layouts git itself creates (a linked
 * worktree, a submodule, a folder inside a larger repository) keep working.
 */
describe('git tools refuse a repository that redirects git to another one', function () {
  this.timeout(120_000);
  let base: string;
  let privateRepo: string;
  const tools = createNodeTools({ symbolTools: false });
  const git = (cwd: string, args: string[]): string => execFileSync('git', args, { cwd, env: isolatedGitEnv(), encoding: 'utf8' });
  const newRepo = (dir: string): void => {
    fs.mkdirSync(dir, { recursive: true });
    git(dir, ['init', '-q', '-b', 'main']);
    git(dir, ['config', 'user.name', 'T']);
    git(dir, ['config', 'user.email', 't@example.com']);
    git(dir, ['config', 'commit.gpgsign', 'false']);
  };
  /** A received folder: a file named like the private one (so path arguments resolve), and the given `.git`. */
  const received = (name: string, makeGit: (dir: string) => void): string => {
    const dir = path.join(base, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'decoy\n');
    makeGit(dir);
    return dir;
  };

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-redirect-')));
    privateRepo = path.join(base, 'private');
    newRepo(privateRepo);
    fs.writeFileSync(path.join(privateRepo, 'secret.txt'), `${PRIVATE_TEXT} 1\n`);
    git(privateRepo, ['add', '-A']);
    git(privateRepo, ['commit', '-qm', `${PRIVATE_MESSAGE} first`]);
    fs.writeFileSync(path.join(privateRepo, 'secret.txt'), `${PRIVATE_TEXT} 2\n`);
    fs.mkdirSync(path.join(privateRepo, 'docs'));
    fs.writeFileSync(path.join(privateRepo, 'docs', 'readme.md'), 'docs\n');
    git(privateRepo, ['add', '-A']);
    git(privateRepo, ['commit', '-qm', `${PRIVATE_MESSAGE} second`]);
    // The user's own linked worktree and submodule, whose git folders a received folder could name too.
    git(privateRepo, ['worktree', 'add', '-q', path.join(base, 'private-wt')]);
    const subSource = path.join(base, 'sub-source');
    newRepo(subSource);
    fs.writeFileSync(path.join(subSource, 'secret.txt'), `${PRIVATE_TEXT} sub\n`);
    git(subSource, ['add', '-A']);
    git(subSource, ['commit', '-qm', `${PRIVATE_MESSAGE} sub`]);
    git(privateRepo, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', subSource, 'sub']);
    git(privateRepo, ['commit', '-qm', `${PRIVATE_MESSAGE} with sub`]);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const hostile: Array<{ name: string; make: (dir: string) => void; refusal: RegExp }> = [
    {
      name: 'a .git file naming another repository by absolute path',
      make: (dir) => fs.writeFileSync(path.join(dir, '.git'), `gitdir: ${path.join(base, 'private', '.git')}\n`),
      refusal: /its \.git file \("gitdir: .*private\/\.git"\) points git at a git folder outside the folder/,
    },
    {
      name: 'a .git file naming another repository by relative path',
      make: (dir) => fs.writeFileSync(path.join(dir, '.git'), 'gitdir: ../private/.git\n'),
      refusal: /its \.git file \("gitdir: \.\.\/private\/\.git"\) points git at a git folder outside the folder/,
    },
    {
      name: 'a .git link to another repository\'s git folder',
      make: (dir) => fs.symlinkSync(path.join(base, 'private', '.git'), path.join(dir, '.git')),
      refusal: /its \.git link \(to ".*private\/\.git"\) points git at a git folder outside the folder/,
    },
    {
      name: 'a .git file naming the git folder of another folder\'s linked worktree',
      make: (dir) => fs.writeFileSync(path.join(dir, '.git'), `gitdir: ${path.join(base, 'private', '.git', 'worktrees', 'private-wt')}\n`),
      refusal: /neither a linked worktree of it nor its submodule/,
    },
    {
      name: 'a .git file naming the git folder of another folder\'s submodule',
      make: (dir) => fs.writeFileSync(path.join(dir, '.git'), `gitdir: ${path.join(base, 'private', '.git', 'modules', 'sub')}\n`),
      refusal: /its config sets core\.worktree to ".*sub", a work tree other than the folder's own/,
    },
    {
      name: 'a .git folder whose commondir file names another repository',
      make: (dir) => {
        newRepo(dir);
        fs.writeFileSync(path.join(dir, '.git', 'commondir'), '../../private/.git\n');
      },
      refusal: /its git folder's commondir file points git at "\.\.\/\.\.\/private\/\.git", outside the folder/,
    },
    {
      name: 'a .git folder whose config sets core.worktree to a folder around it',
      make: (dir) => {
        newRepo(dir);
        git(dir, ['add', '-A']);
        git(dir, ['commit', '-qm', 'received']);
        // Relative to the git folder: the folder around the received one.
        git(dir, ['config', 'core.worktree', '../..']);
      },
      refusal: /its config sets core\.worktree to "\.\.\/\.\.", a work tree other than the folder's own/,
    },
    {
      name: 'a .git folder whose config sets core.worktree to another repository\'s files',
      make: (dir) => {
        newRepo(dir);
        git(dir, ['config', 'core.worktree', path.join(base, 'private')]);
      },
      refusal: /its config sets core\.worktree to ".*private", a work tree other than the folder's own/,
    },
  ];

  hostile.forEach(({ name, make, refusal }, i) => {
    it(`refuses ${name}, and nothing of the other repository reaches the model`, async () => {
      const dir = received(`received-${i}`, make);
      for (const [tool, args] of CALLS) {
        let error: unknown;
        try {
          const out = await runTool(tools, tool, args, toolContext([dir], { signal: AbortSignal.timeout(20_000) }));
          assert.fail(`${tool} ${JSON.stringify(args)} answered: ${out.text}`);
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof CompilerError, String(error));
        assert.equal(error.reason, 'path-escape', `${tool}: ${error.message}`);
        assert.match(error.message, /^The git tools refused the repository of \.: /);
        assert.match(error.message, refusal);
        assert.ok(!error.message.includes(PRIVATE_MESSAGE) && !error.message.includes(PRIVATE_TEXT), error.message);
      }
      const asked = await askThroughModelServer(tools, [dir], PLAN);
      assert.equal(asked.taskTexts.length, PLAN.length);
      assert.deepEqual(asked.reasons, PLAN.map(() => 'path-escape'));
      for (const text of [asked.sentToModel, ...asked.taskTexts]) {
        assert.ok(!text.includes(PRIVATE_MESSAGE) && !text.includes(PRIVATE_TEXT), text);
      }
    });
  });

  it('reads a linked worktree (its git folder names it back)', async () => {
    const wt = path.join(base, 'private-wt');
    const log = await runTool(tools, 'git_log', {}, toolContext([wt]));
    assert.match(log.text, new RegExp(`${PRIVATE_MESSAGE} second`));
    fs.writeFileSync(path.join(wt, 'secret.txt'), 'edited in the worktree\n');
    const diff = await runTool(tools, 'git_diff', {}, toolContext([wt]));
    assert.match(diff.text, /^\+edited in the worktree$/m);
    const blame = await runTool(tools, 'git_blame', { path: 'secret.txt' }, toolContext([wt]));
    assert.match(blame.text, /edited in the worktree/);
  });

  it('reads a submodule (its git folder\'s core.worktree names it)', async () => {
    const sub = path.join(privateRepo, 'sub');
    assert.ok(fs.statSync(path.join(sub, '.git')).isFile(), 'git made the submodule\'s .git a file');
    const log = await runTool(tools, 'git_log', {}, toolContext([sub]));
    assert.match(log.text, new RegExp(`${PRIVATE_MESSAGE} sub`));
    assert.ok(!log.text.includes(`${PRIVATE_MESSAGE} second`), 'the superproject\'s history is not the submodule\'s');
    const show = await runTool(tools, 'git_show', { rev: 'HEAD', path: 'secret.txt' }, toolContext([sub]));
    assert.match(show.text, new RegExp(`${PRIVATE_TEXT} sub`));
  });

  it('reads a folder inside a larger repository, and a submodule\'s folder from the superproject', async () => {
    const inner = await runTool(tools, 'git_log', {}, toolContext([path.join(privateRepo, 'docs')]));
    assert.match(inner.text, new RegExp(`${PRIVATE_MESSAGE} second`));
    assert.ok(!inner.text.includes(`${PRIVATE_MESSAGE} first`), 'only commits touching the folder');
    const log = await runTool(tools, 'git_log', { path: 'secret.txt' }, toolContext([privateRepo]));
    assert.match(log.text, new RegExp(`${PRIVATE_MESSAGE} second`));
  });
});
