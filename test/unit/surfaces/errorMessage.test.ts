import assert from 'node:assert/strict';
import { COMMANDS } from '../../../src/surfaces/commandIds';
import { describeError } from '../../../src/surfaces/errorMessage';
import type { ErrorReason } from '../../../src/base/errors';

describe('error messages', () => {
  it('offers to set the API key when the key was rejected', () => {
    const e = describeError({ reason: 'model-auth', message: 'Incorrect API key provided' });
    assert.match(e.message, /rejected the API key/);
    assert.ok(e.actions.some((a) => a.command === COMMANDS.setApiKey));
  });

  it('says what to configure when no model is available', () => {
    const e = describeError({ reason: 'no-model', message: 'none' });
    assert.match(e.message, /llmCompiler\.openai\.baseUrl/);
    assert.ok(e.actions.some((a) => a.command === 'workbench.action.openSettings'));
  });

  it('keeps the original message as escaped detail, for every reason', () => {
    const reasons: ErrorReason[] = ['model-unreachable', 'rate-limited', 'unusable-plan', 'internal', 'timeout'];
    for (const reason of reasons) {
      const e = describeError({ reason, message: 'bad *thing* <x>' });
      assert.ok(e.message.includes('bad \\*thing\\* \\<x\\>'), reason);
      assert.ok(e.message.startsWith('**'), reason);
    }
  });
});
