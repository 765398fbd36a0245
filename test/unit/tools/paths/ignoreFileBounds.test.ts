import assert from 'node:assert/strict';
import { GlobTooComplexError, expandBraces } from '../../../../src/tools/paths/globPattern';
import { MAX_RULES, MAX_WILDCARD_CHARS, parseIgnoreFile, parseIgnoreFileAsync } from '../../../../src/tools/paths/ignoreFile';

describe('ignore files as attacks', () => {
  const bomb = `${'{a,b}'.repeat(8)}${'x'.repeat(400_000)}`;

  it('refuses to expand braces into more characters than the cap, before building any copy', () => {
    const before = process.memoryUsage().heapUsed;
    assert.throws(() => expandBraces(bomb), GlobTooComplexError);
    assert.throws(() => expandBraces(`${'{a,b}'.repeat(8)}${'x'.repeat(600)}`), /more than 65,536 characters once its \{a,b\} alternatives are expanded/);
    assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024, 'no copy of the literal was built');
    assert.equal(expandBraces(`${'{a,b}'.repeat(8)}x`).length, 256);
  });

  it('reports a line of 8 brace groups and a 400 KB literal as not applied, and applies the others', () => {
    const file = parseIgnoreFile(`*.log\n${bomb}\nbuild/\n`);
    assert.equal(file.size, 2);
    assert.deepEqual(file.unhonoured, [{ line: 2, why: 'longer than 1,000 characters', prefix: '' }]);
    assert.equal(file.match('a/b.log', false), 'ignore');
    assert.equal(file.match('build', true), 'ignore');
  });

  it('applies at most the cap of rules and of wildcard characters, reporting the rest', () => {
    const wild = Array.from({ length: 20_000 }, (_, i) => `*${i.toString(36)}*q?z*`);
    const file = parseIgnoreFile([...wild, 'late.txt'].join('\n'));
    assert.ok(file.size < 20_000);
    const applied = wild.slice(0, file.size - 1).reduce((n, r) => n + r.length, 0);
    assert.ok(applied <= MAX_WILDCARD_CHARS, `${applied}`);
    assert.equal(file.unhonoured[0]!.why, 'past the first 4,000 characters of rules with wildcards');
    // A literal rule costs a lookup, however many there are: it still applies.
    assert.equal(file.match('x/late.txt', false), 'ignore');
    const literal = parseIgnoreFile(Array.from({ length: MAX_RULES + 5 }, (_, i) => `file-${i}.txt`).join('\n'));
    assert.equal(literal.size, MAX_RULES);
    assert.deepEqual(literal.unhonoured, [{ line: MAX_RULES + 1, why: 'past the first 10,000 rules, as are the lines after it', prefix: '' }]);
    assert.equal(literal.match('d/file-9999.txt', false), 'ignore');
    assert.equal(literal.match('d/file-10000.txt', false), undefined);
  });

  it('lets the last matching rule decide, literal or not', () => {
    const file = parseIgnoreFile('*.log\n!keep.log\nlogs/\n!logs/\n/top.txt\ndocs/*.md\n!docs/readme.md\n');
    assert.equal(file.match('a/x.log', false), 'ignore');
    assert.equal(file.match('a/keep.log', false), 'keep');
    assert.equal(file.match('logs', true), 'keep');
    assert.equal(file.match('logs', false), undefined);
    assert.equal(file.match('top.txt', false), 'ignore');
    assert.equal(file.match('a/top.txt', false), undefined);
    assert.equal(file.match('docs/a.md', false), 'ignore');
    assert.equal(file.match('docs/readme.md', false), 'keep');
    assert.deepEqual(file.matchRule('docs/a.md', false), { negated: false, line: 6, text: 'docs/*.md' });
  });

  it('prefilters a name rule by its literal parts without changing what it matches', () => {
    const rules = ['*.min.js', 'a*b?c', '*_test*', '?', 'x*'];
    const file = parseIgnoreFile(rules.join('\n'));
    const names = ['app.min.js', 'app.js', 'aXXbYc', 'abc', 'a_test', 'my_test.go', 'q', 'xy', 'yx', 'ab?c'];
    const expected = [true, false, true, false, true, true, true, true, false, true];
    names.forEach((name, i) => assert.equal(file.match(`d/${name}`, false) === 'ignore', expected[i], name));
  });

  it('parses in slices to the same rules as at once, many thousand rules past the caps included', async () => {
    const text = [
      ...Array.from({ length: 20_000 }, (_, i) => `*${i.toString(36)}*q?z*`),
      ...Array.from({ length: 3_000 }, (_, i) => (i % 3 === 0 ? `!keep-${i}.txt` : `/build-${i}/`)),
    ].join('\n');
    const names = ['a1q-z.txt', 'keep-3.txt', 'build-1', 'x.txt', 'zzq9z', 'abc/q1z'];
    for (const options of [{}, { maxRules: 1_000, failClosed: true, negation: false }]) {
      const whole = parseIgnoreFile(text, options);
      const sliced = await parseIgnoreFileAsync(text, options);
      assert.equal(sliced.size, whole.size);
      assert.deepEqual(sliced.unhonoured, whole.unhonoured);
      for (const name of names) for (const isDir of [false, true]) assert.deepEqual(sliced.matchRule(name, isDir), whole.matchRule(name, isDir), name);
    }
  });
});
