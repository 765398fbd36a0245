import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createNodeSession } from '../../../src/host/nodeSession';
import { liveSymbolWorkers } from '../../../src/tools/symbols/symbolWorker';
import { waitFor } from '../../support/processes';

describe('the Node workspace tools of a session', function () {
  this.timeout(60_000);
  let repo: string;

  before(async () => {
    repo = await realpath(await mkdtemp(path.join(tmpdir(), 'llm-compiler-node-source-')));
    await writeFile(path.join(repo, 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  });
  after(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  it('end their language service when the session closes, as they end its other processes', async () => {
    const baseline = liveSymbolWorkers();
    const session = createNodeSession();
    const signal = new AbortController().signal;
    const found = await session.callTool('definition', { name_or_location: 'add' }, { roots: [repo], signal });
    assert.equal(found.status, 'ok', found.error?.message);
    assert.equal(liveSymbolWorkers(), baseline + 1, 'the symbol tools built their language service in a worker');
    await session.close();
    assert.ok(await waitFor(() => liveSymbolWorkers() === baseline, 10_000), 'the worker holding the language service exited with the session');
  });
});
