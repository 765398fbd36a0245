// Smoke test of the real-VS-Code harness: code-server starts with this extension installed, the
// workbench opens the workspace, and the command palette runs commands.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand } from './browser';
import { listInstalledExtensions, repoRoot } from './codeServer';
import { useWorkbench } from './workbenchFixture';

describe('workbench in code-server', function () {
  this.timeout(180_000);
  const wb = useWorkbench({
    shotPrefix: 'workbench',
    workspace: { 'src/main.ts': 'export function main(): number {\n  return 1;\n}\n', 'README.md': '# Fixture\n' },
  });

  it('sees the extension installed from its unpacked folder', () => {
    const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, string>;
    assert.ok(listInstalledExtensions(wb.server.extensionsDir).includes(`${publisher}.${name}@${version}`));
  });

  it('opens the workspace folder in the Explorer', async () => {
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'src' }).first().waitFor({ timeout: 30_000 });
  });

  it('runs a command from the command palette', async () => {
    await runCommand(wb.page, 'File: New Untitled Text File');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Untitled-1' }).waitFor({ timeout: 15_000 });
  });
});
