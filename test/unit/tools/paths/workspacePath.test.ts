import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { displayPath, fileLocation, resolveWorkspacePath } from '../../../../src/tools/paths/workspacePath';
import { useGitFixture } from '../../../support/gitFixture';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

/** Inputs that name something outside the workspace, one way or another. */
const ESCAPES = [
  '../x',
  '../outside/secret.txt',
  'a/../../x',
  'src/../../outside/secret.txt',
  '/etc/passwd',
  '~/.bashrc',
  '~',
  'links/secret.txt',
  'links/outside-dir',
  'links/outside-dir/secret.txt',
];

describe('workspace paths', () => {
  const fx = useGitFixture();

  describe('resolveWorkspacePath', () => {
    for (const input of ESCAPES) {
      it(`refuses ${input} with path-escape`, async () => {
        const error = await rejectionOf(resolveWorkspacePath(input, [fx.repo]));
        assert.ok(error instanceof CompilerError);
        assert.equal(error.reason, 'path-escape');
        assert.match(error.message, /outside the workspace/);
      });
    }

    it('refuses the absolute path of a file outside, even one that exists', async () => {
      const error = await rejectionOf(resolveWorkspacePath(path.join(fx.outside, 'secret.txt'), [fx.repo]));
      assert.equal((error as CompilerError).reason, 'path-escape');
    });

    it('refuses a dangling symbolic link that points outside', async () => {
      const link = path.join(fx.repo, 'dangling-out');
      fs.symlinkSync('../outside/nothing-here', link);
      try {
        const error = await rejectionOf(resolveWorkspacePath('dangling-out', [fx.repo], { mustExist: false }));
        assert.equal((error as CompilerError).reason, 'path-escape');
      } finally {
        fs.unlinkSync(link);
      }
    });

    it('refuses a path that escapes even when missing files are allowed', async () => {
      const error = await rejectionOf(resolveWorkspacePath('../gone/file.ts', [fx.repo], { mustExist: false }));
      assert.equal((error as CompilerError).reason, 'path-escape');
    });

    it('reports a missing file as not-found', async () => {
      const error = await rejectionOf(resolveWorkspacePath('src/nope.ts', [fx.repo]));
      assert.ok(error instanceof CompilerError);
      assert.equal(error.reason, 'not-found');
    });

    it('accepts a missing file inside when allowed, marked as not existing', async () => {
      const r = await resolveWorkspacePath('src/deleted.ts', [fx.repo], { mustExist: false });
      assert.equal(r.exists, false);
      assert.equal(r.rel, 'src/deleted.ts');
    });

    it('resolves relative, ./ and absolute forms of the same file alike', async () => {
      for (const input of ['src/math.ts', './src/math.ts', 'src/../src/math.ts', path.join(fx.repo, 'src', 'math.ts')]) {
        const r = await resolveWorkspacePath(input, [fx.repo]);
        assert.equal(r.abs, path.join(fx.repo, 'src', 'math.ts'), input);
        assert.equal(r.rel, 'src/math.ts');
        assert.equal(r.display, 'src/math.ts');
        assert.equal(r.root, fx.repo);
      }
    });

    it('follows a symbolic link that stays inside to its target', async () => {
      const r = await resolveWorkspacePath('links/math-link.ts', [fx.repo]);
      assert.equal(r.rel, 'src/math.ts');
    });

    it('resolves non-ASCII names', async () => {
      const r = await resolveWorkspacePath('docs/über.md', [fx.repo]);
      assert.equal(r.display, 'docs/über.md');
      assert.ok(fs.existsSync(r.abs));
    });

    it('gives the root itself for an empty path and "."', async () => {
      for (const input of ['', '.']) {
        const r = await resolveWorkspacePath(input, [fx.repo]);
        assert.equal(r.abs, fx.repo);
        assert.equal(r.rel, '');
        assert.equal(r.display, '.');
      }
    });

    it('in a multi-root workspace, picks a root by name prefix and displays paths with it', async () => {
      const second = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-second-'));
      const secondRoot = fs.realpathSync(second);
      try {
        fs.mkdirSync(path.join(secondRoot, 'src'));
        fs.writeFileSync(path.join(secondRoot, 'src', 'only-here.ts'), 'export const x = 1;\n');
        const roots = [fx.repo, secondRoot];
        const name = path.basename(secondRoot);
        const byPrefix = await resolveWorkspacePath(`${name}/src/only-here.ts`, roots);
        assert.equal(byPrefix.root, secondRoot);
        assert.equal(byPrefix.display, `${name}/src/only-here.ts`);
        // Without a prefix, the first root holding the path wins.
        const found = await resolveWorkspacePath('src/only-here.ts', roots);
        assert.equal(found.root, secondRoot);
        const first = await resolveWorkspacePath('src/math.ts', roots);
        assert.equal(first.display, 'repo/src/math.ts');
        // A link from one root into another stays inside the workspace.
        fs.symlinkSync(path.join(fx.repo, 'src', 'math.ts'), path.join(secondRoot, 'math-link.ts'));
        const crossed = await resolveWorkspacePath(`${name}/math-link.ts`, roots);
        assert.equal(crossed.root, fx.repo);
        assert.equal(crossed.rel, 'src/math.ts');
      } finally {
        fs.rmSync(second, { recursive: true, force: true });
      }
    });
  });

  describe('display and locations', () => {
    it('displays root-relative, /-separated paths; locations are absolute with 1-based positions', () => {
      const abs = path.join(fx.repo, 'src', 'main.ts');
      assert.equal(displayPath(abs, [fx.repo]), 'src/main.ts');
      assert.deepEqual(fileLocation(abs, [fx.repo], { line: 3, column: 1 }), { path: abs, relPath: 'src/main.ts', line: 3, column: 1 });
    });
  });

  describe('every path-taking tool refuses escapes', () => {
    const tools = createNodeTools();
    const calls: Array<[string, (p: string) => Record<string, string>]> = [
      ['read_file', (p) => ({ path: p })],
      ['list_dir', (p) => ({ path: p })],
      ['git_log', (p) => ({ path: p })],
      ['git_show', (p) => ({ rev: 'HEAD', path: p })],
      ['git_blame', (p) => ({ path: p })],
      ['git_diff', (p) => ({ path: p })],
      ['outline', (p) => ({ path: p })],
      ['definition', (p) => ({ name_or_location: `${p}:1` })],
      ['references', (p) => ({ name_or_location: `${p}:1` })],
    ];
    for (const [tool, args] of calls) {
      it(`${tool}`, async () => {
        for (const input of ESCAPES) {
          const error = await rejectionOf(runTool(tools, tool, args(input), toolContext([fx.repo])));
          assert.ok(error instanceof CompilerError, `${tool}(${input}) fails with a CompilerError: ${String(error)}`);
          assert.equal(error.reason, 'path-escape', `${tool}(${input})`);
        }
      });
    }

    it('read_file never returns the outside file, whatever the spelling', async () => {
      const secret = fs.readFileSync(path.join(fx.outside, 'secret.txt'), 'utf8').trim();
      for (const input of ESCAPES) {
        const out = await runTool(tools, 'read_file', { path: input }, toolContext([fx.repo])).catch(() => undefined);
        assert.ok(!out || !out.text.includes(secret));
      }
    });
  });
});
