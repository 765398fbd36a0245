import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isolatedGitEnv } from '../../support/gitFixture';
import { BACKENDS, requireRipgrep } from '../../support/backends';
import { skipBecause } from '../../support/skips';
import { rawRgFiles, rawRgMatches } from '../../support/oracles';
import { runTool, toolContext } from '../../support/toolHarness';

/**
 * A multi-root workspace of two folders, each its own git repository with its own `.gitignore`: every search,
 * files and git tool takes both, and names what it finds by folder.
 */
describe('search, files and git tools in a multi-root workspace', function () {
  this.timeout(120_000);
  let base: string;
  let web: string;
  let api: string;
  const git = (cwd: string, args: string[]): string => execFileSync('git', args, { cwd, env: isolatedGitEnv(), encoding: 'utf8' });

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-multi-root-')));
    web = path.join(base, 'web');
    api = path.join(base, 'api');
    const files: Record<string, Record<string, string>> = {
      [web]: { '.gitignore': 'dist/\n', 'src/app.ts': 'export const shared = "web";\n', 'dist/app.js': 'shared in a build\n', 'README.md': 'web shared\n' },
      [api]: { '.gitignore': '*.log\n', 'src/server.ts': 'export const shared = "api";\n', 'debug.log': 'shared in a log\n', 'dist/keep.js': 'shared kept\n' },
    };
    for (const [root, tree] of Object.entries(files)) {
      for (const [rel, text] of Object.entries(tree)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      }
      git(root, ['init', '-q', '-b', 'main']);
      git(root, ['config', 'user.name', 'T']);
      git(root, ['config', 'user.email', 't@example.com']);
      git(root, ['config', 'commit.gpgsign', 'false']);
      git(root, ['add', '-A']);
      git(root, ['commit', '-qm', `first in ${path.basename(root)}`]);
      fs.appendFileSync(path.join(root, 'src', root === web ? 'app.ts' : 'server.ts'), `// edited in ${path.basename(root)}\n`);
      git(root, ['commit', '-qam', `second in ${path.basename(root)}`]);
      fs.appendFileSync(path.join(root, 'README.md'), 'uncommitted\n');
    }
    git(api, ['add', 'README.md']);
    git(api, ['commit', '-qm', 'readme in api']);
    fs.appendFileSync(path.join(api, 'README.md'), 'uncommitted\n');
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  for (const backend of BACKENDS) {
    it(`(${backend.name}) find_files and grep search both folders, each with its own .gitignore`, async function () {
      const rg = requireRipgrep(this);
      if (backend.missing) skipBecause(this, backend.missing);
      const tools = backend.tools({ symbolTools: false });
      const ctx = toolContext([web, api]);
      const files = await runTool(tools, 'find_files', { glob: '**/*' }, ctx);
      const expected = [...rawRgFiles(rg, web).map((f) => `web/${f}`), ...rawRgFiles(rg, api).map((f) => `api/${f}`)];
      assert.deepEqual([...(files.value as string[])].sort(), expected.sort());
      assert.ok(!(files.value as string[]).includes('web/dist/app.js') && !(files.value as string[]).includes('api/debug.log'));
      const grep = await runTool(tools, 'grep', { pattern: 'shared', max_results: 100 }, ctx);
      const found = (grep.value as Array<{ path: string; line: number }>).map((m) => `${m.path}:${m.line}`).sort();
      const raw = [...rawRgMatches(rg, web, 'shared', { fixed: true, ignoreCase: true }).map((m) => `web/${m}`), ...rawRgMatches(rg, api, 'shared', { fixed: true, ignoreCase: true }).map((m) => `api/${m}`)];
      assert.deepEqual(found, raw.sort());
      // A glob naming a folder searches that folder only; a negated one leaves it out.
      const only = await runTool(tools, 'grep', { pattern: 'shared', glob: 'api/**' }, ctx);
      assert.ok((only.value as Array<{ path: string }>).every((m) => m.path.startsWith('api/')));
      const without = await runTool(tools, 'find_files', { glob: '!api/**' }, ctx);
      assert.deepEqual([...(without.value as string[])].sort(), rawRgFiles(rg, web).map((f) => `web/${f}`).sort());
    });
  }

  it('list_dir and read_file name files by folder', async () => {
    const tools = BACKENDS[1]!.tools({ symbolTools: false });
    const ctx = toolContext([web, api]);
    const read = await runTool(tools, 'read_file', { path: 'api/src/server.ts' }, ctx);
    assert.match(read.text, /shared = "api"/);
    const listing = await runTool(tools, 'list_dir', { path: 'web' }, ctx);
    assert.match(listing.text, /src/);
    assert.doesNotMatch(listing.text, /app\.js/);
  });

  it('git_log, git_show and git_diff without a path answer for every folder, each from its own repository', async () => {
    const tools = BACKENDS[1]!.tools({ symbolTools: false });
    const ctx = toolContext([web, api]);
    const log = await runTool(tools, 'git_log', {}, ctx);
    const byFolder = log.value as Array<{ folder: string; value: Array<{ hash: string }> }>;
    assert.deepEqual(byFolder.map((f) => f.folder), ['web', 'api']);
    for (const [i, root] of [web, api].entries()) {
      assert.deepEqual(byFolder[i]!.value.map((c) => c.hash), git(root, ['log', '--format=%H']).split('\n').filter(Boolean));
    }
    assert.match(log.text, /second in web/);
    assert.match(log.text, /readme in api/);

    const show = await runTool(tools, 'git_show', { rev: 'HEAD' }, ctx);
    assert.match(show.text, /second in web/);
    assert.match(show.text, /readme in api/);
    assert.match(show.text, /b\/web\/src\/app\.ts/);
    assert.match(show.text, /b\/api\/README\.md/);

    const diff = await runTool(tools, 'git_diff', {}, ctx);
    const changed = (diff.value as Array<{ folder: string; value: { files: Array<{ path: string }> } }>).flatMap((f) => f.value.files.map((x) => x.path));
    assert.deepEqual(changed, ['web/README.md', 'api/README.md']);

    const blame = await runTool(tools, 'git_blame', { path: 'api/src/server.ts' }, ctx);
    assert.match(blame.text, /first in api/);
    const fileLog = await runTool(tools, 'git_log', { path: 'web/src/app.ts' }, ctx);
    assert.deepEqual((fileLog.value as Array<{ subject: string }>).map((c) => c.subject), ['second in web', 'first in web']);
  });
});
