// One real VS Code for a suite: the extension built from this checkout (or its .vsix), a workspace folder, the
// loopback model server when the suite talks to a model, code-server and Chromium on its workbench; a failed
// test leaves a screenshot, and everything is stopped and removed after the suite.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createGitFixture } from '../support/gitFixture';
import type { GitFixture } from '../support/gitFixture';
import { startOpenAITestServer } from '../support/modelServer/openaiTestServer';
import type { OpenAITestServer } from '../support/modelServer/openaiTestServer';
import type { OpenAITestServerOptions } from '../support/modelServer/serverState';
import { launchBrowser, openWorkbench, screenshot } from './browser';
import { assertCodeServerInstalled, repoRoot, startCodeServer } from './codeServer';
import type { CodeServer } from './codeServer';
import { makeWorkspace, removeWorkspace } from './fixtureWorkspace';

export interface WorkbenchSetup {
  /** A failed test's screenshot is named `<shotPrefix>-<its title>`. */
  shotPrefix: string;
  /** The workspace: these files in a fresh folder, or the git fixture of the tool tests. */
  workspace: Record<string, string> | 'git-fixture';
  /** How the extension is installed: built from this checkout and copied in (default), or packaged and installed. */
  install?: 'unpacked' | 'vsix';
  /** Starts the loopback model server with these options before code-server. */
  model?: OpenAITestServerOptions;
  /** User settings, given the model server's URL when there is one. */
  settings?: (modelUrl: string) => Record<string, unknown>;
  /** A helper extension written to a folder of its own and installed beside this one, with its environment. */
  helper?: HelperExtension;
  /** Waits for the Explorer to show a row with this text before the first test. */
  explorerRow?: string;
}

/** An extension of the test's own that uses this one through VS Code's API, as another extension would. */
export interface HelperExtension {
  /** Its name under the publisher `e2e`. */
  name: string;
  /** Its commands, run from the palette by title. */
  commands: Array<{ command: string; title: string }>;
  /** Its language-model tools, as its manifest contributes them (`contributes.languageModelTools`). */
  languageModelTools?: Array<Record<string, unknown>>;
  /** When it activates; none by default (it activates when one of its commands runs). */
  activationEvents?: string[];
  /** `dist/extension.js`: CommonJS with `activate`. */
  source: string;
  /** Its environment, given its folder (where it may write what it saw). */
  env: (dir: string) => Record<string, string>;
}

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  readonly model: OpenAITestServer;
  /** The workspace folder. */
  readonly folder: string;
  readonly gitFixture: GitFixture;
  /** The helper extension's folder. */
  readonly helperDir: string;
}

/**
 * Registers the suite's `before`, `afterEach` and `after` hooks and returns the workbench they set up, read in its
 * tests (each field throws if the suite's setup did not make it).
 */
export function useWorkbench(setup: WorkbenchSetup): Workbench {
  const made: {
    page?: Page;
    server?: CodeServer;
    model?: OpenAITestServer;
    folder?: string;
    gitFixture?: GitFixture;
    helperDir?: string;
    browser?: Browser;
  } = {};

  before(async () => {
    // Fails with the setup command when code-server or Node 24 is missing: these tests never pass by skipping.
    assertCodeServerInstalled();
    if (setup.install === 'vsix') execFileSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'inherit' });
    else buildExtension();
    if (setup.workspace === 'git-fixture') {
      made.gitFixture = createGitFixture();
      made.folder = made.gitFixture.repo;
    } else {
      made.folder = makeWorkspace(setup.workspace);
    }
    if (setup.helper) made.helperDir = makeWorkspace(helperFiles(setup.helper));
    if (setup.model) made.model = await startOpenAITestServer(setup.model);
    made.server = await startCodeServer({
      ...(setup.install === 'vsix' ? { vsixPath: path.join(repoRoot, 'llm-compiler.vsix') } : { extensionDir: repoRoot }),
      ...(made.helperDir ? { helperExtensionDirs: [made.helperDir], env: setup.helper!.env(made.helperDir) } : {}),
      workspaceFolder: made.folder,
      ...(setup.settings ? { settings: setup.settings(made.model?.url ?? '') } : {}),
    });
    made.browser = await launchBrowser();
    made.page = await openWorkbench(made.browser, made.server.workbenchUrl);
    if (setup.explorerRow) {
      await made.page.locator('.explorer-folders-view .monaco-list-row', { hasText: setup.explorerRow }).first().waitFor({ timeout: 60_000 });
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && made.page) await screenshot(made.page, `${setup.shotPrefix}-${this.currentTest.title}`);
  });

  after(async () => {
    await made.browser?.close();
    await made.server?.stop();
    await made.model?.close();
    if (made.gitFixture) made.gitFixture.cleanup();
    else if (made.folder) removeWorkspace(made.folder);
    if (made.helperDir) removeWorkspace(made.helperDir);
  });

  // Each field reads what the setup made, and throws if it made none.
  const workbench = {} as Workbench;
  for (const name of ['page', 'server', 'model', 'folder', 'gitFixture', 'helperDir'] as const) {
    Object.defineProperty(workbench, name, {
      get: () => {
        if (made[name] === undefined) throw new Error(`the workbench has no ${name}: its setup did not ask for one, or failed`);
        return made[name];
      },
    });
  }
  return workbench;
}

function helperFiles(helper: HelperExtension): Record<string, string> {
  const manifest = {
    name: helper.name,
    publisher: 'e2e',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    main: './dist/extension.js',
    activationEvents: helper.activationEvents ?? [],
    contributes: { commands: helper.commands, ...(helper.languageModelTools ? { languageModelTools: helper.languageModelTools } : {}) },
  };
  return { 'package.json': JSON.stringify(manifest), 'dist/extension.js': helper.source };
}

/** `node esbuild.js`: the suite runs the extension as built from this checkout. */
function buildExtension(): void {
  try {
    execFileSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    const out = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`node esbuild.js failed:\n${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`);
  }
}
