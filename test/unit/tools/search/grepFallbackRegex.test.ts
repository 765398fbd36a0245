import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAbortError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { compilePattern } from '../../../../src/tools/search/lineSearch';
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

  it('never blocks the event loop on one huge line, and stops on cancel while matching it', async function () {
    this.timeout(120_000);
    // One 2 MB line a regex costs microseconds per character on: linear, yet one match call takes many seconds.
    // Unicode `\\w` keeps rg's engine off its fast automaton: linear, yet seconds on this line.
    const pattern = '\\w{1,100}\\d';
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-huge-line-')));
    const line = 'a'.repeat(2_000_000);
    fs.writeFileSync(path.join(dir, 'line.txt'), `${line}\n`);
    try {
      // What one synchronous match of the whole line would block for, from the faster of two runs on a slice of it.
      const slice = 20_000;
      const match = await compilePattern({ pattern, regex: true, caseSensitive: true });
      let sliceMs = Infinity;
      for (let k = 0; k < 2; k++) {
        const t0 = performance.now();
        match.find(line.slice(0, slice));
        sliceMs = Math.min(sliceMs, performance.now() - t0);
      }
      const wholeLineMs = (sliceMs * line.length) / slice;

      const controller = new AbortController();
      let last = performance.now();
      let maxStall = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        maxStall = Math.max(maxStall, now - last);
        last = now;
      }, 5);
      const started = performance.now();
      let firedAt: number | undefined;
      const timer = setTimeout(() => {
        firedAt = performance.now() - started;
        controller.abort();
      }, 300);
      const outcome = await runTool(tools, 'grep', { pattern, regex: true, case_sensitive: true }, toolContext([dir], { signal: controller.signal })).then(
        () => undefined,
        (error: unknown) => error,
      );
      const ended = performance.now() - started;
      clearInterval(ticker);
      clearTimeout(timer);
      maxStall = Math.max(maxStall, performance.now() - last);
      assert.ok(wholeLineMs > 3_000, `one match call on the line takes ${wholeLineMs.toFixed(0)} ms`);
      assert.ok(firedAt !== undefined && firedAt < 3_000, `the cancel timer fired ${firedAt === undefined ? `only after the call ended, after ${ended.toFixed(0)} ms` : `at ${firedAt.toFixed(0)} ms`}`);
      assert.ok(maxStall < 1_000 && maxStall < wholeLineMs / 4, `the event loop stalled ${maxStall.toFixed(0)} ms (one match call: ${wholeLineMs.toFixed(0)} ms)`);
      assert.ok(isAbortError(outcome), `the call ended in ${String(outcome)}`);
      assert.ok(ended < 5_000, `the cancelled call ended after ${ended.toFixed(0)} ms`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds a match on a huge line, as ripgrep does', async function () {
    const rg = requireRipgrep(this);
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-grep-huge-match-')));
    fs.writeFileSync(path.join(dir, 'line.txt'), `x\n${'ab'.repeat(1_000_000)}c\ny\n`);
    try {
      const out = await runTool(tools, 'grep', { pattern: '(ab)+c$', regex: true, case_sensitive: true, context_lines: 1 }, toolContext([dir]));
      const found = (out.value as unknown as Array<{ path: string; line: number }>).map((m) => `${m.path}:${m.line}`);
      assert.deepEqual(found, rawRgMatches(rg, dir, '(ab)+c$', {}));
      assert.match(out.text, /^ {2}1- x$/m);
      assert.match(out.text, /^ {2}3- y$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
