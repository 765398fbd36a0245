import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import type { ToolOutput } from '../../../../src/shared/toolContract';
import { forEachBackend, requireRipgrep } from '../../../support/backends';
import { useGitFixture } from '../../../support/gitFixture';
import { gitVisibleFiles, rawRgMatches } from '../../../support/oracles';
import type { RawMatchOptions } from '../../../support/oracles';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

interface Match {
  path: string;
  line: number;
  column: number;
  text: string;
}

function matchKeys(out: ToolOutput): string[] {
  return (out.value as unknown as Match[]).map((m) => `${m.path}:${m.line}`).sort();
}

/** Tool arguments and the equivalent raw ripgrep options. */
const QUERIES: Array<{ args: Record<string, string | boolean>; raw: RawMatchOptions & { pattern: string } }> = [
  { args: { pattern: 'add(' }, raw: { pattern: 'add(', fixed: true, ignoreCase: true } },
  { args: { pattern: 'ADD(', case_sensitive: true }, raw: { pattern: 'ADD(', fixed: true } },
  { args: { pattern: 'Add(', case_sensitive: true }, raw: { pattern: 'Add(', fixed: true } },
  { args: { pattern: 'Calculator', case_sensitive: true }, raw: { pattern: 'Calculator', fixed: true } },
  { args: { pattern: '^export (function|class) \\w+', regex: true }, raw: { pattern: '^export (function|class) \\w+', ignoreCase: true } },
  { args: { pattern: "+ '!'", regex: false }, raw: { pattern: "+ '!'", fixed: true, ignoreCase: true } },
  { args: { pattern: 'return', glob: 'src/**' }, raw: { pattern: 'return', fixed: true, ignoreCase: true, globs: ['src/**'] } },
  { args: { pattern: 'add', glob: '*.log' }, raw: { pattern: 'add', fixed: true, ignoreCase: true, globs: ['*.log'] } },
  { args: { pattern: 'grüße' }, raw: { pattern: 'grüße', fixed: true, ignoreCase: true } },
  { args: { pattern: 'utf-16', }, raw: { pattern: 'utf-16', fixed: true, ignoreCase: true } },
  { args: { pattern: 'line \\d+0 of', regex: true, glob: 'data/*' }, raw: { pattern: 'line \\d+0 of', ignoreCase: true, globs: ['data/*'] } },
];

describe('grep', () => {
  const fx = useGitFixture();

  forEachBackend((backend) => {
    const tools = backend.tools();
    const grep = (args: Record<string, string | number | boolean>, maxChars = 100_000) =>
      runTool(tools, 'grep', args, toolContext([fx.repo], { maxChars }));

    for (const { args, raw } of QUERIES) {
      it(`finds the lines raw ripgrep finds for ${JSON.stringify(args)}`, async function () {
        const rg = requireRipgrep(this);
        const out = await grep({ ...args, max_results: 500 });
        // An include glob must not bring back ignored files: git says which files are visible.
        const visible = new Set(gitVisibleFiles(fx.repo));
        const expected = rawRgMatches(rg, fx.repo, raw.pattern, raw).filter((k) => visible.has(k.slice(0, k.lastIndexOf(':'))));
        assert.deepEqual(matchKeys(out), expected);
        if (args.pattern !== 'ADD(' && args.glob !== '*.log') assert.ok(expected.length > 0, 'the fixture has matches');
      });
    }

    it('skips ignored files, binary files and whatever symbolic links point to', async () => {
      const out = await grep({ pattern: 'add(' });
      const files = new Set((out.value as unknown as Match[]).map((m) => m.path));
      for (const hidden of ['debug.log', 'build/out.js', '.env', 'docs/draft.tmp', 'assets/logo.png', 'links/secret.txt', 'links/math-link.ts']) {
        assert.ok(!files.has(hidden), hidden);
      }
      assert.ok(!out.text.includes('outside secret'));
      assert.deepEqual([...files].sort(), ['lib/legacy.js', 'src/main.ts', 'src/math.ts']);
    });

    it('does not search ignored folders or follow links named in the glob', async () => {
      for (const glob of ['build/**', 'build/*.js', 'links/outside-dir/*', 'links/**', '*.log', '.env', 'docs/*.tmp']) {
        const out = await grep({ pattern: 'add', glob });
        const files = (out.value as unknown as Match[]).map((m) => m.path);
        assert.ok(files.every((f) => f === 'important.log'), `${glob}: ${files.join(', ')}`);
        assert.ok(!out.text.includes('outside secret'));
      }
    });

    it('reports 1-based lines and UTF-16 columns, with locations', async () => {
      const out = await grep({ pattern: 'München' });
      const [m] = out.value as unknown as Match[];
      const line = 'Non-ASCII file name. Grüße aus München.';
      assert.deepEqual(m, { path: 'docs/über.md', line: 3, column: line.indexOf('München') + 1, text: line });
      assert.deepEqual(out.locations, [{ path: path.join(fx.repo, 'docs', 'über.md'), relPath: 'docs/über.md', line: 3, column: m.column }]);
      const japanese = await grep({ pattern: 'japan}' });
      const jm = (japanese.value as unknown as Match[])[0];
      const source = fs.readFileSync(path.join(fx.repo, 'src', '日本.ts'), 'utf8').split('\n')[jm.line - 1];
      assert.equal(jm.column, source.indexOf('japan}') + 1);
    });

    it('groups lines by file in its text', async () => {
      const out = await grep({ pattern: 'add(', case_sensitive: true });
      assert.equal(
        out.text,
        [
          '5 matching lines in 2 files for "add(" (literal, case-sensitive):',
          ...(backend.name === 'ripgrep' ? [] : ['(searched by the JavaScript fallback: ripgrep was not found; it reads patterns as ripgrep does)']),
          'src/main.ts',
          '  5:   calc.add(2).add(3);',
          '  6:   return add(calc.result(), 1);',
          'src/math.ts',
          '  1: export function add(a: number, b: number): number {',
          '  12:   add(value: number): this {',
          '  13:     this.total = add(this.total, value);',
        ].join('\n'),
      );
    });

    it('shows context lines, marked with "-", and separates distant groups', async () => {
      const out = await grep({ pattern: 'multiply', context_lines: 1, case_sensitive: true });
      assert.match(out.text, /src\/math\.ts\n {2}4- \n {2}5: export function multiply\(a: number, b: number\): number \{\n {2}6- {3}return a \* b;/);
      assert.deepEqual(matchKeys(out), ['src/math.ts:5']);
    });

    it('stops at max_results and says more exist', async () => {
      const out = await grep({ pattern: 'of the long file', max_results: 7 });
      assert.equal((out.value as unknown[]).length, 7);
      assert.equal(out.truncated, true);
      assert.match(out.text, /^First 7 matching lines in 1 file for "of the long file" .* — more exist/);
    });

    it('keeps its text within ctx.maxChars with a visible marker', async () => {
      const out = await grep({ pattern: 'of the long file', max_results: 500 }, 400);
      assert.ok(out.text.length <= 400, `${out.text.length}`);
      assert.match(out.text, /… \[truncated: \d+ more lines; narrow the search/);
    });

    it('treats regex metacharacters literally unless regex=true', async () => {
      const literal = await grep({ pattern: 'a + b' });
      assert.deepEqual(matchKeys(literal), ['lib/legacy.js:2', 'src/math.ts:2']);
      const regex = await grep({ pattern: 'a + b', regex: true });
      assert.deepEqual(matchKeys(regex), []);
    });

    it('reports a malformed regular expression as invalid-args', async () => {
      const error = await rejectionOf(grep({ pattern: '(unclosed', regex: true }));
      assert.ok(error instanceof CompilerError, String(error));
      assert.equal(error.reason, 'invalid-args');
    });

    it('honours the extra exclude globs', async () => {
      const excluding = backend.tools({ excludeGlobs: ['**/lib'] });
      const out = await runTool(excluding, 'grep', { pattern: 'add(' }, toolContext([fx.repo]));
      assert.ok(!(out.value as unknown as Match[]).some((m) => m.path.startsWith('lib/')));
      assert.ok((out.value as unknown as Match[]).some((m) => m.path === 'src/math.ts'));
    });

    it('says plainly when nothing matches', async () => {
      const out = await grep({ pattern: 'no such text anywhere' });
      const fallbackNote = '\n(searched by the JavaScript fallback: ripgrep was not found; it reads patterns as ripgrep does)';
      assert.equal(out.text, `No matches for "no such text anywhere" (literal, ignoring case).${backend.name === 'ripgrep' ? '' : fallbackNote}`);
      assert.deepEqual(out.value, []);
    });
  });
});
