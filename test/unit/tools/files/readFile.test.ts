import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { LONG_LINES, LOGO, MATH_TS, SUBTRACT_TS, useGitFixture } from '../../../support/gitFixture';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

describe('read_file', () => {
  const fx = useGitFixture();
  const tools = createNodeTools({ symbolTools: false });
  const read = (args: Record<string, string | number>, maxChars = 100_000) =>
    runTool(tools, 'read_file', args, toolContext([fx.repo], { maxChars }));

  it('shows the whole file as numbered lines matching the file on disk', async () => {
    const out = await read({ path: 'src/math.ts' });
    const lines = (MATH_TS + SUBTRACT_TS).replace(/\n$/, '').split('\n');
    const width = String(lines.length).length;
    assert.equal(out.text, [`src/math.ts (${lines.length} lines):`, ...lines.map((l, i) => `${String(i + 1).padStart(width)}: ${l}`)].join('\n'));
    assert.deepEqual(out.value, { path: 'src/math.ts', startLine: 1, endLine: lines.length, totalLines: lines.length, content: lines.join('\n') });
    assert.deepEqual(out.locations, [{ path: path.join(fx.repo, 'src', 'math.ts'), relPath: 'src/math.ts', line: 1, endLine: lines.length }]);
    assert.equal(out.truncated, false);
  });

  it('counts one line in the singular', async () => {
    fs.writeFileSync(path.join(fx.repo, 'one-line.txt'), 'only line\n');
    try {
      const out = await read({ path: 'one-line.txt' });
      assert.equal(out.text, 'one-line.txt (1 line):\n1: only line');
      const past = await rejectionOf(read({ path: 'one-line.txt', start_line: 3 }));
      assert.match(past.message, /which has 1 line\./);
    } finally {
      fs.unlinkSync(path.join(fx.repo, 'one-line.txt'));
    }
  });

  it('shows an inclusive 1-based line range', async () => {
    const out = await read({ path: 'data/long.txt', start_line: 10, end_line: 12 });
    assert.equal(out.text, `data/long.txt (lines 10-12 of ${LONG_LINES}):\n10: line 10 of the long file\n11: line 11 of the long file\n12: line 12 of the long file`);
    assert.equal((out.value as { content: string }).content, 'line 10 of the long file\nline 11 of the long file\nline 12 of the long file');
  });

  it('clamps an end_line past the end, and refuses a start_line past it', async () => {
    const out = await read({ path: 'src/main.ts', start_line: 6, end_line: 999 });
    assert.match(out.text, /^src\/main\.ts \(lines 6-7 of 7\):\n6:   return add/);
    const error = await rejectionOf(read({ path: 'src/main.ts', start_line: 50 }));
    assert.ok(error instanceof CompilerError);
    assert.equal(error.reason, 'invalid-args');
    assert.match(error.message, /has 7 lines/);
    const reversed = await rejectionOf(read({ path: 'src/main.ts', start_line: 5, end_line: 2 }));
    assert.equal((reversed as CompilerError).reason, 'invalid-args');
  });

  it('cuts a long file to the budget with a marker that counts the rest', async () => {
    const out = await read({ path: 'data/long.txt' }, 2_000);
    assert.ok(out.text.length <= 2_000);
    assert.equal(out.truncated, true);
    const shown = out.text.split('\n').filter((l) => /^\s*\d+: /.test(l)).length;
    assert.ok(shown > 10);
    assert.ok(out.text.endsWith(`… [truncated: ${LONG_LINES - shown} more lines; use start_line/end_line]`), out.text.slice(-120));
    assert.equal((out.value as { endLine: number }).endLine, shown);
  });

  it('reports a binary file with its size instead of its bytes', async () => {
    const out = await read({ path: 'assets/logo.png' });
    assert.equal(out.text, `assets/logo.png: binary file, ${LOGO.length} bytes (not shown).`);
    assert.deepEqual(out.value, { path: 'assets/logo.png', binary: true, size: fs.statSync(path.join(fx.repo, 'assets/logo.png')).size });
  });

  it('decodes UTF-16 LE, UTF-16 BE and UTF-8 with a byte-order mark', async () => {
    const le = await read({ path: 'docs/utf16le.txt' });
    assert.equal(le.text, 'docs/utf16le.txt (2 lines; utf-16le):\n1: Hello UTF-16 LE\n2: second line ü');
    const be = await read({ path: 'docs/utf16be.txt' });
    assert.equal(be.text, 'docs/utf16be.txt (2 lines; utf-16be):\n1: Hello UTF-16 BE\n2: second line ö');
    const bom = await read({ path: 'docs/bom.txt' });
    assert.equal(bom.text, 'docs/bom.txt (1 line; utf-8 BOM):\n1: BOM file ä');
  });

  it('reads non-ASCII file names and CRLF files', async () => {
    const out = await read({ path: 'docs/über.md' });
    assert.match(out.text, /^docs\/über\.md \(3 lines\):\n1: # Über\n2: \n3: Non-ASCII file name\. Grüße aus München\.$/);
    fs.writeFileSync(path.join(fx.repo, 'crlf.txt'), 'one\r\ntwo\r\n');
    const crlf = await read({ path: 'crlf.txt' });
    assert.equal(crlf.text, 'crlf.txt (2 lines):\n1: one\n2: two');
    fs.unlinkSync(path.join(fx.repo, 'crlf.txt'));
  });

  it('reads through a symbolic link that stays inside, naming the target', async () => {
    const out = await read({ path: 'links/math-link.ts', start_line: 1, end_line: 1 });
    assert.match(out.text, /^src\/math\.ts \(lines 1-1 of \d+\):\n1: export function add/);
  });

  it('reports an empty file, a folder and a missing file', async () => {
    fs.writeFileSync(path.join(fx.repo, 'empty.txt'), '');
    assert.equal((await read({ path: 'empty.txt' })).text, 'empty.txt: empty file.');
    fs.unlinkSync(path.join(fx.repo, 'empty.txt'));
    const folder = await rejectionOf(read({ path: 'src' }));
    assert.equal((folder as CompilerError).reason, 'invalid-args');
    assert.match(folder.message, /use list_dir/);
    const missing = await rejectionOf(read({ path: 'src/missing.ts' }));
    assert.equal((missing as CompilerError).reason, 'not-found');
  });

  it('clips a very long line and still reports it', async () => {
    fs.writeFileSync(path.join(fx.repo, 'minified.js'), `${'x'.repeat(5_000)}\n`);
    const out = await read({ path: 'minified.js' });
    fs.unlinkSync(path.join(fx.repo, 'minified.js'));
    assert.ok(out.text.length < 1_000);
    assert.match(out.text, /… \[\+4500 chars\]$/);
  });
});
