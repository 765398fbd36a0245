import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAbortError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { requireRipgrep } from '../../../support/backends';
import { rawRgMatches } from '../../../support/oracles';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

/** Patterns JavaScript's RegExp reads differently from rg, or backtracks on for ever. */
const CASES: Array<{ pattern: string; caseSensitive: boolean }> = [
  { pattern: '\\p{Han}+', caseSensitive: true },
  { pattern: '(?i)CONTENT-TYPE', caseSensitive: true },
  { pattern: 'crlf$', caseSensitive: true },
  { pattern: 'lf$', caseSensitive: true },
  { pattern: '(a+)+$', caseSensitive: true },
  { pattern: '^\\w+:\\s', caseSensitive: false },
  { pattern: '\\-\\d', caseSensitive: true },
];

describe('grep on the JavaScript fallback reads regular expressions as ripgrep does', () => {
  let root: string;
  const tools = createNodeTools({ useRipgrep: false, symbolTools: false });
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-regex-')));
    fs.writeFileSync(path.join(root, 'han.txt'), 'plain\n漢字 text\nmore 中文\n');
    fs.writeFileSync(path.join(root, 'headers.txt'), 'Content-Type: text/plain\ncontent-type: x\nAccept: */*\n');
    fs.writeFileSync(path.join(root, 'crlf.txt'), 'ends in crlf\r\nends in lf\nvalue -1\r\n');
    // Catastrophic for a backtracking engine: every line fails only after trying every split of the run of a.
    fs.writeFileSync(path.join(root, 'runs.txt'), `${'a'.repeat(40)}!\n`.repeat(50) + 'aaa\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const { pattern, caseSensitive } of CASES) {
    it(`finds the lines raw ripgrep finds for ${pattern}`, async function () {
      const rg = requireRipgrep(this);
      const started = Date.now();
      const out = await runTool(tools, 'grep', { pattern, regex: true, case_sensitive: caseSensitive, max_results: 500 }, toolContext([root]));
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      const found = (out.value as unknown as Array<{ path: string; line: number }>).map((m) => `${m.path}:${m.line}`).sort();
      assert.deepEqual(found, rawRgMatches(rg, root, pattern, { ignoreCase: !caseSensitive }));
    });
  }

  it('stops a long search when cancelled, without blocking the event loop', async () => {
    const big = path.join(root, 'big.txt');
    fs.writeFileSync(big, `${'b'.repeat(60)}\n`.repeat(300_000));
    try {
      const controller = new AbortController();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      setTimeout(() => controller.abort(), 200);
      const started = Date.now();
      const error = await rejectionOf(
        runTool(tools, 'grep', { pattern: '(b+)+c', regex: true, max_results: 500 }, toolContext([root], { signal: controller.signal })),
      );
      clearInterval(ticker);
      assert.ok(isAbortError(error), String(error));
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      assert.ok(ticks >= 5, `the event loop ran ${ticks} timer ticks`);
    } finally {
      fs.unlinkSync(big);
    }
  });
});
