import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('extension in VS Code', () => {
  it('is installed and activates', async () => {
    const ext = vscode.extensions.getExtension('llm-compiler.llm-compiler');
    assert.ok(ext, 'llm-compiler.llm-compiler is not installed');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
