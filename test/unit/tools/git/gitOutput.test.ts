import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { isolatedGitEnv } from '../../../support/gitFixture';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

/** A repository made for one describe block, with a git runner isolated from the machine's config. */
function makeRepo(prefix: string): { root: string; git(args: string[]): string; write(rel: string, text: string): void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const env = isolatedGitEnv({ GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' });
  const git = (args: string[]): string => execFileSync('git', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', 'T']);
  git(['config', 'user.email', 't@example.com']);
  git(['config', 'commit.gpgsign', 'false']);
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  return { root, git, write };
}

/**
 * Every way git writes a path in a patch header: a space (git then ends the `---`/`+++` line with a TAB), a TAB, a
 * double quote and a backslash (quoted, with C escapes), a newline, non-ASCII (raw with core.quotepath=false).
 */
const PROTECTED = [
  'dir with space/.env',
  'keys dir/id.pem',
  'tab\tdir/.env',
  'quo"te/.env',
  'back\\slash/.env',
  'new\nline/.env',
  'é dir/.env.local',
  'plain/.env',
];

describe('git tools withhold protected files however git writes their paths', function () {
  this.timeout(120_000);
  const tools = createNodeTools({ symbolTools: false });
  let repo: ReturnType<typeof makeRepo>;
  const secret = (i: number, v: string): string => `TOKEN_${i}_${v}_SECRETVALUE`;

  before(() => {
    repo = makeRepo('llmc-git-quoted-');
    repo.write('README.md', 'readme\n');
    PROTECTED.forEach((rel, i) => repo.write(rel, `${secret(i, 'one')}\n`));
    repo.write('to rename/a.txt', 'plain text, renamed into a protected name later\n');
    repo.git(['add', '-A']);
    repo.git(['commit', '-qm', 'first']);
    PROTECTED.forEach((rel, i) => repo.write(rel, `${secret(i, 'one')}\n${secret(i, 'two')}\n`));
    repo.git(['add', '-A']);
    repo.git(['commit', '-qm', 'second']);
    // A rename into a protected name, with an edit so the patch has content.
    repo.git(['mv', 'to rename/a.txt', 'to rename/.env']);
    fs.appendFileSync(path.join(repo.root, 'to rename/.env'), `${secret(99, 'renamed')}\n`);
    repo.git(['add', '-A']);
    repo.git(['commit', '-qm', 'third']);
    // Uncommitted edits for git_diff.
    PROTECTED.forEach((rel, i) => fs.appendFileSync(path.join(repo.root, rel), `${secret(i, 'three')}\n`));
  });
  after(() => fs.rmSync(repo.root, { recursive: true, force: true }));

  const calls: Array<[string, Record<string, string>]> = [
    ['git_show', { rev: 'HEAD' }],
    ['git_show', { rev: 'HEAD~1' }],
    ['git_show', { rev: 'HEAD~2' }],
    ['git_diff', {}],
    ['git_diff', { from: 'HEAD~2' }],
    ['git_diff', { from: 'HEAD~2', to: 'HEAD' }],
    ['git_diff', { from: 'HEAD~1', to: 'HEAD' }],
    ['git_diff', { path: 'dir with space' }],
    ['git_diff', { path: 'tab\tdir' }],
  ];
  for (const [name, args] of calls) {
    it(`${name}(${JSON.stringify(args)}) lists every protected file and shows none of their content`, async () => {
      const out = await runTool(tools, name, args, toolContext([repo.root]));
      const everything = `${out.text}\n${JSON.stringify(out.value)}`;
      assert.doesNotMatch(everything, /SECRETVALUE/, everything);
      assert.match(out.text, /content left out/);
    });
  }

  it('git_show(rev, path) and git_blame refuse every protected form', async () => {
    for (const rel of [...PROTECTED, 'to rename/.env']) {
      for (const [name, args] of [['git_show', { rev: 'HEAD', path: rel }], ['git_blame', { path: rel }]] as const) {
        const error = await rejectionOf(runTool(tools, name, args, toolContext([repo.root])));
        assert.ok(error instanceof CompilerError && error.reason === 'protected-path', `${name} ${JSON.stringify(rel)}: ${String(error)}`);
      }
    }
  });

  it('still shows the content of ordinary files with unusual names', async () => {
    const r = makeRepo('llmc-git-plain-quoted-');
    try {
      for (const rel of ['a dir/one.txt', 'quo"te/two.txt', 'tab\there.txt']) r.write(rel, 'first\n');
      r.git(['add', '-A']);
      r.git(['commit', '-qm', 'one']);
      for (const rel of ['a dir/one.txt', 'quo"te/two.txt', 'tab\there.txt']) fs.appendFileSync(path.join(r.root, rel), `visible in ${rel}\n`);
      const out = await runTool(tools, 'git_diff', {}, toolContext([r.root]));
      for (const rel of ['a dir/one.txt', 'quo"te/two.txt', 'tab\there.txt']) assert.ok(out.text.includes(`+visible in ${rel}`), out.text);
      assert.doesNotMatch(out.text, /content left out/);
    } finally {
      fs.rmSync(r.root, { recursive: true, force: true });
    }
  });
});

describe('git tools on huge and failing output', function () {
  this.timeout(180_000);
  const tools = createNodeTools({ symbolTools: false });

  // 60,000 lines a file (~0.7 MB, about 90 times the 8,000-character budget): far past anything the tools keep, and
  // streamed through as a patch of any size would be; git alone takes seconds to write a patch ten times that.
  const LINES = 60_000;

  it(`git_show and git_diff cut a patch of ${LINES.toLocaleString('en-US')} lines to the budget, protected or not`, async () => {
    const r = makeRepo('llmc-git-huge-');
    try {
      const lines = Array.from({ length: LINES }, (_, i) => `line ${i}`).join('\n');
      r.write('big.txt', `${lines}\n`);
      r.write('.env', `${lines.replace(/line/g, 'secret')}\n`);
      r.git(['add', '-A']);
      r.git(['commit', '-qm', 'huge']);
      const out = await runTool(tools, 'git_show', { rev: 'HEAD' }, toolContext([r.root], { maxChars: 8_000 }));
      assert.ok(out.text.length <= 8_000, `${out.text.length} characters`);
      assert.ok(out.truncated);
      const more = Number(/truncated: (\d+) more lines/.exec(out.text)?.[1]);
      assert.ok(more > LINES - 1_000, `${more} more lines: all but the few shown`);
      assert.doesNotMatch(out.text, /secret 1/, 'the .env section (first in the patch) is withheld');
      // The protected file's section first: its lines must be withheld without holding them.
      r.git(['mv', 'big.txt', 'a-first.txt']);
      fs.appendFileSync(path.join(r.root, '.env'), 'more\n');
      const diff = await runTool(tools, 'git_diff', {}, toolContext([r.root], { maxChars: 8_000 }));
      assert.match(diff.text, /content left out/);
    } finally {
      fs.rmSync(r.root, { recursive: true, force: true });
    }
  });

  it("a failing git call reports git's fatal line, briefly, and none of the output before it", async () => {
    const r = makeRepo('llmc-git-broken-');
    try {
      // 100 commits in one git process, then unpacked so that each object is a file of its own.
      const stream = Array.from({ length: 100 }, (_, i) => {
        const subject = `commit number ${i} with a subject long enough to add up\n`;
        const data = `${i}\n`;
        return `commit refs/heads/main\ncommitter T <t@example.com> 1704067200 +0000\ndata ${subject.length}\n${subject}M 100644 inline f.txt\ndata ${data.length}\n${data}\n`;
      }).join('');
      execFileSync('git', ['fast-import', '--quiet'], { cwd: r.root, input: stream, env: isolatedGitEnv({}) });
      r.git(['reset', '-q', '--hard', 'main']);
      const packs = fs.readdirSync(path.join(r.root, '.git', 'objects', 'pack')).filter((f) => f.endsWith('.pack'));
      for (const pack of packs) {
        const packPath = path.join(r.root, '.git', 'objects', 'pack', pack);
        const bytes = fs.readFileSync(packPath);
        for (const f of fs.readdirSync(path.dirname(packPath))) if (f.startsWith(pack.slice(0, -5))) fs.rmSync(path.join(path.dirname(packPath), f));
        execFileSync('git', ['unpack-objects', '-q'], { cwd: r.root, input: bytes, env: isolatedGitEnv({}) });
      }
      // Remove an old commit object: git log prints the newer commits, then fails on it.
      const old = r.git(['rev-parse', 'HEAD~60']).trim();
      fs.rmSync(path.join(r.root, '.git', 'objects', old.slice(0, 2), old.slice(2)));
      const error = await rejectionOf(runTool(tools, 'git_log', { max_count: 200 }, toolContext([r.root])));
      const rawLength = (() => {
        try {
          r.git(['log', '--max-count=200']);
          return 0;
        } catch (e) {
          return String((e as { stdout?: string }).stdout ?? '').length;
        }
      })();
      assert.ok(rawLength > 5_000, `git printed ${rawLength} characters before failing`);
      assert.ok(error instanceof CompilerError, String(error));
      assert.ok(error.message.length <= 500, `${error.message.length} characters: ${error.message.slice(0, 600)}`);
      assert.match(error.message, /fatal: /);
      assert.doesNotMatch(error.message, /commit number/);
    } finally {
      fs.rmSync(r.root, { recursive: true, force: true });
    }
  });
});

describe('git_log of a deleted folder', function () {
  this.timeout(120_000);
  const tools = createNodeTools({ symbolTools: false });

  it('equals git log -- folder: no --follow, the removing commit included', async () => {
    const r = makeRepo('llmc-git-deleted-folder-');
    try {
      r.write('lib/router/index.js', 'module.exports = 1;\n');
      r.write('lib/router/route.js', 'module.exports = 2;\n');
      r.write('lib/app.js', 'app\n');
      r.git(['add', '-A']);
      r.git(['commit', '-qm', 'add router']);
      // A side branch merged in, and one merged with `-s ours`: history simplification leaves its commit out,
      // which --follow (a file's walk) does not.
      r.git(['checkout', '-qb', 'side']);
      fs.appendFileSync(path.join(r.root, 'lib/router/route.js'), 'side\n');
      r.git(['commit', '-qam', 'side edit router']);
      r.git(['checkout', '-q', 'main']);
      fs.appendFileSync(path.join(r.root, 'lib/router/index.js'), 'main\n');
      r.git(['commit', '-qam', 'edit router']);
      r.git(['merge', '-q', '--no-edit', 'side']);
      r.git(['checkout', '-qb', 'side2', 'HEAD~1']);
      r.write('lib/router/route.js', 'replaced\n');
      r.git(['commit', '-qam', 'side2 edit router']);
      r.git(['checkout', '-q', 'main']);
      r.git(['merge', '-q', '--no-edit', '-s', 'ours', 'side2']);
      r.git(['rm', '-q', '-r', 'lib/router']);
      r.git(['commit', '-qm', 'remove router']);
      r.write('lib/app.js', 'later\n');
      r.git(['commit', '-qam', 'later']);
      const expected = r.git(['log', '--format=%H', '--', 'lib/router']).split('\n').filter(Boolean);
      const out = await runTool(tools, 'git_log', { path: 'lib/router' }, toolContext([r.root]));
      assert.deepEqual((out.value as Array<{ hash: string }>).map((c) => c.hash), expected);
      assert.match(out.text, /remove router/);
      // A deleted file is still followed across its rename.
      r.git(['mv', 'lib/app.js', 'lib/main.js']);
      r.git(['commit', '-qm', 'rename app']);
      r.git(['rm', '-q', 'lib/main.js']);
      r.git(['commit', '-qm', 'remove main']);
      const file = await runTool(tools, 'git_log', { path: 'lib/main.js' }, toolContext([r.root]));
      const followed = r.git(['log', '--format=%H', '--follow', '--', 'lib/main.js']).split('\n').filter(Boolean);
      assert.deepEqual((file.value as Array<{ hash: string }>).map((c) => c.hash), followed);
    } finally {
      fs.rmSync(r.root, { recursive: true, force: true });
    }
  });
});
