import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planGlob } from '../../../../src/tools/search/globPlan';
import { IgnoreRules } from '../../../../src/tools/paths/ignoreRules';

describe('planGlob', () => {
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-globplan-')));
    fs.mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
    fs.mkdirSync(path.join(root, 'build'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const plan = (glob: string) => planGlob(glob, root, new IgnoreRules(root));

  const exact: Array<[string, string, string]> = [
    ['*.ts', '.', '*.ts'],
    ['**/*.ts', '.', '*.ts'],
    ['src/**/*.ts', 'src', '*.ts'],
    ['src/**/**/*.ts', 'src', '*.ts'],
    ['*.{md,txt}', '.', '*.{md,txt}'],
    ['**/?ain.ts', '.', '?ain.ts'],
    ['src/deep/**/*', 'src/deep', '*'],
  ];
  for (const [glob, searchPath, typeGlob] of exact) {
    it(`lets ripgrep alone select ${glob}`, () => {
      assert.deepEqual(plan(glob), { searchPath, typeGlob });
    });
  }

  // Anchored, one level deep, a folder pattern, a class or escape, nested braces: each path is checked again.
  const checked = ['/README.md', './*.md', 'src/*.ts', '**/src/*.ts', 'src/**', '**', 'src/**/[gh]*.ts', '*.\\[x\\]', '*.{a,{b,c}}'];
  for (const glob of checked) {
    it(`checks every path against ${glob}`, () => {
      const p = plan(glob);
      assert.ok(p, `${glob} is planned`);
      assert.equal(typeof p.matches, 'function');
    });
  }

  it('checks the right paths when it checks them', () => {
    const matches = plan('src/*.ts')!.matches!;
    assert.equal(matches('src/a.ts', false), true);
    assert.equal(matches('src/deep/a.ts', false), false);
  });

  it('plans nothing for a prefix that is missing, a file, or ignored', () => {
    fs.writeFileSync(path.join(root, 'file.txt'), '');
    assert.equal(plan('missing/**/*.ts'), undefined);
    assert.equal(plan('file.txt/*.ts'), undefined);
    assert.equal(plan('build/**/*.js'), undefined);
    assert.equal(plan('src/'), undefined);
  });
});
