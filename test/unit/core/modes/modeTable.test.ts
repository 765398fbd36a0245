import assert from 'node:assert/strict';
import { MODE_TABLE } from '../../../../src/core/modes/modeTable';
import { MODEL_PURPOSES, RUN_MODES } from '../../../../src/shared/modes';

describe('the mode table: how each mode runs', () => {
  it('has one entry per mode of the shared table, and no other', () => {
    assert.deepEqual(Object.keys(MODE_TABLE).sort(), [...RUN_MODES].sort());
  });

  it('uses only known purposes, and every purpose is some mode\'s', () => {
    const used = new Set(Object.values(MODE_TABLE).flatMap((rules) => rules.purposes));
    for (const purpose of used) assert.ok(MODEL_PURPOSES.includes(purpose), purpose);
    assert.deepEqual([...used].sort(), [...MODEL_PURPOSES].sort());
  });

  it('runs plan-and-execute\'s tasks one by one, and plans eagerly only in the compiler', () => {
    assert.equal(MODE_TABLE['plan-execute'].maxConcurrency, 1);
    assert.deepEqual(RUN_MODES.filter((m) => MODE_TABLE[m].planning === 'eager'), ['compiler']);
  });
});
