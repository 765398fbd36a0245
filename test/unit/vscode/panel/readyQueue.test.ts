import assert from 'node:assert/strict';
import { ReadyQueue } from '../../../../src/vscode/panel/readyQueue';

describe('ReadyQueue', () => {
  it('holds messages until ready, then sends them in order and passes later ones straight through', () => {
    const sent: number[] = [];
    const q = new ReadyQueue<number>((m) => sent.push(m));
    q.post(1);
    q.post(2);
    assert.deepEqual(sent, []);
    q.markReady();
    assert.deepEqual(sent, [1, 2]);
    q.post(3);
    assert.deepEqual(sent, [1, 2, 3]);
    assert.ok(q.ready);
  });

  it('queues again after a reset, keeping only the newest messages beyond its limit', () => {
    const sent: number[] = [];
    const q = new ReadyQueue<number>((m) => sent.push(m), 3);
    q.markReady();
    q.reset();
    for (let i = 1; i <= 5; i++) q.post(i);
    assert.deepEqual(sent, []);
    q.markReady();
    assert.deepEqual(sent, [3, 4, 5]);
  });
});
