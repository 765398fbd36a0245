import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { forEachBackend, requireRipgrep } from '../../../support/backends';
import { useGitFixture } from '../../../support/gitFixture';
import { gitVisibleFiles, rawRgFiles } from '../../../support/oracles';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

const GLOBS = [
  '*.ts', '**/*.ts', 'src/**', 'src/*.ts', '*.{md,txt}', 'docs/*', '*.log', '**/über.md', '*', '**', 'src/[gh]*.ts', '/README.md',
  // Globs ripgrep's search path and file type select exactly, so no path is checked again.
  'src/**/*.ts', '**/*.{ts,md}', '**/?ain.ts', 'docs/**/*',
  // Globs that look alike but are narrower: anchored, one folder deep, or a class.
  '/*.md', '**/src/*.ts', 'src/**/[gh]*.ts',
];

/** The paths a find_files result lists (its value), sorted. */
function listed(value: unknown): string[] {
  return [...(value as string[])].sort();
}

describe('find_files', () => {
  const fx = useGitFixture();

  forEachBackend((backend) => {
    const tools = backend.tools();

    for (const glob of GLOBS) {
      it(`lists what git and ripgrep agree on for ${glob}`, async function () {
        const rg = requireRipgrep(this);
        const out = await runTool(tools, 'find_files', { glob, max_results: 2000 }, toolContext([fx.repo]));
        // ripgrep decides which files a glob selects; git decides which files are ignored.
        const visible = new Set(gitVisibleFiles(fx.repo));
        const expected = rawRgFiles(rg, fx.repo, [glob]).filter((f) => visible.has(f));
        assert.deepEqual(listed(out.value), expected);
        assert.ok(expected.length > 0, `the fixture has files for ${glob}`);
      });
    }

    it('lists exactly what raw `rg --files` lists when no ignore rule is overridden', async function () {
      const rg = requireRipgrep(this);
      const out = await runTool(tools, 'find_files', { glob: '**', max_results: 2000 }, toolContext([fx.repo]));
      assert.deepEqual(listed(out.value), rawRgFiles(rg, fx.repo));
    });

    it('reads a leading ./ as the workspace root, as the planner means it', async () => {
      const out = await runTool(tools, 'find_files', { glob: './*.md' }, toolContext([fx.repo]));
      assert.deepEqual(listed(out.value), ['README.md']);
    });

    it('never lists ignored files, .git, or symbolic links', async () => {
      const out = await runTool(tools, 'find_files', { glob: '**', max_results: 2000 }, toolContext([fx.repo]));
      const files = listed(out.value);
      for (const ignored of ['debug.log', 'build/out.js', '.env', 'docs/draft.tmp', 'links/secret.txt', 'links/math-link.ts']) {
        assert.ok(!files.includes(ignored), `${ignored} is not listed`);
      }
      assert.ok(!files.some((f) => f.startsWith('.git/')));
      assert.ok(!out.text.includes('outside secret'));
      // A negated ignore rule keeps its file.
      assert.ok(files.includes('important.log'));
      assert.deepEqual(files, gitVisibleFiles(fx.repo));
    });

    it('does not let an include glob bring back an ignored file', async () => {
      const out = await runTool(tools, 'find_files', { glob: '*.log' }, toolContext([fx.repo]));
      assert.deepEqual(out.value, ['important.log']);
      const build = await runTool(tools, 'find_files', { glob: 'build/*' }, toolContext([fx.repo]));
      assert.deepEqual(build.value, []);
      assert.match(build.text, /No files match/);
      for (const glob of ['build/**', 'docs/*.tmp', '**/*.tmp', '.env', '*']) {
        const out = await runTool(tools, 'find_files', { glob }, toolContext([fx.repo]));
        const files = out.value as string[];
        assert.ok(!files.some((f) => ['build/out.js', 'docs/draft.tmp', '.env', 'debug.log'].includes(f)), `${glob}: ${files.join(', ')}`);
      }
    });

    it('does not follow a symbolic link named in the glob', async () => {
      for (const glob of ['links/outside-dir/*', 'links/outside-dir/**', 'links/*']) {
        const out = await runTool(tools, 'find_files', { glob }, toolContext([fx.repo]));
        assert.deepEqual(out.value, [], glob);
      }
    });

    it('returns sorted paths with locations, and counts in the text', async () => {
      const out = await runTool(tools, 'find_files', { glob: 'src/*.ts' }, toolContext([fx.repo]));
      const files = out.value as string[];
      assert.deepEqual(files, [...files].sort());
      assert.deepEqual(files, ['src/greet.ts', 'src/helpers.ts', 'src/main.ts', 'src/math.ts', 'src/日本.ts']);
      assert.match(out.text, /^5 files match "src\/\*\.ts":\nsrc\/greet\.ts\n/);
      assert.deepEqual(
        out.locations?.map((l) => [l.path, l.relPath]),
        files.map((f) => [path.join(fx.repo, f), f]),
      );
    });

    it('lists the first paths in the order rg --sort path lists them, folder by folder, by bytes', async function () {
      const rg = requireRipgrep(this);
      const tree = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-find-order-')));
      try {
        for (const rel of ['a-c.txt', 'a/b.txt', 'a.d.txt', 'a0.txt', 'B.txt', 'é.txt', 'z\u{1F600}.txt', 'z\uFF21.txt']) {
          fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
          fs.writeFileSync(path.join(tree, rel), 'x\n');
        }
        const expected = execFileSync(rg, ['--files', '--sort', 'path', '--hidden'], { cwd: tree, encoding: 'utf8' }).trim().split('\n');
        const all = await runTool(tools, 'find_files', { glob: '**' }, toolContext([tree]));
        assert.deepEqual(all.value, expected);
        const first = await runTool(tools, 'find_files', { glob: '**', max_results: 3 }, toolContext([tree]));
        assert.deepEqual(first.value, expected.slice(0, 3));
      } finally {
        fs.rmSync(tree, { recursive: true, force: true });
      }
    });

    it('honours the extra exclude globs (files.exclude / search.exclude)', async () => {
      const excluding = backend.tools({ excludeGlobs: ['**/docs', '**/*.js', 'src/日本.ts'] });
      const out = await runTool(excluding, 'find_files', { glob: '**' }, toolContext([fx.repo]));
      const files = listed(out.value);
      assert.ok(!files.some((f) => f.startsWith('docs/') || f.endsWith('.js') || f === 'src/日本.ts'), files.join(', '));
      assert.ok(files.includes('src/math.ts'));
    });

    it('stops at max_results with a visible marker and the total', async () => {
      const out = await runTool(tools, 'find_files', { glob: '**', max_results: 3 }, toolContext([fx.repo]));
      const total = gitVisibleFiles(fx.repo).length;
      assert.equal((out.value as string[]).length, 3);
      assert.equal(out.truncated, true);
      assert.match(out.text, new RegExp(`^${total} files match "\\*\\*" \\(first 3 shown\\)`));
      assert.match(out.text, new RegExp(`… \\[truncated: ${total - 3} more lines; narrow the glob or raise max_results\\]$`));
    });

    it('keeps its text within ctx.maxChars', async () => {
      const out = await runTool(tools, 'find_files', { glob: '**' }, toolContext([fx.repo], { maxChars: 120 }));
      assert.ok(out.text.length <= 120, `${out.text.length} chars`);
      assert.match(out.text, /… \[truncated: \d+ more lines/);
    });

    it('searches every root of a multi-root workspace, and one root by name prefix', async () => {
      const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-other-')));
      try {
        fs.mkdirSync(path.join(other, 'src'));
        fs.writeFileSync(path.join(other, 'src', 'extra.ts'), 'export {};\n');
        const roots = [fx.repo, other];
        const name = path.basename(other);
        const all = await runTool(tools, 'find_files', { glob: '*.ts' }, toolContext(roots));
        assert.ok((all.value as string[]).includes(`${name}/src/extra.ts`));
        assert.ok((all.value as string[]).includes('repo/src/math.ts'));
        const one = await runTool(tools, 'find_files', { glob: `${name}/**/*.ts` }, toolContext(roots));
        assert.deepEqual(one.value, [`${name}/src/extra.ts`]);
        assert.equal(one.locations?.[0].relPath, 'src/extra.ts');
      } finally {
        fs.rmSync(other, { recursive: true, force: true });
      }
    });

    it('applies the repository\'s ignore files when the workspace is a subfolder of it', async () => {
      const log = path.join(fx.repo, 'src', 'scratch.log');
      fs.writeFileSync(log, 'ignored by the parent folder\n');
      try {
        const src = path.join(fx.repo, 'src');
        const out = await runTool(tools, 'find_files', { glob: '**' }, toolContext([src]));
        assert.deepEqual(listed(out.value), ['greet.ts', 'helpers.ts', 'main.ts', 'math.ts', '日本.ts']);
      } finally {
        fs.unlinkSync(log);
      }
    });

    it('sees an edited ignore file on the next call, even one of the same size', async () => {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-edit-')));
      try {
        for (const f of ['a/x.ts', 'b/x.ts']) {
          fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
          fs.writeFileSync(path.join(dir, f), 'export {};\n');
        }
        const find = async (glob: string) => listed((await runTool(tools, 'find_files', { glob }, toolContext([dir]))).value);
        fs.writeFileSync(path.join(dir, '.gitignore'), 'a/\n');
        assert.deepEqual([await find('a/**/*.ts'), await find('b/**/*.ts'), await find('**/*.ts')], [[], ['b/x.ts'], ['b/x.ts']]);
        fs.writeFileSync(path.join(dir, '.gitignore'), 'b/\n');
        assert.deepEqual([await find('a/**/*.ts'), await find('b/**/*.ts'), await find('**/*.ts')], [['a/x.ts'], [], ['a/x.ts']]);
        fs.unlinkSync(path.join(dir, '.gitignore'));
        assert.deepEqual(await find('**/*.ts'), ['a/x.ts', 'b/x.ts']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('rejects a malformed glob as invalid-args', async () => {
      const error = await rejectionOf(runTool(tools, 'find_files', { glob: '   ' }, toolContext([fx.repo])));
      assert.ok(error instanceof CompilerError);
      assert.equal(error.reason, 'invalid-args');
    });
  });
});
