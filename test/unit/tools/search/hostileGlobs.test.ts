import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { forEachBackend, requireRipgrep } from '../../../support/backends';
import { rawRgFiles } from '../../../support/oracles';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

/** Lines that cost minimatch quadratic compiling, or a backtracking matcher exponential time, on long names. */
const HOSTILE_IGNORE_LINES = [
  '['.repeat(12_000),
  '{'.repeat(12_000),
  `${' '.repeat(12_000)}x`,
  `${'/'.repeat(12_000)}x`,
  `${'*a'.repeat(40)}*b`,
  `**/${'a/**/'.repeat(30)}b`,
  '{a,b}'.repeat(40),
];

describe('hostile globs and ignore files', () => {
  let root: string;
  const longName = `${'a'.repeat(200)}c`;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-hostile-globs-')));
    fs.writeFileSync(path.join(root, '.gitignore'), `${HOSTILE_IGNORE_LINES.join('\n')}\n*.log\n`);
    fs.writeFileSync(path.join(root, longName), 'x\n');
    fs.writeFileSync(path.join(root, 'skip.log'), 'x\n');
    fs.writeFileSync(path.join(root, 'x'), 'x\n');
    const deep = path.join(root, ...Array.from({ length: 40 }, () => 'a'));
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'c'), 'x\n');
    fs.writeFileSync(path.join(deep, 'b'), 'x\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists a folder whose .gitignore holds hostile lines at once, as git reads them', async () => {
    const started = Date.now();
    const out = await runTool(createNodeTools({ symbolTools: false }), 'list_dir', { depth: 1 }, toolContext([root]));
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    const names = (out.value as unknown as Array<{ path: string }>).map((e) => e.path).sort();
    assert.deepEqual(names, ['.gitignore', 'a', longName, 'x']);
  });

  forEachBackend((backend) => {
    it(`finds the files raw ripgrep finds under hostile ignore lines`, async function () {
      const rg = requireRipgrep(this);
      const started = Date.now();
      const out = await runTool(backend.tools({ symbolTools: false }), 'find_files', { glob: '**', max_results: 2000 }, toolContext([root]));
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
      assert.deepEqual([...(out.value as string[])].sort(), rawRgFiles(rg, root));
    });

    it(`refuses a glob of 8,000 [ at once as invalid-args`, async function () {
      const started = Date.now();
      const error = await rejectionOf(runTool(backend.tools({ symbolTools: false }), 'find_files', { glob: '['.repeat(8_000) }, toolContext([root])));
      assert.ok(error instanceof CompilerError && error.reason === 'invalid-args', String(error));
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    });

    it(`matches a glob of many stars against long names at once`, async function () {
      const started = Date.now();
      const out = await runTool(backend.tools({ symbolTools: false }), 'find_files', { glob: `${'*a'.repeat(30)}*` }, toolContext([root]));
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
      assert.deepEqual(out.value, [longName]);
    });
  });
});
