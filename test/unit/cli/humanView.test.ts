import assert from 'node:assert/strict';
import { HumanView } from '../../../src/cli/humanView';
import { createStyle } from '../../../src/cli/cliStyle';
import type { CompilerEvent, LlmCallOutcome } from '../../../src/shared/runEvents';

function progress(outcome: LlmCallOutcome | undefined): string {
  let err = '';
  const plain = createStyle({ isTTY: false }, {});
  const view = new HumanView({ write: () => true }, { write: (t: string) => (err += t) }, plain);
  const event: CompilerEvent = {
    type: 'llm-end',
    t: 1200,
    call: 1,
    purpose: 'planner',
    round: 1,
    inputTokens: 10,
    outputTokens: 0,
    estimated: true,
    start: 0,
    end: 1200,
    ...(outcome ? { outcome } : {}),
    ...(outcome === 'failed' ? { error: { reason: 'model-unreachable', message: 'no server' } } : {}),
  } as CompilerEvent;
  view.observe(event);
  return err.trim();
}

describe('HumanView', () => {
  it('says how each model call ended', () => {
    assert.match(progress('failed'), /planner round 1 failed after 1\.2 s \(model-unreachable\)$/);
    assert.match(progress('truncated'), /planner round 1 stopped at the output limit after 1\.2 s/);
    assert.match(progress('cancelled'), /planner round 1 cancelled after 1\.2 s$/);
    assert.match(progress('ok'), /planner round 1 done in 1\.2 s/);
    assert.match(progress(undefined), /planner round 1 done in 1\.2 s/);
  });
});
