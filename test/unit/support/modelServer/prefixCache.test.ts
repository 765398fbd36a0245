import assert from 'node:assert/strict';
import { PrefixCache } from '../../../support/modelServer/serving/prefixCache';

const seq = (from: number, length: number) => Array.from({ length }, (_, i) => from + i);

describe('PrefixCache', () => {
  it('serves nothing until a prompt has been kept, then its shared prefix in whole blocks', () => {
    const cache = new PrefixCache({ blockTokens: 16, minTokens: 0, entries: 4, keepReplies: false });
    const prompt = seq(0, 100);
    assert.equal(cache.lookup(prompt), 0);
    cache.store(prompt);
    // 70 shared tokens, then a different tail: 4 whole blocks of 16.
    assert.equal(cache.lookup([...seq(0, 70), ...seq(1000, 50)]), 64);
    // A prompt that extends the kept one reuses all of its whole blocks.
    assert.equal(cache.lookup([...prompt, ...seq(500, 40)]), 96);
  });

  it('always leaves the last prompt token to compute, even for a repeated prompt', () => {
    const cache = new PrefixCache({ blockTokens: 1, minTokens: 0, entries: 1, keepReplies: false });
    cache.store(seq(0, 10));
    assert.equal(cache.lookup(seq(0, 10)), 9);
  });

  it('differs in the first token: no hit at all', () => {
    const cache = new PrefixCache({ blockTokens: 1, minTokens: 0, entries: 4, keepReplies: false });
    cache.store(seq(0, 50));
    assert.equal(cache.lookup([99, ...seq(1, 49)]), 0);
  });

  it('neither serves nor keeps prompts below the minimum length (OpenAI: 1 024 tokens)', () => {
    const cache = new PrefixCache({ blockTokens: 128, minTokens: 1024, entries: 8, keepReplies: false });
    cache.store(seq(0, 1000));
    assert.equal(cache.size, 0);
    cache.store(seq(0, 1100));
    assert.equal(cache.lookup(seq(0, 1000)), 0, 'a short prompt is not served');
    assert.equal(cache.lookup([...seq(0, 1100), ...seq(5000, 300)]), 1024, '8 whole blocks of 128 of the 1 100 shared');
  });

  it('serves no hit shorter than the minimum: a long prompt sharing only a short prefix reads it all (OpenAI: hits start at 1 024)', () => {
    const cache = new PrefixCache({ blockTokens: 128, minTokens: 1024, entries: 8, keepReplies: false });
    cache.store(seq(0, 1100));
    // 1 500 tokens, of which the first 900 are the kept prompt's: seven blocks of 128 shared, but under 1 024.
    assert.equal(cache.lookup([...seq(0, 900), ...seq(9000, 600)]), 0);
    // Sharing 1 050 tokens: one hit of 1 024, then whole blocks of 128 beyond it.
    assert.equal(cache.lookup([...seq(0, 1050), ...seq(9000, 600)]), 1024);
    cache.store(seq(0, 1400));
    assert.equal(cache.lookup([...seq(0, 1300), ...seq(9000, 10)]), 1280);
  });

  it('evicts the least recently used sequence when full; a hit counts as a use', () => {
    const cache = new PrefixCache({ blockTokens: 1, minTokens: 0, entries: 2, keepReplies: false });
    const a = seq(0, 20);
    const b = seq(100, 20);
    const c = seq(200, 20);
    cache.store(a);
    cache.store(b);
    assert.equal(cache.lookup(a), 19, 'a used: b is now the oldest');
    cache.store(c);
    assert.equal(cache.size, 2);
    assert.equal(cache.lookup(b), 0, 'b was evicted');
    assert.equal(cache.lookup(a), 19);
    assert.equal(cache.lookup(c), 19);
  });

  it('one slot keeps only the last sequence, reply included when replies are kept (llama.cpp)', () => {
    const cache = new PrefixCache({ blockTokens: 1, minTokens: 0, entries: 1, keepReplies: true });
    const system = seq(0, 30);
    const planner = [...system, ...seq(100, 10)];
    const reply = seq(300, 8);
    cache.store(planner, reply);
    // The next turn of the same conversation: prompt, the reply as an assistant message, a new user message.
    assert.equal(cache.lookup([...planner, ...reply, ...seq(400, 5)]), 48);
    cache.store(seq(700, 40));
    assert.equal(cache.lookup([...system, ...seq(900, 5)]), 0, 'the slot now holds another prompt');
  });

  it('a longer sequence supersedes the one it extends instead of taking a second entry', () => {
    const cache = new PrefixCache({ blockTokens: 1, minTokens: 0, entries: 2, keepReplies: true });
    const other = seq(500, 20);
    cache.store(other);
    cache.store(seq(0, 10));
    cache.store(seq(0, 10), seq(50, 5));
    assert.equal(cache.size, 2);
    assert.equal(cache.lookup(other), 19, 'the unrelated entry survived');
  });
});
