import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { isolatedGitEnv } from '../../../support/gitFixture';
import { askThroughModelServer } from '../../../support/leakCheck';
import { waitFor } from '../../../support/processes';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

const BESIDE = 'BESIDE-THE-WORKSPACE';

/** A workspace folder `app` inside a larger repository, with a file beside it changed in the same commits. */
describe('git tools in a workspace folder inside a larger repository', () => {
  let base: string;
  let top: string;
  let app: string;
  let other: string;
  const tools = createNodeTools({ symbolTools: false });
  const git = (args: string[]): string => execFileSync('git', args, { cwd: top, env: isolatedGitEnv(), encoding: 'utf8' });
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(top, rel)), { recursive: true });
    fs.writeFileSync(path.join(top, rel), text);
  };

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-subfolder-')));
    top = path.join(base, 'big');
    app = path.join(top, 'app');
    other = path.join(top, 'other');
    fs.mkdirSync(top);
    git(['init', '-q', '-b', 'main']);
    git(['config', 'user.name', 'T']);
    git(['config', 'user.email', 't@example.com']);
    git(['config', 'commit.gpgsign', 'false']);
    write('app/main.ts', 'export const a = 1;\n');
    write('app/old.ts', 'export const moved = 1;\nexport const stays = 2;\nexport const here = 3;\n');
    write('other/o.ts', 'export const o = 1;\n');
    write('beside.txt', `${BESIDE} 1\n`);
    git(['add', '-A']);
    git(['commit', '-qm', 'first']);
    write('app/main.ts', 'export const a = 2;\n');
    git(['mv', 'app/old.ts', 'app/new.ts']);
    write('other/o.ts', 'export const o = 2;\n');
    write('beside.txt', `${BESIDE} 2\n`);
    git(['add', '-A']);
    git(['commit', '-qm', 'second']);
    write('app/main.ts', 'export const a = 3;\n');
    write('beside.txt', `${BESIDE} 3\n`);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const run = (name: string, args: Record<string, string>, roots = [app]) => runTool(tools, name, args, toolContext(roots));

  it('git_show(rev) shows only the commit\'s changes in the folder, with workspace-relative paths', async () => {
    const out = await run('git_show', { rev: 'HEAD' });
    assert.ok(!out.text.includes(BESIDE) && !out.text.includes('beside.txt'), out.text);
    assert.ok(!out.text.includes('other/o.ts'));
    assert.ok(!out.text.includes('app/'), 'no repository-relative path');
    const files = (out.value as { files: Array<{ path: string; oldPath?: string }> }).files;
    assert.deepEqual(files.map((f) => [f.oldPath, f.path]), [[undefined, 'main.ts'], ['old.ts', 'new.ts']]);
    assert.match(out.text, / old\.ts → new\.ts \| \+0 -0/);
    assert.match(out.text, /^diff --git a\/main\.ts b\/main\.ts$/m);
    assert.match(out.text, /^\+\+\+ b\/main\.ts$/m);
    assert.deepEqual(out.locations?.map((l) => [l.relPath, l.line]), [['main.ts', 1], ['new.ts', undefined]]);
  });

  it('git_diff shows only changes in the folder, with workspace-relative paths, for every form', async () => {
    const forms: Array<Record<string, string>> = [{}, { from: 'HEAD~1' }, { from: 'HEAD~1', to: 'HEAD' }, { path: '.' }];
    for (const args of forms) {
      const out = await run('git_diff', args);
      assert.ok(!out.text.includes(BESIDE) && !out.text.includes('beside.txt'), out.text);
      assert.ok(!out.text.includes('app/'), `no repository-relative path: ${out.text}`);
      assert.match(out.text, /^diff --git a\/main\.ts b\/main\.ts$/m);
      const files = (out.value as { files: Array<{ path: string }> }).files.map((f) => f.path);
      assert.ok(files.includes('main.ts') && files.every((f) => !f.includes('/')), JSON.stringify(files));
    }
  });

  it('names files with the folder\'s name in a multi-root workspace, patch headers included', async () => {
    const out = await run('git_diff', { from: 'HEAD~1' }, [app, other]);
    assert.match(out.text, /^ app\/main\.ts \| \+1 -1$/m);
    assert.match(out.text, /^diff --git a\/app\/main\.ts b\/app\/main\.ts$/m);
    assert.ok(!out.text.includes(BESIDE));
    // Without a path every folder answers, the other one under its own name, its paths named by its folder.
    assert.match(out.text, /^ other\/o\.ts \| \+1 -1$/m);
    assert.ok(out.text.indexOf('── app ──') < out.text.indexOf('── other ──'));
    assert.deepEqual(out.locations?.map((l) => l.path), [path.join(app, 'main.ts'), path.join(app, 'new.ts'), path.join(other, 'o.ts')]);
    const show = await run('git_show', { rev: 'HEAD' }, [app, other]);
    assert.match(show.text, / app\/old\.ts → app\/new\.ts \| \+0 -0/);
  });

  it('git_log and git_blame stay in the folder too', async () => {
    const log = await run('git_log', {});
    assert.equal((log.value as unknown[]).length, 2);
    const blame = await run('git_blame', { path: 'main.ts' });
    assert.ok(!blame.text.includes(BESIDE));
  });

  it('sends nothing from beside the folder to the model endpoint', async () => {
    const asked = await askThroughModelServer(tools, [app], ['git_show("HEAD")', 'git_show("HEAD~1")', 'git_diff()', 'git_diff("HEAD~1")', 'git_diff("HEAD~1", "HEAD")', 'git_log()']);
    assert.equal(asked.taskTexts.length, 6);
    assert.deepEqual(asked.reasons, [undefined, undefined, undefined, undefined, undefined, undefined]);
    for (const text of asked.taskTexts) assert.ok(!text.includes(BESIDE), text);
    assert.ok(asked.sentToModel.includes('main.ts'), 'the tool results reached the model');
    assert.ok(!asked.sentToModel.includes(BESIDE));
  });
});

describe('git tools learn a repository once per folder', () => {
  let base: string;
  let repo: string;
  let log: string;
  let tools: ReturnType<typeof createNodeTools>;

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-gitcache-')));
    repo = path.join(base, 'repo');
    fs.mkdirSync(repo);
    const git = (args: string[]) => execFileSync('git', args, { cwd: repo, env: isolatedGitEnv(), encoding: 'utf8' });
    git(['init', '-q', '-b', 'main']);
    git(['config', 'user.name', 'T']);
    git(['config', 'user.email', 't@example.com']);
    fs.writeFileSync(path.join(repo, 'a.txt'), 'a\n');
    git(['add', '-A']);
    git(['commit', '-qm', 'one']);
    // A git that records each of its runs, to count them.
    log = path.join(base, 'runs.log');
    const wrapper = path.join(base, 'git-counting');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec git "$@"\n`, { mode: 0o755 });
    tools = createNodeTools({ symbolTools: false, gitPath: wrapper });
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const runs = (): string[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
  const gitLog = () => runTool(tools, 'git_log', {}, toolContext([repo]));

  it('runs one git process per git_log once the folder is known', async () => {
    await gitLog();
    fs.rmSync(log, { force: true });
    await gitLog();
    assert.deepEqual(runs().map((r) => r.split(' ').find((w) => !w.startsWith('-'))), ['log']);
  });

  it('learns it again when the repository\'s config changes', async () => {
    await gitLog();
    fs.appendFileSync(path.join(repo, '.git', 'config'), '[filter "x"]\n\tclean = false\n');
    fs.rmSync(log, { force: true });
    await gitLog();
    const commands = runs().map((r) => r.split(' ').find((w) => !w.startsWith('-')));
    assert.deepEqual(commands, ['rev-parse', 'config', 'log']);
  });

  it('learns it once for git calls that start together, as a plan\'s parallel tasks do', async () => {
    fs.appendFileSync(path.join(repo, '.git', 'config'), '[diff "y"]\n\tcommand = false\n');
    fs.rmSync(log, { force: true });
    const outs = await Promise.all([gitLog(), gitLog(), runTool(tools, 'git_diff', {}, toolContext([repo])), runTool(tools, 'git_show', { rev: 'HEAD' }, toolContext([repo]))]);
    assert.ok(outs.every((o) => o.text.length > 0));
    const commands = runs().map((r) => r.split(' ').find((w) => !w.startsWith('-')));
    assert.deepEqual(commands.filter((c) => c === 'rev-parse' || c === 'config'), ['rev-parse', 'config'], commands.join(', '));
  });

  /**
   * Tools whose git logs its calls and runs `delay` (shell) first, on a repository whose config just changed, so the
   * next call learns the repository afresh.
   */
  const slowGitTools = (name: string, delay: string, configLine: string) => {
    const slow = path.join(base, name);
    fs.writeFileSync(slow, `#!/bin/sh\necho "$*" >> '${log}'\n${delay}\nexec git "$@"\n`, { mode: 0o755 });
    fs.appendFileSync(path.join(repo, '.git', 'config'), configLine);
    fs.rmSync(log, { force: true });
    return createNodeTools({ symbolTools: false, gitPath: slow });
  };

  it('answers a call whose shared lookup the call that started it cancelled', async () => {
    // A git slow to start, so the second call joins the first one's lookup before it is cancelled.
    const slowTools = slowGitTools('git-slow', 'sleep 0.3', '[diff "z"]\n\tcommand = false\n');
    const first = new AbortController();
    const cancelled = rejectionOf(runTool(slowTools, 'git_log', {}, toolContext([repo], { signal: first.signal })));
    const second = runTool(slowTools, 'git_log', {}, toolContext([repo]));
    assert.ok(await waitFor(() => runs().length > 0, 5_000), 'the lookup started');
    first.abort();
    assert.equal((await cancelled).name, 'AbortError');
    assert.match((await second).text, /one/);
  });

  it('ends a call waiting on another call\'s lookup as soon as its own signal aborts', async () => {
    // Slow to learn the repository only: the lookup outlasts the wait the test allows the aborted call.
    const slowTools = slowGitTools('git-slower', 'case "$*" in *rev-parse*) sleep 1.5;; esac', '[diff "w"]\n\tcommand = false\n');
    const first = runTool(slowTools, 'git_log', {}, toolContext([repo]));
    const waiting = new AbortController();
    const cancelled = rejectionOf(runTool(slowTools, 'git_log', {}, toolContext([repo], { signal: waiting.signal })));
    assert.ok(await waitFor(() => runs().length > 0, 5_000), 'the lookup started');
    const abortedAt = Date.now();
    waiting.abort();
    assert.equal((await cancelled).name, 'AbortError');
    assert.ok(Date.now() - abortedAt < 1_000, 'the waiting call ended before the lookup it waited on');
    assert.match((await first).text, /one/);
  });
});
