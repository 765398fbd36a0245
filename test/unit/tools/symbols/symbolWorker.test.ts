import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError, isAbortError } from '../../../../src/base/errors';
import type { Tool } from '../../../../src/shared/toolContract';
import { createDefinitionTool } from '../../../../src/tools/symbols/definition';
import { createSymbolsTool } from '../../../../src/tools/symbols/symbols';
import { liveSymbolWorkers } from '../../../../src/tools/symbols/symbolWorker';
import { ReadPolicy } from '../../../../src/tools/paths/readPolicy';
import type { NodeToolDeps } from '../../../../src/tools/toolDeps';
import { SymbolProjects } from '../../../../src/tools/symbols/tsProjects';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

/** A tree whose program takes the language service a noticeable time to build (about a second here). */
function createSymbolTree(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-symbols-')));
  for (let d = 0; d < 6; d++) {
    fs.mkdirSync(path.join(dir, `m${d}`));
    for (let f = 0; f < 20; f++) {
      const decls: string[] = [];
      for (let i = 0; i < 60; i++) {
        decls.push(
          `export class Widget${d}_${f}_${i} {\n  private count = ${i};\n  bump(by: number): number {\n    this.count += by;\n    return this.count;\n  }\n}\n` +
            `export function make${d}_${f}_${i}(n: number): Widget${d}_${f}_${i} {\n  const w = new Widget${d}_${f}_${i}();\n  w.bump(n);\n  return w;\n}\n`,
        );
      }
      fs.writeFileSync(path.join(dir, `m${d}`, `f${f}.ts`), decls.join(''));
    }
  }
  return dir;
}

function symbolTools(): { tools: Tool[]; projects: SymbolProjects } {
  const search = { ripgrep: undefined, excludeGlobs: [] };
  const projects = new SymbolProjects(search);
  const deps: NodeToolDeps = { search, gitPath: 'git', symbols: projects, readPolicy: () => new ReadPolicy() };
  return { tools: [createSymbolsTool(deps), createDefinitionTool(deps)], projects };
}

/** Counts event-loop turns until stopped. */
function countTurns(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), what);
}

describe('symbol worker', function () {
  this.timeout(60_000);
  let tree: string;
  /** Workers other suites keep warm. */
  let baseline: number;
  before(() => {
    tree = createSymbolTree();
    baseline = liveSymbolWorkers();
  });
  afterEach(() => waitUntil(() => liveSymbolWorkers() === baseline, 'every worker of the test exited'));
  after(() => fs.rmSync(tree, { recursive: true, force: true }));

  it('builds the language service off the main thread: the event loop keeps turning during the first call', async () => {
    const { tools, projects } = symbolTools();
    try {
      const turns = countTurns();
      const out = await runTool(tools, 'definition', { name_or_location: 'make3_7_42' }, toolContext([tree]));
      const count = turns.stop();
      assert.deepEqual(out.value, [
        { path: 'm3/f7.ts', line: 42 * 12 + 8, column: 17, text: 'export function make3_7_42(n: number): Widget3_7_42 {', name: 'make3_7_42', kind: 'function' },
      ]);
      // Listing the files (JavaScript walker) takes about ten turns; the build blocking the main thread would add
      // none. A free main thread turns many thousands of times while the worker builds.
      assert.ok(count > 1_000, `only ${count} event-loop turns during the call`);
    } finally {
      projects.close();
    }
  });

  it('ends a call at once when aborted mid-build, stops its worker, and starts a new one for the next call', async () => {
    const { tools, projects } = symbolTools();
    try {
      const controller = new AbortController();
      const call = rejectionOf(runTool(tools, 'symbols', { query: 'Widget5' }, toolContext([tree], { signal: controller.signal })));
      // The worker starts once the files are listed; the build has only just begun.
      await waitUntil(() => liveSymbolWorkers() > baseline, 'a worker started');
      controller.abort();
      // The rejection is already on its way: it wins against the next event-loop turn.
      const first = await Promise.race([call, new Promise<'late'>((resolve) => setImmediate(() => resolve('late')))]);
      assert.notEqual(first, 'late', 'the call did not end at once');
      const error = first as Error;
      assert.ok(isAbortError(error), String(error));
      assert.ok(!(error instanceof CompilerError));
      await waitUntil(() => liveSymbolWorkers() === baseline, 'the worker exited');

      const out = await runTool(tools, 'symbols', { query: 'Widget5_1_1' }, toolContext([tree]));
      assert.equal((out.value as Array<{ name: string }>)[0].name, 'Widget5_1_1');
    } finally {
      projects.close();
    }
  });

  it('runs queued calls one after another on one warm worker, and a queued call aborts alone', async () => {
    const { tools, projects } = symbolTools();
    try {
      const controller = new AbortController();
      const first = runTool(tools, 'definition', { name_or_location: 'Widget1_2_3' }, toolContext([tree]));
      const second = rejectionOf(runTool(tools, 'definition', { name_or_location: 'Widget1_2_4' }, toolContext([tree], { signal: controller.signal })));
      const third = runTool(tools, 'definition', { name_or_location: 'Widget1_2_5' }, toolContext([tree]));
      await waitUntil(() => liveSymbolWorkers() > baseline, 'a worker started');
      controller.abort();
      assert.ok(isAbortError(await second));
      const answers = await Promise.all([first, third]);
      assert.deepEqual(answers.map((o) => (o.value as Array<{ line: number }>)[0].line), [3 * 12 + 1, 5 * 12 + 1]);
      assert.equal(liveSymbolWorkers(), baseline + 1);
    } finally {
      projects.close();
    }
  });
});
