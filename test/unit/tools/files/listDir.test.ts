import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { useGitFixture } from '../../../support/gitFixture';
import { gitVisibleFiles } from '../../../support/oracles';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';

interface Entry {
  path: string;
  type: string;
}

describe('list_dir', () => {
  const fx = useGitFixture();
  const tools = createNodeTools({ symbolTools: false });
  const list = (args: Record<string, string | number>, roots = [fx.repo]) => runTool(tools, 'list_dir', args, toolContext(roots));

  it('lists exactly the files git does not ignore (plus symbolic links), folders first', async () => {
    const out = await list({ depth: 6 });
    const entries = out.value as unknown as Entry[];
    const files = entries.filter((e) => e.type === 'file').map((e) => e.path).sort();
    assert.deepEqual(files, gitVisibleFiles(fx.repo));
    assert.deepEqual(entries.filter((e) => e.type === 'symlink').map((e) => e.path).sort(), ['links/math-link.ts', 'links/outside-dir', 'links/secret.txt']);
    for (const hidden of ['.git', 'debug.log', 'build', '.env', 'docs/draft.tmp']) {
      assert.ok(!entries.some((e) => e.path === hidden || e.path.startsWith(`${hidden}/`)), hidden);
    }
    assert.ok(!out.text.includes('outside secret'));
  });

  it('draws an indented tree: folders with "/", links with "@"', async () => {
    const out = await list({ path: 'src' });
    assert.equal(out.text, ['src/', '  greet.ts', '  helpers.ts', '  main.ts', '  math.ts', '  日本.ts'].join('\n'));
    const top = await list({ depth: 1 });
    assert.equal(
      top.text,
      ['./', '  assets/', '  data/', '  docs/', '  lib/', '  links/', '  scripts/', '  src/', '  .gitignore', '  README.md', '  important.log'].join('\n'),
    );
    const links = await list({ path: 'links' });
    assert.equal(links.text, ['links/', '  math-link.ts@', '  outside-dir@', '  secret.txt@'].join('\n'));
  });

  it('honours depth', async () => {
    const two = (await list({ depth: 2 })).value as unknown as Entry[];
    assert.ok(two.some((e) => e.path === 'src/math.ts'));
    const one = (await list({ depth: 1 })).value as unknown as Entry[];
    assert.ok(!one.some((e) => e.path.includes('/')));
  });

  it('applies nested ignore files to a listed subfolder', async () => {
    const out = await list({ path: 'docs' });
    assert.deepEqual((out.value as unknown as Entry[]).map((e) => e.path), ['docs/.gitignore', 'docs/bom.txt', 'docs/utf16be.txt', 'docs/utf16le.txt', 'docs/über.md']);
  });

  it('lists every root of a multi-root workspace under its name', async () => {
    const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-list-')));
    try {
      fs.writeFileSync(path.join(other, 'a.txt'), 'a\n');
      const out = await list({ depth: 1 }, [fx.repo, other]);
      const name = path.basename(other);
      assert.ok(out.text.startsWith('repo/\n  assets/'));
      assert.ok(out.text.endsWith(`${name}/\n  a.txt`));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('describes a file instead of listing it, and reports missing folders', async () => {
    const out = await list({ path: 'README.md' });
    assert.equal(out.text, `README.md (file, ${fs.statSync(path.join(fx.repo, 'README.md')).size} bytes)`);
    const error = await rejectionOf(list({ path: 'nope' }));
    assert.equal((error as CompilerError).reason, 'not-found');
  });

  it('keeps its text within ctx.maxChars', async () => {
    const out = await runTool(tools, 'list_dir', { depth: 6 }, toolContext([fx.repo], { maxChars: 100 }));
    assert.ok(out.text.length <= 100);
    assert.match(out.text, /… \[truncated: \d+ more lines; list a subfolder or lower depth\]$/);
  });
});
