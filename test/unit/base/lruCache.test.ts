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
