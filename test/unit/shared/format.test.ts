import assert from 'node:assert/strict';
import { clip, formatClock, formatCount, formatLocation, formatMs, formatTokens, plural } from '../../../src/shared/format';

describe('format', () => {
  it('writes durations in ms, tenths of seconds, seconds and minutes', () => {
    assert.equal(formatMs(42.4), '42 ms');
    assert.equal(formatMs(3400), '3.4 s');
    assert.equal(formatMs(3421), '3.4 s');
    assert.equal(formatMs(42_000), '42 s');
    assert.equal(formatMs(60_000), '1 min');
    assert.equal(formatMs(72_000), '1 min 12 s');
  });

  it('rounds before choosing the unit, so no duration reads 1000 ms, 10.0 s, 60 s or 1 min 60 s', () => {
    assert.equal(formatMs(999.6), '1.0 s');
    assert.equal(formatMs(9_960), '10 s');
    assert.equal(formatMs(59_700), '1 min');
    assert.equal(formatMs(119_700), '2 min');
  });

  it('writes a time that is not a number as a dash', () => {
    assert.equal(formatMs(Number.NaN), '–');
    assert.equal(formatMs(Number.POSITIVE_INFINITY), '–');
  });

  it('writes counts and tokens the same on every machine', () => {
    assert.equal(formatCount(1234.4), '1,234');
    assert.equal(formatTokens(9_876), '9,876');
    assert.equal(formatTokens(12_345), '12.3k');
    assert.equal(plural(1, 'task'), '1 task');
    assert.equal(plural(1200, 'task'), '1,200 tasks');
    assert.equal(plural(2, 'match', 'matches'), '2 matches');
  });

  it('clips text to one line with a mark', () => {
    assert.equal(clip('a\n  b', 10), 'a b');
    assert.equal(clip('abcdefghij', 5), 'abcd…');
  });

  it('writes clock times and locations as editors do', () => {
    assert.match(formatClock(Date.UTC(2024, 0, 1, 12, 3, 4)), /^\d\d:03:04$/);
    assert.equal(formatLocation({ relPath: 'src/a.ts', path: '/w/src/a.ts', line: 3, column: 7 }), 'src/a.ts:3:7');
    assert.equal(formatLocation({ relPath: 'src/a.ts', path: '/w/src/a.ts', line: 3 }), 'src/a.ts:3');
    assert.equal(formatLocation({ relPath: '', path: '/w/src/a.ts' }), '/w/src/a.ts');
  });
});
