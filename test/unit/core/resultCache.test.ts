import assert from 'node:assert/strict';
import { ResultCache } from '../../../src/core/resultCache';
import type { ReadRecord, ReadTracker } from '../../../src/shared/toolContract';
import type { Tool } from '../../../src/shared/toolContract';
import { fakeTool } from '../../support/fakeTools';

/** Records that hold while `valid` says so, depending on the paths given. */
function record(paths: string[], valid = () => true, git = false): ReadRecord {
  return { paths, git, unchanged: async () => valid() };
}

const tracker: ReadTracker = {
  record: () => {
    throw new Error('not used');
  },
};
const signal = new AbortController().signal;
const result = (text: string, taskId = 1) => ({ output: { text }, runId: 'r1', taskId, ms: 10 });

describe('ResultCache', () => {
  const tool: Tool = fakeTool('lookup');

  it('keys calls by tool, roots, budget and arguments in any key order', () => {
    const cache = new ResultCache({ tracker });
    const key = cache.key(tool, { a: 1, b: 2 }, ['/w'], 100);
    assert.equal(cache.key(tool, { b: 2, a: 1 }, ['/w'], 100), key);
    assert.notEqual(cache.key(tool, { a: 1, b: 2 }, ['/w', '/x'], 100), key);
    assert.notEqual(cache.key(tool, { a: 1, b: 2 }, ['/w'], 200), key);
    assert.notEqual(cache.key(fakeTool('lookup'), { a: 1, b: 2 }, ['/w'], 100), key, 'another tool object of the same name');
  });

  it('answers while the record holds and drops the result once it does not', async () => {
    const cache = new ResultCache({ tracker });
    let valid = true;
    cache.store('k', result('x'), record(['/w/a.ts'], () => valid));
    assert.equal((await cache.lookup('k', signal))?.output.text, 'x');
    valid = false;
    assert.equal(await cache.lookup('k', signal), undefined);
    valid = true;
    assert.equal(await cache.lookup('k', signal), undefined, 'a stale result is gone for good');
    assert.deepEqual(cache.stats, { entries: 0, bytes: 0, hits: 1, stale: 1 });
  });

  it('evicts the least recently used results once their size passes the limit', async () => {
    const big = 'x'.repeat(10_000);
    // Room for two results of this size, not three.
    const cache = new ResultCache({ tracker, maxBytes: 50_000 });
    cache.store('a', result(big), record(['/a']));
    cache.store('b', result(big), record(['/b']));
    assert.ok(await cache.lookup('a', signal), 'a used: b is now the oldest');
    cache.store('c', result(big), record(['/c']));
    assert.equal(cache.stats.entries, 2);
    assert.ok(cache.stats.bytes <= 50_000);
    assert.ok(await cache.lookup('a', signal));
    assert.equal(await cache.lookup('b', signal), undefined);
    assert.ok(await cache.lookup('c', signal));
    cache.store('huge', result('y'.repeat(100_000)), record(['/h']));
    assert.equal(await cache.lookup('huge', signal), undefined, 'a result larger than the whole cache is not kept');
    assert.equal(cache.stats.entries, 2);
  });

  it('drops results by changed path (inside or above what they read) and by git state', async () => {
    const cache = new ResultCache({ tracker });
    cache.store('file', result('f'), record(['/w/src/a.ts']));
    cache.store('tree', result('t'), record(['/w']));
    cache.store('other', result('o'), record(['/v/b.ts']));
    cache.store('git', result('g'), record(['/v/.git'], () => true, true));
    assert.equal(cache.invalidatePaths(['/w/src/new.ts']), 1, 'the tree under /w');
    assert.equal(cache.invalidatePaths(['/w/src']), 1, 'a folder holding the file');
    assert.equal(cache.invalidateGit(), 1);
    assert.deepEqual(cache.stats.entries, 1);
    assert.ok(await cache.lookup('other', signal));
    cache.clear();
    assert.equal(cache.stats.entries, 0);
  });
});
