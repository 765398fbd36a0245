import assert from 'node:assert/strict';
import { TaskSchedule } from '../../../src/core/taskSchedule';

describe('TaskSchedule', () => {
  it('starts independent tasks at once, up to the concurrency bound', () => {
    const s = new TaskSchedule(2);
    assert.deepEqual(s.add(1, []).start, [1]);
    assert.deepEqual(s.add(2, []).start, [2]);
    assert.deepEqual(s.add(3, []).start, [], 'third waits for a slot');
    assert.deepEqual(s.complete(1, true).start, [3], 'a freed slot goes to the oldest ready task');
    assert.equal(s.runningCount, 2);
  });

  it('starts a dependent task in the step that completes its last dependency', () => {
    const s = new TaskSchedule(8);
    s.add(1, []);
    s.add(2, []);
    assert.deepEqual(s.add(3, [1, 2]).start, []);
    assert.deepEqual(s.complete(2, true).start, []);
    assert.deepEqual(s.complete(1, true).start, [3]);
  });

  it('starts a task whose dependencies already succeeded when it is added', () => {
    const s = new TaskSchedule(8);
    s.add(1, []);
    s.complete(1, true);
    assert.deepEqual(s.add(2, [1]).start, [2]);
  });

  it('skips every dependent of a failure, naming the root failure, and lets the rest go on', () => {
    const s = new TaskSchedule(8);
    s.add(1, []);
    s.add(2, []);
    s.add(3, [1]);
    s.add(4, [3, 2]);
    const step = s.complete(1, false);
    assert.deepEqual(step.skip, [
      { id: 3, failedDep: 1 },
      { id: 4, failedDep: 1 },
    ]);
    assert.deepEqual(s.pending, [2]);
    assert.deepEqual(s.complete(2, true).start, []);
    assert.ok(s.isIdle());
  });

  it('skips a chain of 100 000 dependents of a failure without recursion', () => {
    const s = new TaskSchedule(8);
    s.add(1, []);
    for (let id = 2; id <= 100_000; id++) s.add(id, [id - 1]);
    const step = s.complete(1, false);
    assert.equal(step.skip.length, 99_999);
    assert.deepEqual(step.skip[0], { id: 2, failedDep: 1 });
    assert.deepEqual(step.skip.at(-1), { id: 100_000, failedDep: 1 });
    assert.ok(s.isIdle());
  });

  it('lists skips depth first in id order when a failure fans out', () => {
    const s = new TaskSchedule(8);
    s.add(1, []);
    s.add(2, [1]);
    s.add(3, [1]);
    s.add(4, [2]);
    s.add(5, [3, 4]);
    assert.deepEqual(s.complete(1, false).skip.map((k) => k.id), [2, 4, 5, 3]);
  });

  it('skips a task added after its dependency failed', () => {
    const s = new TaskSchedule(8);
    s.add(1, []);
    s.add(2, [1]);
    s.complete(1, false);
    assert.deepEqual(s.add(3, [2]).skip, [{ id: 3, failedDep: 1 }]);
  });

  it('rejects a task that never runs and skips its dependents without using a slot', () => {
    const s = new TaskSchedule(1);
    s.add(1, []);
    s.add(2, []);
    s.add(3, [2]);
    const step = s.reject(2);
    assert.deepEqual(step.skip, [{ id: 3, failedDep: 2 }]);
    assert.equal(s.runningCount, 1);
    assert.deepEqual(s.pending, [1]);
  });

  it('holds ready tasks until released', () => {
    const s = new TaskSchedule(1);
    s.hold();
    assert.deepEqual(s.add(1, []).start, []);
    assert.deepEqual(s.add(2, []).start, []);
    assert.deepEqual(s.release().start, [1]);
    assert.deepEqual(s.complete(1, true).start, [2]);
  });

  it('refuses impossible transitions', () => {
    const s = new TaskSchedule(1);
    s.add(1, []);
    assert.throws(() => s.add(1, []), /already scheduled/);
    assert.throws(() => s.add(2, [9]), /unknown task 9/);
    assert.throws(() => s.complete(5, true), /not running/);
    assert.throws(() => new TaskSchedule(0), RangeError);
  });
});

describe('TaskSchedule.addFailed', () => {
  it('records a task that can never run and skips what is added after it', () => {
    const s = new TaskSchedule(1);
    s.addFailed(1, []);
    assert.equal(s.runningCount, 0);
    assert.deepEqual(s.add(2, [1]).skip, [{ id: 2, failedDep: 1 }]);
    assert.deepEqual(s.add(3, []).start, [3]);
  });
});
