import assert from 'node:assert/strict';
import { childController, raceAbort, sleep } from '../../../src/base/abortable';
import { isAbortError } from '../../../src/base/errors';

describe('abortable', () => {
  describe('childController', () => {
    it('aborts with its parent, with the parent\'s reason, and alone when aborted itself', () => {
      const parent = new AbortController();
      const a = childController(parent.signal);
      const b = childController(parent.signal);
      b.controller.abort('own');
      assert.equal(parent.signal.aborted, false, 'a child never aborts its parent');
      assert.equal(a.controller.signal.aborted, false, 'nor its sibling');
      parent.abort('stop');
      assert.equal(a.controller.signal.aborted, true);
      assert.equal(a.controller.signal.reason, 'stop');
      assert.equal(b.controller.signal.reason, 'own', 'an aborted child keeps its own reason');
    });

    it('starts aborted under an aborted parent', () => {
      const parent = new AbortController();
      parent.abort('early');
      const { controller } = childController(parent.signal);
      assert.equal(controller.signal.aborted, true);
      assert.equal(controller.signal.reason, 'early');
    });

    it('is detached by dispose: the parent aborting later leaves it alone and holds no listener', () => {
      const parent = new AbortController();
      let listeners = 0;
      const add = parent.signal.addEventListener.bind(parent.signal);
      const remove = parent.signal.removeEventListener.bind(parent.signal);
      parent.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => (listeners++, add(...args))) as AbortSignal['addEventListener'];
      parent.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => (listeners--, remove(...args))) as AbortSignal['removeEventListener'];
      const { controller, dispose } = childController(parent.signal);
      assert.equal(listeners, 1);
      dispose();
      assert.equal(listeners, 0);
      parent.abort();
      assert.equal(controller.signal.aborted, false);
    });
  });

  it('raceAbort rejects as an abort at once and leaves the promise settle unobserved', async () => {
    const controller = new AbortController();
    const never = new Promise<void>(() => undefined);
    const raced = raceAbort(never, controller.signal);
    controller.abort();
    await assert.rejects(raced, (error) => isAbortError(error));
    await assert.rejects(raceAbort(Promise.reject(new Error('late')), controller.signal), (error) => isAbortError(error));
  });

  it('sleep ends early with an abort error', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await assert.rejects(slept, (error) => isAbortError(error));
  });
});
