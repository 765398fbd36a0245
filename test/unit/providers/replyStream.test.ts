import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompilerError, isAbortError } from '../../../src/base/errors';
import { ReplyText, ReplyWatchdog, replyFailure } from '../../../src/providers/replyStream';

describe('the reply pipeline both model backends share', () => {
  it('cuts the text before a stop sequence split across chunks, and ends the reply there', () => {
    const reply = new ReplyText({ stop: ['<END>'] });
    assert.equal(reply.push('plan <E'), 'plan ');
    assert.equal(reply.done, false);
    assert.equal(reply.push('ND> more'), '');
    assert.equal(reply.done, true);
    assert.equal(reply.flush(), '');
    assert.equal(reply.written, 'plan ');
  });

  it('ends a reply whose reasoning passes eight characters per output token asked', () => {
    const reply = new ReplyText({ maxOutputTokens: 2 });
    reply.reason('x'.repeat(16));
    assert.equal(reply.done, false);
    reply.reason('x');
    assert.equal(reply.done, true);
  });

  it('estimates the usage of a reply the server did not count, its tool calls included', () => {
    const reply = new ReplyText({});
    reply.push('abcd');
    reply.call({ id: 'c1', name: 'grep', input: { pattern: 'x' } });
    assert.equal(reply.written, 'abcdgrep{"pattern":"x"}');
    const usage = reply.estimatedUsage([{ role: 'user', content: 'hi' }]);
    assert.equal(usage.estimated, true);
    assert.ok(usage.inputTokens > 0 && usage.outputTokens > 0);
  });

  it('says a failure is a cancellation once the caller aborted, keeps CompilerErrors, and maps the rest', () => {
    const map = () => new CompilerError('model-error', 'mapped');
    const caller = new AbortController();
    assert.equal((replyFailure(new CompilerError('rate-limited', 'slow down'), caller.signal, map) as CompilerError).reason, 'rate-limited');
    assert.equal((replyFailure(new TypeError('socket'), caller.signal, map) as CompilerError).message, 'mapped');
    caller.abort();
    assert.ok(isAbortError(replyFailure(new TypeError('socket'), caller.signal, map)));
  });

  it('aborts a request whose response does not start in time, and says so', async () => {
    const controller = new AbortController();
    const watchdog = new ReplyWatchdog(controller, { startMs: 20, firstProgressMs: 10_000, idleMs: 10_000 });
    await sleep(60);
    assert.equal(controller.signal.aborted, true);
    assert.equal(watchdog.fired, 'late');
    watchdog.dispose();
  });

  it('aborts a started response that stops making progress, but not while the consumer has it', async () => {
    const paused = new AbortController();
    const patient = new ReplyWatchdog(paused, { firstProgressMs: 20, idleMs: 20 });
    patient.started();
    patient.progress();
    patient.pause();
    await sleep(60);
    assert.equal(paused.signal.aborted, false, 'the consumer\'s time is not the server\'s silence');
    patient.dispose();

    const controller = new AbortController();
    const watchdog = new ReplyWatchdog(controller, { startMs: 10_000, firstProgressMs: 20, idleMs: 10_000 });
    watchdog.started();
    await sleep(60);
    assert.equal(watchdog.fired, 'stalled');
    assert.equal(watchdog.sawProgress, false);
    assert.equal(controller.signal.aborted, true);
    watchdog.dispose();
  });
});
