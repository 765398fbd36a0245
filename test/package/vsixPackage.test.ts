// `npm run package` as a user of the extension gets it: the .vsix itself, read with unzip.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const VSIX = path.join(ROOT, 'llm-compiler.vsix');
const run = promisify(execFile);

describe('npm run package: the .vsix', function () {
  this.timeout(300_000);
  let entries: string[];

  before(async () => {
    await run('npm', ['run', 'package'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    entries = (await run('unzip', ['-Z1', VSIX])).stdout.split('\n').filter(Boolean);
  });

  it('holds the icon and names it in its manifest', async () => {
    const { icon } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { icon: string };
    assert.ok(entries.includes(`extension/${icon}`), icon);
    const manifest = (await run('unzip', ['-p', VSIX, 'extension.vsixmanifest'])).stdout;
    assert.match(manifest, new RegExp(`Type="Microsoft\\.VisualStudio\\.Services\\.Icons\\.Default" Path="extension/${icon.replace(/\./g, '\\.')}"`));
  });

  it("holds the README's images", () => {
    const images = [...readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    assert.ok(images.length >= 2, `images: ${images.join(', ')}`);
    assert.deepEqual(images.filter((image) => !entries.includes(`extension/${image}`)), []);
  });

  it('holds the CLI and every worker it loads beside it, without source maps', () => {
    for (const bundle of ['cli.js', 'extension.js', 'tsSymbolsWorker.js', 'jsSearchWorker.js', 'tokenizer.js', 'webview.js']) {
      assert.ok(entries.includes(`extension/dist/${bundle}`), bundle);
    }
    assert.deepEqual(entries.filter((e) => e.endsWith('.map') || e.includes('/src/') || e.includes('/test/')), []);
  });
});
