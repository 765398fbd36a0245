import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { createNodeTools } from '../../../src/tools/nodeTools';
import {
  SETTINGS,
  SETTINGS_SECTION,
  readExcludeGlobs,
  readListProtectedFiles,
  readModelSettings,
  readOpenAISettings,
  readExternalToolGlobs,
  readRunSettings,
  saveExternalToolGlobs,
  saveModelSelection,
} from '../../../src/vscode/settings';
import type { SettingsWorkspace } from '../../../src/vscode/settings';

interface ContributedSetting {
  default?: unknown;
  scope?: string;
  enum?: unknown[];
  items?: { enum?: unknown[] };
}

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ContributedSetting> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const contributed = manifest.contributes.configuration.properties;

/** A workspace whose settings are `values` (full keys, e.g. `llmCompiler.mode`), scoped ones under `byFolder`. */
function fakeWorkspace(values: Record<string, unknown>, byFolder: Record<string, Record<string, unknown>> = {}) {
  const updates: Array<{ key: string; value: unknown; target: unknown }> = [];
  const folders = Object.keys(byFolder).map((fsPath) => ({ uri: { fsPath } as vscode.Uri, name: fsPath, index: 0 }));
  const workspace = {
    workspaceFolders: folders,
    getConfiguration(section?: string, scope?: { fsPath: string }) {
      const prefix = section ? `${section}.` : '';
      const source = scope ? byFolder[scope.fsPath] ?? {} : values;
      return {
        get: (key: string) => source[prefix + key],
        update: async (key: string, value: unknown, target: unknown) => {
          updates.push({ key: prefix + key, value, target });
        },
      } as unknown as vscode.WorkspaceConfiguration;
    },
  } as unknown as SettingsWorkspace;
  return { workspace, updates };
}

describe('settings', () => {
  it('contributes in package.json exactly the settings the code reads, with the same defaults and values', () => {
    const ours = Object.keys(SETTINGS).map((key) => `${SETTINGS_SECTION}.${key}`);
    assert.deepEqual(Object.keys(contributed).sort(), ours.sort());
    for (const [key, spec] of Object.entries(SETTINGS)) {
      const setting = contributed[`${SETTINGS_SECTION}.${key}`];
      if (spec.default !== undefined) assert.deepEqual(setting.default, spec.default, key);
      if ('enum' in spec) assert.deepEqual(setting.enum, [...spec.enum], key);
    }
  });

  it('offers every tool in the tools setting, all of them on by default', () => {
    const names = createNodeTools({ useRipgrep: false }).map((t) => t.name);
    const tools = contributed[`${SETTINGS_SECTION}.tools`];
    assert.deepEqual(tools.items?.enum, names);
    assert.deepEqual(tools.default, names);
  });

  it('restricts in untrusted workspaces only settings that exist', () => {
    for (const key of manifest.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(key in contributed, key);
  });

  it('reads the run settings, leaving out unset and invalid ones', () => {
    const { workspace } = fakeWorkspace({
      'llmCompiler.mode': 'react',
      'llmCompiler.maxConcurrency': 4,
      'llmCompiler.taskTimeoutMs': 0,
      'llmCompiler.maxRounds': 2.5,
      'llmCompiler.tools': ['grep', 7, 'read_file'],
    });
    assert.deepEqual(readRunSettings(workspace), { settings: { mode: 'react', maxConcurrency: 4 }, tools: ['grep', 'read_file'] });
    assert.deepEqual(readRunSettings(fakeWorkspace({ 'llmCompiler.mode': 'fast' }).workspace), { settings: {} });
  });

  it("reads the model's context as set, 0 (the default) meaning: learned from its server", () => {
    assert.deepEqual(readRunSettings(fakeWorkspace({ 'llmCompiler.contextTokens': 4096 }).workspace), { settings: { contextTokens: 4096 } });
    assert.deepEqual(readRunSettings(fakeWorkspace({ 'llmCompiler.contextTokens': 0 }).workspace), { settings: {} });
  });

  it('reads the model choice and keeps only a selector’s own fields', () => {
    const { workspace } = fakeWorkspace({
      'llmCompiler.model': 'vscode-lm',
      'llmCompiler.vscodeLm.selector': { vendor: ' copilot ', family: '', extra: 'x', id: 3 },
    });
    assert.deepEqual(readModelSettings(workspace), { choice: 'vscode-lm', selector: { vendor: 'copilot' } });
    assert.deepEqual(readModelSettings(fakeWorkspace({ 'llmCompiler.model': 'other' }).workspace), { choice: 'auto' });
  });

  it('reads the endpoint settings with their defaults', () => {
    assert.deepEqual(readOpenAISettings(fakeWorkspace({}).workspace), {
      baseUrl: SETTINGS['openai.baseUrl'].default,
      model: '',
      plannerModel: '',
      joinerModel: '',
      requestTimeoutMs: SETTINGS['openai.requestTimeoutMs'].default,
      readAhead: 'auto',
    });
    const { workspace } = fakeWorkspace({
      'llmCompiler.openai.baseUrl': ' http://server/v1 ',
      'llmCompiler.openai.model': 'm',
      'llmCompiler.openai.joinerModel': 'j ',
      'llmCompiler.openai.requestTimeoutMs': 5000,
      'llmCompiler.openai.warmPromptCache': 'off',
    });
    assert.deepEqual(readOpenAISettings(workspace), {
      baseUrl: 'http://server/v1',
      model: 'm',
      plannerModel: '',
      joinerModel: 'j',
      requestTimeoutMs: 5000,
      readAhead: 'off',
    });
    assert.equal(readOpenAISettings(fakeWorkspace({ 'llmCompiler.openai.warmPromptCache': 'sometimes' }).workspace).readAhead, 'auto');
  });

  it('saves a model selection in user settings, the choice last', async () => {
    const { workspace, updates } = fakeWorkspace({});
    await saveModelSelection(workspace, { choice: 'openai', model: 'qwen' });
    await saveModelSelection(workspace, { choice: 'vscode-lm', selector: { vendor: 'copilot', id: 'gpt' } });
    assert.deepEqual(updates, [
      { key: 'llmCompiler.openai.model', value: 'qwen', target: true },
      { key: 'llmCompiler.model', value: 'openai', target: true },
      { key: 'llmCompiler.vscodeLm.selector', value: { vendor: 'copilot', id: 'gpt' }, target: true },
      { key: 'llmCompiler.model', value: 'vscode-lm', target: true },
    ]);
  });

  it('reads listProtectedFiles as on only when it is true, and keeps it from untrusted workspaces', () => {
    assert.equal(readListProtectedFiles(fakeWorkspace({ 'llmCompiler.listProtectedFiles': true }).workspace), true);
    assert.equal(readListProtectedFiles(fakeWorkspace({ 'llmCompiler.listProtectedFiles': 'yes' }).workspace), false);
    assert.equal(readListProtectedFiles(fakeWorkspace({}).workspace), false);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('llmCompiler.listProtectedFiles'));
  });

  it('takes the external tools from user settings alone: a workspace or folder value turns nothing on', async () => {
    const scoped = (values: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }) => {
      const updates: unknown[] = [];
      const workspace = {
        workspaceFolders: [],
        getConfiguration: (section?: string) => ({
          // What VS Code merges: the workspace's value wins, as `get` would return it.
          get: (key: string) => (section === SETTINGS_SECTION && key === 'externalTools' ? values.workspaceFolderValue ?? values.workspaceValue ?? values.globalValue : undefined),
          inspect: (key: string) => (section === SETTINGS_SECTION && key === 'externalTools' ? { key: `${section}.${key}`, defaultValue: [], ...values } : undefined),
          update: async (key: string, value: unknown, target: unknown) => void updates.push({ key: `${section}.${key}`, value, target }),
        }),
      } as unknown as SettingsWorkspace;
      return { workspace, updates };
    };
    assert.deepEqual(readExternalToolGlobs(scoped({}).workspace), []);
    assert.deepEqual(readExternalToolGlobs(scoped({ globalValue: [' acme_* ', 3, '', 'mcp_github_get_issue'] }).workspace), ['acme_*', 'mcp_github_get_issue']);
    assert.deepEqual(readExternalToolGlobs(scoped({ workspaceValue: ['*'], workspaceFolderValue: ['*'] }).workspace), []);
    assert.deepEqual(readExternalToolGlobs(scoped({ globalValue: ['acme_find'], workspaceValue: ['*'] }).workspace), ['acme_find']);
    assert.equal(contributed[`${SETTINGS_SECTION}.externalTools`].scope, 'application');

    const { workspace, updates } = scoped({});
    await saveExternalToolGlobs(workspace, ['acme_find']);
    await saveExternalToolGlobs(workspace, []);
    assert.deepEqual(updates, [
      { key: 'llmCompiler.externalTools', value: ['acme_find'], target: true },
      { key: 'llmCompiler.externalTools', value: undefined, target: true },
    ]);
  });

  it('collects the excludes that are on, from the workspace and every folder, once each', () => {
    const { workspace } = fakeWorkspace(
      { 'files.exclude': { '**/.git': true, '**/off': false }, 'search.exclude': { '**/dist': true } },
      { '/a': { 'search.exclude': { '**/dist': true, '**/out': true } } },
    );
    assert.deepEqual(readExcludeGlobs(workspace), ['**/.git', '**/dist', '**/out']);
  });
});
