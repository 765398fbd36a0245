import assert from 'node:assert/strict';
import { LruCache } from '../../../src/base/lruCache';

describe('LruCache', () => {
  it('drops the least recently used entry once full, counting reads as use', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1);
    cache.set('c', 3);
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [1, undefined, 3]);
  });

  it('replaces a value without dropping another entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    assert.deepEqual([cache.get('a'), cache.get('b')], [10, 2]);
  });
});

describe('LruCache by weight', () => {
  it('keeps the total weight within the limit, dropping the least recently used, and skips what is too heavy', () => {
    const cache = new LruCache<string, string>(10, (v) => v.length);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    cache.get('a');
    cache.set('c', 'cccc');
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], ['aaaa', undefined, 'cccc']);
    assert.equal(cache.weight, 8);
    cache.set('d', 'd'.repeat(11));
    assert.equal(cache.get('d'), undefined);
    assert.equal(cache.size, 2);
    assert.equal(cache.deleteWhere((v) => v.startsWith('a')), 1);
    cache.clear();
    assert.deepEqual([cache.size, cache.weight], [0, 0]);
  });
});
