import assert from 'node:assert/strict';
import { chatQuery, questionWithSelection } from '../../../src/surfaces/askQuery';

describe('ask query', () => {
  it('addresses the question to @compiler', () => {
    assert.equal(chatQuery('Where is main?'), '@compiler Where is main?');
  });

  it('keeps a question without a selection as typed', () => {
    assert.equal(questionWithSelection('  Where is main? '), 'Where is main?');
    assert.equal(questionWithSelection('Q', { path: 'a.ts', startLine: 1, endLine: 1, text: '  \n' }), 'Q');
  });

  it('adds the selection: path, line range and the text in a fence', () => {
    const q = questionWithSelection('What does this do?', { path: 'src/a.ts', startLine: 10, endLine: 12, text: 'const a = 1;\nfoo(a);\n', languageId: 'typescript' });
    assert.equal(q, 'What does this do?\n\nAbout the selected code in src/a.ts:10-12:\n```typescript\nconst a = 1;\nfoo(a);\n```');
  });

  it('picks a fence the selection cannot close, and cuts huge selections', () => {
    const q = questionWithSelection('Q', { path: 'README.md', startLine: 3, endLine: 3, text: '```js\nx\n```' });
    assert.match(q, /README\.md:3:\n~~~~\n```js/);
    const big = questionWithSelection('Q', { path: 'a.txt', startLine: 1, endLine: 9, text: 'x'.repeat(10_000) });
    assert.ok(big.length < 7000);
    assert.match(big, /\(selection cut\)/);
  });
});
