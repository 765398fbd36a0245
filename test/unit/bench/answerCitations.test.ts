import assert from 'node:assert/strict';
import type { JsonObject } from '../../../src/shared/json';
import type { ToolContext } from '../../../src/shared/toolContract';
import { createNodeToolSet } from '../../../src/tools/nodeTools';
import type { ShownResult } from '../../bench/suite/answerCitations';
import { unbackedCitations } from '../../bench/suite/answerCitations';
import { useGitFixture } from '../../support/gitFixture';
import { runTool, toolContext } from '../../support/toolHarness';

// src/math.ts of the fixture: add (lines 1-3), multiply (5-7), class Calculator (9-20), subtract (22-24), written by
// the commit `subtract`.

describe('unbackedCitations', function () {
  // The symbol tools build a language service on their first call.
  this.timeout(60_000);
  const fx = useGitFixture();
  const set = createNodeToolSet();
  after(() => set.close());
  /** A real tool's result, as the run's trace keeps it. */
  const shown = async (tool: string, args: JsonObject, ctx: Partial<ToolContext> = {}): Promise<ShownResult> => {
    const { text, locations } = await runTool(set.tools, tool, args, toolContext([fx.repo], ctx));
    return { text, locations };
  };

  it('takes a cited line inside a read range as shown, and one outside it as not', async () => {
    const read = await shown('read_file', { path: 'src/math.ts', start_line: 5, end_line: 7 });
    assert.deepEqual(unbackedCitations('`multiply` (src/math.ts:6), all of it (src/math.ts:5-7).', [read]), []);
    assert.deepEqual(unbackedCitations('`Calculator` (src/math.ts:9); `multiply` on (src/math.ts:6-9).', [read]), ['src/math.ts:9', 'src/math.ts:6-9']);
  });

  it('takes a read as showing only the lines its text kept, not the whole range asked for', async () => {
    // A budget that cuts the read after a few lines: the rest of the range was asked for, not shown.
    const read = await shown('read_file', { path: 'src/math.ts' }, { maxChars: 160 });
    assert.match(read.text ?? '', /truncated/);
    assert.deepEqual(unbackedCitations('`add` (src/math.ts:1), `subtract` (src/math.ts:22).', [read]), ['src/math.ts:22']);
  });

  it('takes a grep hit and its context lines as shown, not the lines between hits', async () => {
    const grep = await shown('grep', { pattern: 'return a', glob: 'src/**' });
    assert.deepEqual(unbackedCitations('(src/math.ts:2, :23)', [grep]), []);
    assert.deepEqual(unbackedCitations('`add` ends at src/math.ts:3; sums at src/math.ts:2-6.', [grep]), ['src/math.ts:3', 'src/math.ts:2-6']);
    const withContext = await shown('grep', { pattern: 'return a', glob: 'src/**', context_lines: 1 });
    assert.deepEqual(unbackedCitations('`add` (src/math.ts:1-3)', [withContext]), []);
  });

  it('takes a hit a result cut off its text as not shown, though its locations list it', async () => {
    const grep = await shown('grep', { pattern: 'number', glob: 'src/math.ts' }, { maxChars: 150 });
    assert.ok(grep.locations?.some((l) => l.line === 22), 'the cut hit is still among the locations');
    assert.doesNotMatch(grep.text ?? '', /^\s*22:/m);
    assert.deepEqual(unbackedCitations('`subtract` (src/math.ts:22)', [grep]), ['src/math.ts:22']);
  });

  it('takes a bare :line as a line of the file named last', async () => {
    const read = await shown('read_file', { path: 'src/math.ts', start_line: 1, end_line: 3 });
    assert.deepEqual(unbackedCitations('(src/math.ts:1, :2) and (:6)', [read]), ['src/math.ts:6']);
  });

  it('takes a blamed line and the commit the blame names as shown, and another commit as not', async () => {
    const blame = await shown('git_blame', { path: 'src/math.ts', start_line: 22, end_line: 22 });
    const { subtract, init } = fx.commits;
    assert.deepEqual(unbackedCitations(`\`subtract\` (src/math.ts:22) came in ${subtract.slice(0, 7)}.`, [blame]), []);
    assert.deepEqual(unbackedCitations(`\`subtract\` (src/math.ts:22-23) came in ${init.slice(0, 7)}.`, [blame]), ['src/math.ts:22-23', init.slice(0, 7)]);
  });

  it('takes a commit named in a log as shown', async () => {
    const log = await shown('git_log', { path: 'src/math.ts', max_count: 1 });
    assert.deepEqual(unbackedCitations(`last changed in ${fx.commits.subtract.slice(0, 7)}`, [log]), []);
    assert.deepEqual(unbackedCitations(`first written in ${fx.commits.init.slice(0, 7)}`, [log]), [fx.commits.init.slice(0, 7)]);
  });

  it('takes an outline\'s declaration lines and ranges as shown, not the lines inside a declaration', async () => {
    const outline = await shown('outline', { path: 'src/math.ts' });
    assert.deepEqual(unbackedCitations('`Calculator` (src/math.ts:9-20), `subtract` (src/math.ts:22)', [outline]), []);
    assert.deepEqual(unbackedCitations('`Calculator` adds with `add` (src/math.ts:13)', [outline]), ['src/math.ts:13']);
  });

  it('takes the places a definition and a references search give as shown', async () => {
    const definition = await shown('definition', { name_or_location: 'subtract' });
    const references = await shown('references', { name_or_location: 'src/math.ts:1' });
    const answer = '`subtract` (src/math.ts:22); `add` is used by `Calculator.add` (src/math.ts:13) and `main` (src/main.ts:6).';
    assert.deepEqual(unbackedCitations(answer, [definition, references]), []);
    assert.deepEqual(unbackedCitations(answer, [definition]), ['src/math.ts:13', 'src/main.ts:6']);
  });

  it('checks citations of any kind of file, not only TypeScript', async () => {
    const read = await shown('read_file', { path: 'lib/legacy.js', start_line: 1, end_line: 3 });
    assert.deepEqual(unbackedCitations('`legacyAdd` (lib/legacy.js:1-3), exported at lib/legacy.js:5.', [read]), ['lib/legacy.js:5']);
  });

  it('does not take a line of one file for the line of another whose path ends the same', () => {
    const result: ShownResult = {
      text: 'vendor/src/math.ts (lines 5-5 of 24):\n5: export function multiply(a: number, b: number): number {',
      locations: [{ path: '/w/vendor/src/math.ts', relPath: 'vendor/src/math.ts', line: 5, endLine: 5 }],
    };
    assert.deepEqual(unbackedCitations('(vendor/src/math.ts:5)', [result]), []);
    assert.deepEqual(unbackedCitations('(src/math.ts:5)', [result]), ['src/math.ts:5']);
  });
});
