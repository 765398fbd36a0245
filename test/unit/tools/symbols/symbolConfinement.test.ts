import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { askThroughModelServer } from '../../../support/leakCheck';
import { runTool, toolContext } from '../../../support/toolHarness';

const OUTSIDE = 'OUTSIDE-THE-WORKSPACE';

/**
 * A workspace whose code imports files through a symbolic link to a folder outside it: the language service must
 * not read them, as read_file does not.
 */
describe('symbol tools stay in the workspace', function () {
  this.timeout(60_000);
  let base: string;
  let root: string;
  const tools = createNodeTools();

  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-symlinks-')));
    root = path.join(base, 'ws');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(path.join(outside, 'deep'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'leak.ts'), `export function leakedHelper(): string { return '${OUTSIDE}'; }\n`);
    fs.writeFileSync(path.join(outside, 'deep', 'other.ts'), `export const deepLeak = '${OUTSIDE} deep';\n`);
    fs.writeFileSync(path.join(outside, 'single.ts'), `export const singleLeak = '${OUTSIDE} single';\n`);
    fs.symlinkSync(outside, path.join(root, 'linked'));
    fs.symlinkSync(path.join(outside, 'single.ts'), path.join(root, 'src', 'single.ts'));
    fs.writeFileSync(
      path.join(root, 'src', 'uses.ts'),
      "import { leakedHelper } from '../linked/leak';\nimport { deepLeak } from '../linked/deep/other';\nimport { singleLeak } from './single';\n\nexport function useIt(): string {\n  return leakedHelper() + deepLeak + singleLeak;\n}\n",
    );
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  const run = (name: string, args: Record<string, string>) => runTool(tools, name, args, toolContext([root])).then((o) => JSON.stringify(o), (e: Error) => e.message);

  it('returns no text of a file reached through a symbolic link that leads out', async () => {
    const outputs = [
      await run('symbols', { query: 'leakedHelper' }),
      await run('symbols', { query: 'deepLeak' }),
      await run('symbols', { query: 'singleLeak' }),
      await run('definition', { name_or_location: 'leakedHelper' }),
      await run('definition', { name_or_location: 'src/uses.ts:6:10' }),
      await run('definition', { name_or_location: 'src/uses.ts:6:28' }),
      await run('references', { name_or_location: 'leakedHelper' }),
      await run('references', { name_or_location: 'src/uses.ts:1:10' }),
      await run('outline', { path: 'src/uses.ts' }),
      await run('outline', { path: 'linked/leak.ts' }),
      await run('outline', { path: 'src/single.ts' }),
    ];
    for (const out of outputs) assert.ok(!out.includes(OUTSIDE) && !out.includes('"path":"linked/') && !out.includes('"path":"src/single.ts"'), out);
    // The workspace's own file is still served.
    assert.match(outputs[8], /useIt/);
  });

  it('sends none of it to the model endpoint', async () => {
    const asked = await askThroughModelServer(tools, [root], [
      'symbols("leakedHelper")',
      'definition("src/uses.ts:6:10")',
      'references("src/uses.ts:1:10")',
      'symbols("singleLeak")',
    ]);
    assert.equal(asked.taskTexts.length, 4);
    for (const text of asked.taskTexts) assert.ok(!text.includes(OUTSIDE), text);
    assert.ok(asked.sentToModel.includes('uses.ts'), 'the tool results reached the model');
    assert.ok(!asked.sentToModel.includes(OUTSIDE));
  });
});
