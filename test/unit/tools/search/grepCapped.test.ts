import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { forEachBackend, requireRipgrep } from '../../../support/backends';
import { RG_SELECTION } from '../../../support/oracles';
import { runTool, toolContext } from '../../../support/toolHarness';

interface Match {
  path: string;
  line: number;
  column: number;
}

/** The first `max` matching lines by path, then line: `rg --sort path` (one thread) read that far. */
function firstSorted(rg: string, root: string, pattern: string, max: number): string[] {
  const out = execFileSync(rg, ['--json', '--sort', 'path', ...RG_SELECTION, '--case-sensitive', '--fixed-strings', '--regexp', pattern, '.'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const keys: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.startsWith('{"type":"match"')) continue;
    const msg = JSON.parse(line) as { data: { path: { text: string }; line_number: number } };
    keys.push(`${msg.data.path.text.replace(/^\.\//, '')}:${msg.data.line_number}`);
  }
  return keys.slice(0, max);
}

describe('grep with max_results', () => {
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-capped-')));
    // Many folders of small files, so ripgrep's threads finish in a different order from run to run.
    for (let d = 0; d < 20; d++) {
      fs.mkdirSync(path.join(root, `dir${d}`));
      for (let f = 0; f < 30; f++) {
        fs.writeFileSync(path.join(root, `dir${d}`, `file${f}.txt`), Array.from({ length: 20 }, (_, i) => (i % 3 ? `pin ${d}/${f}/${i}` : 'hay')).join('\n'));
      }
    }
    fs.mkdirSync(path.join(root, 'zz-big'));
    // 20 MB of matching lines, and one 2 MB line that matches everywhere.
    fs.writeFileSync(path.join(root, 'zz-big', 'many-lines.txt'), 'a needle in a haystack\n'.repeat(900_000));
    fs.writeFileSync(path.join(root, 'zz-big', 'one-line.txt'), `${'needle '.repeat(300_000)}\n`);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  forEachBackend((backend) => {
    const tools = backend.tools({ symbolTools: false });
    const grep = (args: Record<string, string | number | boolean>) => runTool(tools, 'grep', args, toolContext([root], { maxChars: 20_000 }));
    const keys = (value: unknown) => (value as Match[]).map((m) => `${m.path}:${m.line}`);

    it('returns the same first matches on every run: the first by path, as rg --sort path finds them', async function () {
      const rg = requireRipgrep(this);
      const expected = firstSorted(rg, root, 'pin', 50);
      for (let run = 0; run < 3; run++) {
        const out = await grep({ pattern: 'pin', case_sensitive: true, max_results: 50 });
        assert.deepEqual(keys(out.value), expected, `run ${run}`);
        assert.equal(out.truncated, true);
      }
    });

    it('counts only the lines it may return: protected files ahead by path take none of the cap', async () => {
      // Eight environment files sort first and match many times; the first source file comes after them.
      const tree = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-protected-')));
      try {
        for (let d = 0; d < 8; d++) {
          fs.mkdirSync(path.join(tree, `a${d}`));
          fs.writeFileSync(path.join(tree, `a${d}`, '.env'), 'TOKEN=hunter2\n'.repeat(10));
        }
        fs.writeFileSync(path.join(tree, 'b.ts'), 'const TOKEN = 1;\nuse(TOKEN);\nagain(TOKEN);\n');
        fs.writeFileSync(path.join(tree, 'c.ts'), 'TOKEN;\nTOKEN;\nTOKEN;\n');
        const out = await runTool(tools, 'grep', { pattern: 'TOKEN', case_sensitive: true, max_results: 5 }, toolContext([tree]));
        assert.deepEqual(keys(out.value), ['b.ts:1', 'b.ts:2', 'b.ts:3', 'c.ts:1', 'c.ts:2']);
        assert.doesNotMatch(out.text, /hunter2/);
        // Not a word of the protected files: a note that came only when they matched would tell the pattern's
        // answer on their text.
        assert.doesNotMatch(out.text, /protected|\.env/);
      } finally {
        fs.rmSync(tree, { recursive: true, force: true });
      }
    });

    it('stops at max_results in a 20 MB file of matches, and in a 2 MB line, at once', async () => {
      const started = Date.now();
      const many = await grep({ pattern: 'needle', glob: 'zz-big/many-lines.txt', max_results: 500 });
      assert.equal((many.value as unknown as Match[]).length, 500);
      assert.deepEqual(keys(many.value).slice(0, 2), ['zz-big/many-lines.txt:1', 'zz-big/many-lines.txt:2']);
      const one = await grep({ pattern: 'needle', glob: 'zz-big/one-line.txt', max_results: 500 });
      assert.deepEqual(keys(one.value), ['zz-big/one-line.txt:1']);
      assert.ok(one.text.length < 20_000);
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    });
  });
});
