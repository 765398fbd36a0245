// The packaged extension: `npm run package` builds a .vsix that installs into a real VS Code and runs there.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { runCommand, screenshot, waitForWebviewFrame } from './browser';
import { listInstalledExtensions, repoRoot } from './codeServer';
import { useWorkbench } from './workbenchFixture';

describe('the packaged .vsix in code-server', function () {
  this.timeout(300_000);
  const wb = useWorkbench({
    shotPrefix: 'vsix',
    workspace: { 'src/main.ts': 'export function main(): number {\n  return 1;\n}\n' },
    install: 'vsix',
  });

  it('installs from the .vsix', () => {
    const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, string>;
    assert.ok(listInstalledExtensions(wb.server.extensionsDir).includes(`${publisher}.${name}@${version}`));
  });

  it('ships the modules its bundle loads on first use, beside it', () => {
    const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, string>;
    const dist = path.join(wb.server.extensionsDir, `${publisher}.${name}-${version}`, 'dist');
    assert.ok(fs.existsSync(path.join(dist, 'tsSymbolsWorker.js')), 'the symbol worker is packaged');
    assert.ok(fs.existsSync(path.join(dist, 'jsSearchWorker.js')), 'the grep fallback\'s worker is packaged');
    // The tokenizer is required by a computed name, which vsce cannot see: it is listed in .vscodeignore by hand.
    const tokenizer = createRequire(__filename)(path.join(dist, 'tokenizer.js')) as { countTokens(text: string): number };
    assert.equal(tokenizer.countTokens('hello world'), 2);
  });

  it('activates and opens the task-graph panel from the packaged bundle', async () => {
    await runCommand(wb.page, 'LLM Compiler: Show Task Graph', { timeoutMs: 90_000 });
    const frame = await waitForWebviewFrame(wb.page, 'text=No runs yet', { extensionId: wb.server.extensionId, timeoutMs: 60_000 });
    // The panel's stylesheet came from the package too: its theme variables are applied.
    const styled = await frame.evaluate(() => [...document.styleSheets].some((s) => (s.href ?? '').includes('panel.css')));
    assert.ok(styled, 'panel.css is loaded from the package');
    await screenshot(wb.page, 'vsix-panel');
  });
});
