import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { isolatedGitEnv } from '../../../support/gitFixture';
import { runTool, toolContext } from '../../../support/toolHarness';

/**
 * Every program a repository's git config can name, each pointing at a script that leaves a marker file: whatever
 * the git tools are asked, no marker may appear.
 */
describe('git tools run no program the repository configures', function () {
  // Each test runs every git tool once or twice; a busy machine makes that slow.
  this.timeout(120_000);
  let base: string;
  let repo: string;
  let marks: string;
  let helper: string;
  let quit: string;
  const tools = createNodeTools({ symbolTools: false });
  const git = (cwd: string, args: string[]): string =>
    execFileSync('git', args, { cwd, env: isolatedGitEnv(), encoding: 'utf8' });

  /** Every git tool, with and without paths and revisions; failures are fine, running a helper is not. */
  async function callEveryGitTool(root: string): Promise<void> {
    const calls: Array<[string, Record<string, string | number>]> = [
      ['git_log', { path: 'a.txt' }],
      ['git_show', { rev: 'HEAD' }],
      ['git_show', { rev: 'HEAD', path: 'a.txt' }],
      ['git_blame', { path: 'a.txt' }],
      ['git_diff', {}],
      ['git_diff', { from: 'HEAD~1' }],
      ['git_diff', { from: 'HEAD~1', to: 'HEAD' }],
    ];
    // The work-tree file looks modified to git (its index entry is stale), so index refreshes and clean filters are due.
    const later = new Date(Date.now() + Math.floor(Math.random() * 1e6));
    if (fs.existsSync(path.join(root, 'a.txt'))) fs.utimesSync(path.join(root, 'a.txt'), later, later);
    // A helper that ran and hangs would hold the call: the marker is already there, so the call is cut short.
    await Promise.all(
      calls.map(([name, args]) => runTool(tools, name, args, toolContext([root], { signal: AbortSignal.timeout(10_000) })).catch(() => undefined)),
    );
  }

  const marked = (): string[] => fs.readdirSync(marks).sort();

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-helpers-')));
    repo = path.join(base, 'repo');
    marks = path.join(base, 'marks');
    fs.mkdirSync(repo);
    fs.mkdirSync(marks);
    // Leaves `marks/<name>`, then behaves as a pass-through filter or textconv so git has no reason to stop early.
    helper = path.join(base, 'helper.sh');
    fs.writeFileSync(helper, `#!/bin/sh\ntouch '${marks}'/"$1"\nif [ -n "$2" ] && [ -f "$2" ]; then cat "$2"; else cat; fi\n`, { mode: 0o755 });
    // For transports: leaves its marker and fails at once.
    quit = path.join(base, 'quit.sh');
    fs.writeFileSync(quit, `#!/bin/sh\ntouch '${marks}'/"$1"\nexit 1\n`, { mode: 0o755 });
    git(repo, ['init', '-q', '-b', 'main']);
    git(repo, ['config', 'user.name', 'T']);
    git(repo, ['config', 'user.email', 't@example.com']);
    git(repo, ['config', 'commit.gpgsign', 'false']);
    fs.writeFileSync(path.join(repo, '.gitattributes'), '*.txt diff=evil filter=evil merge=evil\n');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\n');
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-qm', 'first']);
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\n');
    git(repo, ['commit', '-qam', 'second']);
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\nthree\n');
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  afterEach(() => {
    for (const f of fs.readdirSync(marks)) fs.rmSync(path.join(marks, f));
  });

  /** Sets config in the repository for one test (`{helper}`, `{quit}` and `{base}` filled in) and removes it afterwards. */
  async function withConfig(root: string, entries: Array<[string, string]>, body: () => Promise<void>): Promise<void> {
    for (const [k, v] of entries) git(root, ['config', k, v.replace('{helper}', helper).replace('{quit}', quit).replace('{base}', base)]);
    try {
      await body();
    } finally {
      for (const [k] of entries) git(root, ['config', '--unset-all', k]);
    }
  }

  const cases: Array<[string, Array<[string, string]>]> = [
    ['diff textconv', [['diff.evil.textconv', '{helper} textconv']]],
    ['diff textconv (cached)', [['diff.evil.textconv', '{helper} cachetextconv'], ['diff.evil.cachetextconv', 'true']]],
    ['filter clean', [['filter.evil.clean', '{helper} clean']]],
    ['filter clean, marked required', [['filter.evil.clean', '{helper} required-clean'], ['filter.evil.required', 'true']]],
    ['filter smudge', [['filter.evil.smudge', '{helper} smudge']]],
    ['filter process', [['filter.evil.process', '{helper} process']]],
    ['external diff driver', [['diff.evil.command', '{helper} diff-command']]],
    ['external diff', [['diff.external', '{helper} diff-external']]],
    ['fsmonitor', [['core.fsmonitor', '{helper} fsmonitor']]],
    ['pager', [['core.pager', '{helper} pager'], ['pager.log', '{helper} pager-log'], ['pager.show', '{helper} pager-show'], ['pager.diff', '{helper} pager-diff'], ['pager.blame', '{helper} pager-blame']]],
    ['merge driver', [['merge.evil.driver', '{helper} merge-driver']]],
  ];
  for (const [kind, entries] of cases) {
    it(`neutralises a ${kind} helper`, async () => {
      await withConfig(repo, entries, () => callEveryGitTool(repo));
      assert.deepEqual(marked(), []);
    });
  }

  it('neutralises hooks, wherever core.hooksPath points', async () => {
    const hooks = path.join(base, 'hooks');
    fs.mkdirSync(hooks, { recursive: true });
    const names = ['post-index-change', 'pre-commit', 'post-checkout', 'reference-transaction', 'fsmonitor-watchman', 'pre-auto-gc', 'post-rewrite'];
    for (const name of names) {
      fs.writeFileSync(path.join(hooks, name), `#!/bin/sh\ntouch '${marks}/hook-${name}'\n`, { mode: 0o755 });
      fs.copyFileSync(path.join(hooks, name), path.join(repo, '.git', 'hooks', name));
      fs.chmodSync(path.join(repo, '.git', 'hooks', name), 0o755);
    }
    await callEveryGitTool(repo);
    await withConfig(repo, [['core.hooksPath', hooks]], () => callEveryGitTool(repo));
    for (const name of names) fs.rmSync(path.join(repo, '.git', 'hooks', name));
    assert.deepEqual(marked(), []);
  });

  it('neutralises gpg when the repository asks for signatures to be shown', async () => {
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const body = git(repo, ['cat-file', 'commit', head]);
    const signed = body.replace(/\n\n/, '\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n');
    const hash = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: repo, input: signed, env: isolatedGitEnv(), encoding: 'utf8' }).trim();
    const branch = git(repo, ['symbolic-ref', 'HEAD']).trim();
    git(repo, ['update-ref', branch, hash]);
    try {
      await withConfig(repo, [['log.showSignature', 'true'], ['gpg.program', '{helper} gpg'], ['gpg.ssh.program', '{helper} gpg-ssh'], ['gpg.x509.program', '{helper} gpg-x509']], () => callEveryGitTool(repo));
    } finally {
      git(repo, ['update-ref', branch, head]);
    }
    assert.deepEqual(marked(), []);
  });

  describe('in a partial clone, whose missing objects git would fetch', () => {
    let partial: string;
    let server: http.Server;
    let url: string;

    before(async () => {
      const origin = path.join(base, 'origin.git');
      git(base, ['clone', '-q', '--bare', repo, origin]);
      git(origin, ['config', 'uploadpack.allowFilter', 'true']);
      partial = path.join(base, 'partial');
      git(base, ['clone', '-q', '--no-checkout', '--filter=blob:none', `file://${origin}`, partial]);
      // Any request needs credentials: git then asks its credential helper or askpass program.
      server = http.createServer((_req, res) => {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' });
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo.git`;
    });
    after(() => server.close());

    const transports: Array<[string, Array<[string, string]>]> = [
      ['ssh command', [['remote.origin.url', 'ssh://git@example.invalid/repo.git'], ['core.sshCommand', '{quit} ssh-command']]],
      ['ext transport', [['remote.origin.url', 'ext::{quit} ext'], ['protocol.allow', 'always'], ['protocol.ext.allow', 'always']]],
      ['git proxy', [['remote.origin.url', 'git://example.invalid/repo.git'], ['core.gitProxy', '{quit} git-proxy']]],
      ['credential helper', [['remote.origin.url', '{url}'], ['credential.helper', '!{quit} credential']]],
      ['askpass program', [['remote.origin.url', '{url}'], ['core.askPass', '{quit} askpass']]],
      ['upload-pack program', [['remote.origin.url', 'file://{base}/origin.git'], ['remote.origin.uploadpack', '{quit} upload-pack']]],
    ];
    for (const [kind, entries] of transports) {
      it(`neutralises a ${kind}`, async () => {
        await withConfig(partial, entries.map(([k, v]) => [k, v.replace('{url}', url)]), () => callEveryGitTool(partial));
        assert.deepEqual(marked(), []);
      });
    }
  });
});
