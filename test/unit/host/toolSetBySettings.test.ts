import assert from 'node:assert/strict';
import { ToolSetBySettings } from '../../../src/host/toolSetBySettings';
import type { Tool } from '../../../src/shared/toolContract';

describe('the workspace tools kept per settings', () => {
  it('builds once per settings, and closes the set before when the settings change', () => {
    const sets = new ToolSetBySettings();
    const closed: string[] = [];
    let builds = 0;
    const build = (name: string) => () => {
      builds++;
      return { tools: [{ name } as Tool], close: () => closed.push(name) };
    };
    const first = sets.tools('a', build('a'));
    assert.equal(sets.tools('a', build('never')), first);
    assert.equal(builds, 1);
    assert.deepEqual(closed, []);
    assert.equal(sets.tools('b', build('b'))[0]!.name, 'b');
    assert.deepEqual(closed, ['a']);
    sets.close();
    assert.deepEqual(closed, ['a', 'b']);
  });

});
