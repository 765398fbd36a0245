// Smoke test of the real-VS-Code harness: code-server starts with this extension installed, the
// workbench opens the workspace, and the command palette runs commands.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, runCommand, screenshot } from './browser';
import { listInstalledExtensions, repoRoot, startCodeServer } from './codeServer';
import type { CodeServer } from './codeServer';
import { makeWorkspace, removeWorkspace } from './fixtureWorkspace';

describe('workbench in code-server', function () {
  this.timeout(180_000);
  let workspace: string;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    workspace = makeWorkspace({ 'src/main.ts': 'export function main(): number {\n  return 1;\n}\n', 'README.md': '# Fixture\n' });
    server = await startCodeServer({ extensionDir: repoRoot, workspaceFolder: workspace });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `workbench-${this.currentTest.title}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workspace) removeWorkspace(workspace);
  });

  it('sees the extension installed from its unpacked folder', () => {
    const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, string>;
    assert.ok(listInstalledExtensions(server!.extensionsDir).includes(`${publisher}.${name}@${version}`));
  });

  it('opens the workspace folder in the Explorer', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'src' }).first().waitFor({ timeout: 30_000 });
  });

  it('runs a command from the command palette', async () => {
    await runCommand(page, 'File: New Untitled Text File');
    await page.locator('.tabs-container .tab', { hasText: 'Untitled-1' }).waitFor({ timeout: 15_000 });
  });
});
