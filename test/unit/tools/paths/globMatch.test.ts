import assert from 'node:assert/strict';
import { CompilerError } from '../../../../src/base/errors';
import { compileGlob } from '../../../../src/tools/paths/globMatch';

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

describe('compileGlob on hostile globs', () => {
  it('matches many stars against a long name at once (backtracking matchers take seconds)', () => {
    const started = Date.now();
    const name = `${'a'.repeat(250)}c`;
    assert.equal(compileGlob(`${'*a'.repeat(200)}*b`)(name, false), false);
    assert.equal(compileGlob(`${'**/a/'.repeat(60)}**/b`)(`${'a/'.repeat(1_000)}c`, false), false);
    assert.equal(compileGlob(`${'*a'.repeat(100)}*`)(name, false), true);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  it('refuses a glob too long or with too many alternatives as invalid-args, with the reason', () => {
    const invalid = (e: unknown) => e instanceof CompilerError && e.reason === 'invalid-args';
    assert.throws(() => compileGlob('['.repeat(8_000)), (e: unknown) => invalid(e) && /too long/.test((e as Error).message));
    assert.throws(() => compileGlob('{a,b}'.repeat(20)), (e: unknown) => invalid(e) && /too complex/.test((e as Error).message));
  });

  it('reads an unclosed [ and { literally, classes and alternatives as usual', () => {
    assert.equal(compileGlob('[[[a')('[[[a', false), true);
    assert.equal(compileGlob('{a,b')('{a,b', false), true);
    assert.equal(compileGlob('x[!a-c]y')('xdy', false), true);
    assert.equal(compileGlob('x[!a-c]y')('xby', false), false);
    assert.equal(compileGlob('x[^a-c]y')('xby', false), false);
    assert.equal(compileGlob('{src,lib}/**/*.{ts,js}')('lib/a/b.js', false), true);
    assert.equal(compileGlob('{src,lib}/**/*.{ts,js}')('test/a/b.js', false), false);
    assert.equal(compileGlob('src/{a,{b,c}d}.ts')('src/cd.ts', false), true);
    assert.equal(compileGlob('src/\\*.ts')('src/*.ts', false), true);
    assert.equal(compileGlob('src/\\*.ts')('src/a.ts', false), false);
  });

  it('matches a trailing /** inside the folder only', () => {
    assert.equal(compileGlob('src/**')('src/a/b.ts', false), true);
    assert.equal(compileGlob('src/**')('src', false), false);
    assert.equal(compileGlob('**/b.ts')('b.ts', false), true);
    assert.equal(compileGlob('src/**/b.ts')('src/b.ts', false), true);
  });
});
