import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { countChatTokens, countTextTokens } from '../../../src/providers/tokenCount';
import { runBounded } from '../../support/boundedChild';

const root = path.resolve(__dirname, '..', '..', '..');

describe('token counting', () => {
  it('counts o200k tokens, special-token text as plain text, and chat framing', () => {
    assert.equal(countTextTokens('hello world'), 2);
    assert.ok(countTextTokens('<|endoftext|>') > 1, 'a special token written in a file is text');
    assert.equal(countChatTokens([{ content: 'hello world' }, { content: '' }]), 3 + (4 + 2) + (4 + 0));
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
    assert.equal(tokens, 3 + (4 + callTokens) + (4 + 2) + (4 + 0) + (4 + 2));
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

describe('token counting on hostile text', () => {
  it('counts ordinary text exactly as the tokenizer does', () => {
    const text = fs.readFileSync(path.join(root, 'node_modules/typescript/lib/lib.es5.d.ts'), 'utf8').slice(0, 100_000);
    const mixed = 'Hello  world,\n\n   indented  text\t\ttabs. 字字 über 123456 <|endoftext|> '.repeat(500);
    for (const sample of [text, mixed]) assert.equal(countTextTokens(sample), countTokens(sample, { disallowedSpecial: new Set() }));
  });

  it('ends at all on long runs of one character, and stays near the estimate', function () {
    this.timeout(60_000);
    const script = `
      const { countTextTokens, countChatTokens } = require('./src/providers/tokenCount.ts');
      const out = {
        letters: countTextTokens('a'.repeat(300_000)),
        spaces: countTextTokens('Finish(x' + ' '.repeat(400_000)),
        han: countTextTokens('字'.repeat(60_000)),
        chat: countChatTokens([{ content: 'b'.repeat(1_000_000) }, { content: 'hello world' }]),
      };
      console.log(JSON.stringify(out));`;
    const counts = JSON.parse(runBounded(script, 30_000)) as Record<string, number>;
    assert.ok(counts.letters! > 300_000 / 16 && counts.letters! < 300_000, `letters: ${counts.letters}`);
    assert.ok(counts.spaces! >= 1 && counts.spaces! < 400_000, `spaces: ${counts.spaces}`);
    assert.ok(counts.han! >= 60_000 / 4 && counts.han! <= 60_000, `han: ${counts.han}`);
    assert.ok(counts.chat! > 1_000_000 / 16, `chat: ${counts.chat}`);
  });
});
