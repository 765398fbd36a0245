import assert from 'node:assert/strict';
import { isFileLocation, isHostMessage, isWebviewMessage } from '../../../src/shared/protocol';
import { parallelRun } from '../../webview/runFixtures';

const location = { path: '/w/src/a.ts', relPath: 'src/a.ts', line: 3, column: 1 };

describe('panel protocol guards', () => {
  it('accepts what the webview may send', () => {
    for (const m of [{ type: 'ready' }, { type: 'openLocation', location }, { type: 'selectRun', runId: 'r' }, { type: 'cancel', runId: 'r' }]) {
      assert.ok(isWebviewMessage(m), JSON.stringify(m));
    }
  });

  it('refuses anything else from the webview', () => {
    const bad = [
      null,
      'ready',
      [],
      { type: 'eval', code: '1' },
      { type: 'selectRun' },
      { type: 'selectRun', runId: '' },
      { type: 'cancel', runId: 5 },
      { type: 'openLocation' },
      { type: 'openLocation', location: { ...location, line: 0 } },
      { type: 'openLocation', location: { ...location, column: 1.5 } },
      { type: 'openLocation', location: { relPath: 'a.ts' } },
      { type: 'openLocation', location: { ...location, path: '' } },
      { type: 'selectRun', runId: 'x'.repeat(201) },
    ];
    for (const m of bad) assert.ok(!isWebviewMessage(m), JSON.stringify(m));
  });

  it('checks locations', () => {
    assert.ok(isFileLocation({ path: '/a', relPath: 'a' }));
    assert.ok(!isFileLocation({ path: '/a', relPath: 'a', endLine: -1 }));
  });

  it('accepts the host’s messages and refuses malformed ones', () => {
    const events = parallelRun();
    const item = { runId: 'r', question: 'q', mode: 'compiler', model: 'm', startedAt: 1, tasks: 0, cancellable: false };
    assert.ok(isHostMessage({ type: 'event', runId: 'r', event: events[0] }));
    assert.ok(isHostMessage({ type: 'showRun', runId: 'r', events }));
    assert.ok(isHostMessage({ type: 'runs', runs: [item] }));
    for (const m of [
      { type: 'event', runId: 'r', event: { type: 'nope', t: 0 } },
      { type: 'event', runId: 'r', event: { type: 'run-start' } },
      { type: 'showRun', runId: 'r', events: [null] },
      { type: 'runs', runs: [{ ...item, cancellable: 'yes' }] },
      { type: 'runs' },
      { type: 'ready' },
    ]) {
      assert.ok(!isHostMessage(m), JSON.stringify(m));
    }
  });
});
