import assert from 'node:assert/strict';
import { notifyEach } from '../../../src/base/notifyEach';

describe('notifyEach', () => {
  it('calls every listener in order with the arguments', () => {
    const heard: string[] = [];
    const listeners = new Set([(a: string, n: number) => heard.push(`1:${a}${n}`), (a: string, n: number) => heard.push(`2:${a}${n}`)]);
    notifyEach(listeners, ['x', 1], 'a listener');
    assert.deepEqual(heard, ['1:x1', '2:x1']);
  });

  it('removes a listener that throws, reports it once, and keeps calling the others', () => {
    const heard: number[] = [];
    const reported: unknown[] = [];
    const broken = () => {
      throw new Error('broken view');
    };
    const listeners = new Set<(n: number) => void>([broken, (n) => heard.push(n)]);
    const error = console.error;
    console.error = (...args: unknown[]) => void reported.push(args[1]);
    try {
      notifyEach(listeners, [1], 'a listener');
      notifyEach(listeners, [2], 'a listener');
    } finally {
      console.error = error;
    }
    assert.deepEqual(heard, [1, 2]);
    assert.equal(listeners.has(broken), false);
    assert.equal(reported.length, 1);
    assert.match(String(reported[0]), /broken view/);
  });

  it('lets a listener remove another during a call without skipping anyone', () => {
    const heard: string[] = [];
    const listeners = new Set<() => void>();
    const second = () => heard.push('second');
    listeners.add(() => {
      heard.push('first');
      listeners.delete(second);
    });
    listeners.add(second);
    notifyEach(listeners, [], 'a listener');
    assert.deepEqual(heard, ['first', 'second']);
  });
});
