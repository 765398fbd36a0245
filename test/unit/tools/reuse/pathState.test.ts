import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { capturePath, pathUnchanged } from '../../../../src/tools/reuse/pathState';

describe('path states recorded after a read', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-pathstate-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('confirms a file unchanged since the read began', async () => {
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'one\n');
    await sleep(150);
    const state = await capturePath(file, Date.now());
    assert.equal(await pathUnchanged(state), true);
  });

  it('never confirms a file changed after the read began: the result may hold the earlier text', async () => {
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, 'one\n');
    const readAt = Date.now();
    await sleep(150);
    fs.writeFileSync(file, 'two\n');
    await sleep(150);
    const state = await capturePath(file, readAt);
    assert.equal(await pathUnchanged(state), false);
    // Recorded before the read, the same file is confirmed.
    assert.equal(await pathUnchanged(await capturePath(file)), true);
  });

  it('never confirms a file that was read and is gone now', async () => {
    const file = path.join(dir, 'gone.ts');
    const readAt = Date.now();
    assert.equal(await pathUnchanged(await capturePath(file, readAt)), false);
    assert.equal(await pathUnchanged(await capturePath(file)), true, 'an absence recorded before a read stays confirmed');
  });
});
