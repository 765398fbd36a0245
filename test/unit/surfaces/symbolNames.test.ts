import assert from 'node:assert/strict';
import { bareName, identifierColumns, rankDeclaringFiles, wordAt } from '../../../src/surfaces/symbolNames';

describe('symbol names', () => {
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
