import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { countChatTokens, countTextTokens } from '../../../src/providers/tokenCount';

const root = path.resolve(__dirname, '..', '..', '..');

describe('token counting', () => {
  it('counts o200k tokens, special-token text as plain text, and chat framing', () => {
    assert.equal(countTextTokens('hello world'), 2);
    assert.ok(countTextTokens('<|endoftext|>') > 1, 'a special token written in a file is text');
    assert.equal(countChatTokens([{ content: 'hello world' }, { content: '' }]), 3 + (3 + 2) + (3 + 0));
  });

  it('counts tool calls and their results as the messages they are sent as', () => {
    const call = { id: 'c1', name: 'grep', input: { pattern: 'a' } };
    const tokens = countChatTokens([
      { content: '', toolCalls: [call] },
      { content: '', toolResults: [{ callId: 'c1', content: 'hello world' }] },
      { content: 'hello world', toolResults: [{ callId: 'c1', content: '' }] },
    ]);
    const callTokens = countTextTokens('grep') + countTextTokens('{"pattern":"a"}');
    // The second message is its tool message alone; the third is a tool message, then the user's text.
    assert.equal(tokens, 3 + (3 + callTokens) + (3 + 2) + (3 + 0) + (3 + 2));
  });

  it('loads the tokenizer on the first count, not with the modules that count', function () {
    this.timeout(30_000);
    // A fresh process: this one has long loaded it.
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('gpt-tokenizer'));
      require('./src/providers/openaiModel.ts');
      const { countTextTokens } = require('./src/providers/tokenCount.ts');
      const before = loaded();
      const count = countTextTokens('hello world');
      console.log(JSON.stringify({ before, after: loaded(), count }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { before: false, after: true, count: 2 });
  });
});
