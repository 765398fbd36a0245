import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { forEachBackend, requireRipgrep } from '../../../support/backends';
import { rawRgFiles } from '../../../support/oracles';
import { runTool, toolContext } from '../../../support/toolHarness';

const SHOWN = 2_000;

describe('find_files on a tree of more files than it counts', () => {
  let root: string;
  before(function () {
    this.timeout(120_000);
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-find-large-')));
    // 24,000 files in 30 shallow folders, found in the first rounds of any walk, and 1,500 files that sort first
    // at the bottom of a folder chain ten deep, found last.
    for (let d = 0; d < 30; d++) {
      const dir = path.join(root, `m${String(d).padStart(2, '0')}`);
      fs.mkdirSync(dir);
      for (let f = 0; f < 800; f++) fs.writeFileSync(path.join(dir, `f${f}.txt`), '');
    }
    const deep = path.join(root, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
    fs.mkdirSync(deep, { recursive: true });
    for (let f = 0; f < 1_500; f++) fs.writeFileSync(path.join(deep, `d${f}.txt`), '');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const answers = new Map<string, string>();
  forEachBackend((backend) => {
    const tools = backend.tools({ symbolTools: false });

    it('shows the first files by path and the exact total, the same on every run', async function () {
      this.timeout(120_000);
      const rg = requireRipgrep(this);
      const all = rawRgFiles(rg, root);
      assert.equal(all.length, 25_500);
      for (let run = 0; run < 3; run++) {
        const out = await runTool(tools, 'find_files', { glob: '**', max_results: SHOWN }, toolContext([root], { maxChars: 200_000 }));
        assert.deepEqual(out.value, all.slice(0, SHOWN), `run ${run}`);
        assert.match(out.text, new RegExp(`^${all.length} files match "\\*\\*" \\(first ${SHOWN} shown\\)`), `run ${run}`);
        assert.equal(out.truncated, true);
        answers.set(`${backend.name} ${run}`, out.text);
      }
      const txt = await runTool(tools, 'find_files', { glob: 'm2*/*.txt', max_results: 5 }, toolContext([root]));
      assert.deepEqual(txt.value, all.filter((f) => f.startsWith('m2')).slice(0, 5));
      assert.match(txt.text, /^8000 files match/);
    });
  });

  describe('on both backends', () => {
    it('gives the same answer on ripgrep and on the JavaScript fallback', function () {
      requireRipgrep(this);
      assert.equal(answers.size, 6, 'three runs on each backend');
      assert.equal(new Set(answers.values()).size, 1);
    });
  });
});
