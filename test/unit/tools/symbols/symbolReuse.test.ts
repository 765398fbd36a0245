import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultCache } from '../../../../src/core/resultCache';
import { runQuestion } from '../../../../src/core/runQuestion';
import { ToolRegistry } from '../../../../src/core/toolRegistry';
import type { CompilerEvent, EventOf } from '../../../../src/shared/runEvents';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { createResultCache } from '../../../../src/host/session';
import { createScriptedModel } from '../../../support/scriptedModel';

// Symbol results reused across questions depend on every file the language service's program read: besides the
// workspace's listed sources, modules and declarations it reached through imports past the ignore rules, and files a
// user named earlier (e.g. one in node_modules).

const FILES: Record<string, string> = {
  '.gitignore': 'gen/\nnode_modules/\n',
  'gen/api.ts': 'export function generated(): number {\n  return 1;\n}\n',
  'gen/shapes.d.ts': 'export interface Shape {\n  area(): number;\n}\n',
  'src/main.ts': "import { generated } from '../gen/api';\nimport type { Shape } from '../gen/shapes';\nexport const total: number = generated();\nexport function areaOf(s: Shape): number {\n  return s.area();\n}\n",
  'node_modules/vendor/index.js': 'function vendored() {\n  return 2;\n}\nmodule.exports = { vendored };\n',
};

/** Files written moments ago may not yet be told apart from later edits by their timestamps; wait that out. */
const SETTLE_MS = 150;

describe('symbol results reused across questions', function () {
  this.timeout(120_000);
  let root: string;
  let cache: ResultCache;
  const tools = new ToolRegistry(createNodeTools());

  beforeEach(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-symreuse-')));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    cache = createResultCache();
    await sleep(SETTLE_MS);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Runs one question whose plan is `plan` in the session; the finished tasks by id. */
  async function ask(plan: string[]): Promise<Map<number, EventOf<'task-finished'>>> {
    const events: CompilerEvent[] = [];
    const text = `${plan.map((line, i) => `${i + 1}. ${line}`).join('\n')}\njoin()\n<END_OF_PLAN>`;
    const summary = await runQuestion({
      question: 'q',
      model: createScriptedModel(() => text),
      joinerModel: createScriptedModel(() => 'Thought: Enough.\nAction: Finish(Done.)'),
      tools,
      roots: [root],
      observer: (e) => events.push(e),
      resultCache: cache,
    });
    assert.equal(summary.outcome, 'answered', JSON.stringify(summary.error));
    const finished = new Map<number, EventOf<'task-finished'>>();
    for (const e of events) if (e.type === 'task-finished') finished.set(e.id, e);
    return finished;
  }

  const statuses = (finished: Map<number, EventOf<'task-finished'>>) => [...finished.keys()].sort().map((id) => finished.get(id)!.status);

  it('answers afresh after an edit of an ignored module the program imports', async () => {
    const plan = ['symbols("generated")', 'definition("generated")', 'references("src/main.ts:3:30")'];
    const first = await ask(plan);
    assert.deepEqual(statuses(first), ['ok', 'ok', 'ok']);
    assert.match(first.get(1)!.text, /function generated — gen\/api\.ts:1/);
    assert.deepEqual(statuses(await ask(plan)), ['cached', 'cached', 'cached'], 'unchanged: reused');

    // Same size, new place: only the ignored file changes.
    fs.writeFileSync(path.join(root, 'gen/api.ts'), '\nexport function generated(): number {\n  return 1;\n}\n');
    const third = await ask(plan);
    assert.deepEqual(statuses(third), ['ok', 'ok', 'ok']);
    assert.match(third.get(1)!.text, /function generated — gen\/api\.ts:2/);
    assert.match(third.get(2)!.text, /gen\/api\.ts:2/);
    assert.match(third.get(3)!.text, /gen\/api\.ts\n\s+2:17:/);
  });

  it('answers afresh after an edit of an ignored declaration file', async () => {
    const plan = ['symbols("Shape")', 'references("area")'];
    await ask(plan);
    assert.deepEqual(statuses(await ask(plan)), ['cached', 'cached']);
    fs.writeFileSync(path.join(root, 'gen/shapes.d.ts'), 'export interface Shape {\n  area(): number;\n}\nexport interface Shape3 {\n  area(): number;\n}\n');
    const third = await ask(plan);
    assert.deepEqual(statuses(third), ['ok', 'ok']);
    assert.match(third.get(1)!.text, /interface Shape3 — gen\/shapes\.d\.ts:4/);
    assert.match(third.get(2)!.text, /gen\/shapes\.d\.ts:5|5:3:/);
  });

  it('answers afresh after an edit of a file named earlier that the listing skips', async () => {
    // A location in the file puts it into the program; later symbol calls read it as well. (An outline reads the
    // file alone and leaves the program as it is.)
    await ask(['definition("node_modules/vendor/index.js:1")']);
    const plan = ['symbols("vendored")'];
    const first = await ask(plan);
    assert.match(first.get(1)!.text, /function vendored — node_modules\/vendor\/index\.js:1/);
    assert.deepEqual(statuses(await ask(plan)), ['cached']);
    fs.writeFileSync(path.join(root, 'node_modules/vendor/index.js'), '\nfunction vendored() {\n  return 2;\n}\nmodule.exports = { vendored };\n');
    const third = await ask(plan);
    assert.deepEqual(statuses(third), ['ok']);
    assert.match(third.get(1)!.text, /function vendored — node_modules\/vendor\/index\.js:2/);
  });

  it('answers afresh after a file is added to an ignored folder a tsconfig takes files from', async () => {
    // Generated code: the project's config includes src/, the ignore rules leave out src/generated/.
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
    fs.writeFileSync(path.join(root, '.gitignore'), 'gen/\nnode_modules/\nsrc/generated/\n');
    fs.mkdirSync(path.join(root, 'src/generated/deep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/generated/alpha.ts'), 'export const alphaValue = 1;\n');
    fs.writeFileSync(path.join(root, 'src/generated/deep/gamma.ts'), 'export const gammaValue = 3;\n');
    await sleep(SETTLE_MS);
    const plan = ['symbols("betaValue")', 'symbols("alphaValue")'];
    const first = await ask(plan);
    assert.match(first.get(2)!.text, /alphaValue — src\/generated\/alpha\.ts:1/);
    assert.deepEqual(statuses(await ask(plan)), ['cached', 'cached'], 'unchanged: reused');

    fs.writeFileSync(path.join(root, 'src/generated/beta.ts'), 'export const betaValue = 2;\n');
    await sleep(SETTLE_MS);
    assert.deepEqual(statuses(await ask(plan)), ['ok', 'ok'], 'a file added where the config looks: answered afresh');
    assert.deepEqual(statuses(await ask(plan)), ['cached', 'cached']);
    fs.writeFileSync(path.join(root, 'src/generated/deep/delta.ts'), 'export const deltaValue = 4;\n');
    await sleep(SETTLE_MS);
    assert.deepEqual(statuses(await ask(plan)), ['ok', 'ok'], 'and in a folder below it');
  });
});
