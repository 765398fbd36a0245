import assert from 'node:assert/strict';
import { CompilerError } from '../../../../src/base/errors';
import { bareName, identifierColumns, kindFromEditor, parseTargetText, rankDeclaringFiles, wordAt } from '../../../../src/tools/symbols/symbolContract';

describe('symbol contract', () => {
  it('reads a location in every citation form, a range standing for its first line', () => {
    assert.deepEqual(parseTargetText('src/a.ts:12'), { kind: 'location', path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseTargetText(' src/a.ts:12:5 '), { kind: 'location', path: 'src/a.ts', line: 12, column: 5 });
    assert.deepEqual(parseTargetText('src/a.ts#L12'), { kind: 'location', path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseTargetText('src/a.ts#L12-L14'), { kind: 'location', path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseTargetText('src/a.ts:12-14'), { kind: 'location', path: 'src/a.ts', line: 12 });
    assert.deepEqual(parseTargetText('/etc/passwd:1'), { kind: 'location', path: '/etc/passwd', line: 1 }, 'confinement, not the grammar, refuses it');
    assert.deepEqual(parseTargetText('C:\\w\\my file.ts:3:4'), { kind: 'location', path: 'C:\\w\\my file.ts', line: 3, column: 4 });
    assert.deepEqual(parseTargetText('docs/C#/x.cs#L7'), { kind: 'location', path: 'docs/C#/x.cs', line: 7 });
  });

  it('reads a name with the container right before it, whatever the separator', () => {
    assert.deepEqual(parseTargetText('parseConfig'), { kind: 'name', name: 'parseConfig' });
    assert.deepEqual(parseTargetText('A.B.c'), { kind: 'name', name: 'c', container: 'B' });
    assert.deepEqual(parseTargetText('ns::Type::run()'), { kind: 'name', name: 'run', container: 'Type' });
    assert.deepEqual(parseTargetText('Counter.#count'), { kind: 'name', name: '#count', container: 'Counter' });
    assert.deepEqual(parseTargetText('grüße'), { kind: 'name', name: 'grüße' });
  });

  it('refuses what is neither a name nor a location', () => {
    for (const text of ['two words', 'a..b', 'x(1)', '']) {
      assert.throws(() => parseTargetText(text), (e: unknown) => e instanceof CompilerError && e.reason === 'invalid-args', text);
    }
  });

  it('names the editor’s symbol kinds in TypeScript’s words', () => {
    assert.equal(kindFromEditor('Function'), 'function');
    assert.equal(kindFromEditor('Field'), 'property');
    assert.equal(kindFromEditor('Constant'), 'const');
    assert.equal(kindFromEditor('EnumMember'), 'enum member');
    assert.equal(kindFromEditor(undefined), 'symbol');
  });

  it('finds the identifiers of a line, keywords left out', () => {
    const line = '  return add(calc.result(), 1);';
    assert.deepEqual(identifierColumns(line), [9, 13, 18]);
    assert.equal(wordAt(line, 9), 'add');
    assert.equal(wordAt(line, 11), 'add');
    assert.equal(wordAt(line, 12), 'add');
    assert.equal(wordAt(line, 1), undefined);
  });

  it('strips the decorations providers add to names', () => {
    assert.equal(bareName('multiply()'), 'multiply');
    assert.equal(bareName('Box<T>'), 'Box');
    assert.equal(bareName('plain'), 'plain');
  });

  it('ranks the files that declare a name first, then by matches', () => {
    const ranked = rankDeclaringFiles([
      { file: 'main.ts', lines: [{ text: 'add(1)', column: 1 }, { text: 'add(2)', column: 1 }, { text: 'x = add(3)', column: 5 }] },
      { file: 'math.ts', lines: [{ text: 'export function add(a, b) {', column: 17 }] },
      { file: 'other.ts', lines: [{ text: 'add()', column: 1 }] },
      { file: 'util.py', lines: [{ text: 'def add(a, b):', column: 5 }, { text: '  add(1)', column: 3 }] },
    ]);
    assert.deepEqual(ranked, ['util.py', 'math.ts', 'main.ts', 'other.ts']);
  });
});
