import assert from 'node:assert/strict';
import { CompilerError } from '../../../../src/base/errors';
import { compileGlob } from '../../../../src/tools/search/globMatch';

describe('compileGlob', () => {
  it('reads globs as ripgrep does: names at any depth without a slash, paths from the root with one', () => {
    assert.equal(compileGlob('*.ts')('src/deep/a.ts', false), true);
    assert.equal(compileGlob('src/*.ts')('src/deep/a.ts', false), false);
    assert.equal(compileGlob('/a.ts')('src/a.ts', false), false);
    assert.equal(compileGlob('/a.ts')('a.ts', false), true);
    assert.equal(compileGlob('build/')('build', true), true);
    assert.equal(compileGlob('build/')('build', false), false);
    assert.equal(compileGlob('*.{md,txt}')('.notes.txt', false), true);
  });

  it('compiles a glob once and hands back the same matcher', () => {
    assert.equal(compileGlob('src/**/*.cached.ts'), compileGlob('src/**/*.cached.ts'));
  });

  it('keeps a bounded number of globs, recompiling an evicted one to the same behaviour', () => {
    const first = compileGlob('evicted/**/*.md');
    for (let i = 0; i < 300; i++) compileGlob(`filler-${i}/*.ts`);
    const again = compileGlob('evicted/**/*.md');
    assert.notEqual(again, first);
    assert.equal(again('evicted/a/b.md', false), true);
    assert.equal(again('other/b.md', false), false);
  });

  it('rejects an empty glob every time it is asked, as invalid-args', () => {
    for (let i = 0; i < 2; i++) {
      assert.throws(() => compileGlob('  '), (e: unknown) => e instanceof CompilerError && e.reason === 'invalid-args');
    }
  });
});
