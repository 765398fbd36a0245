import * as vscode from 'vscode';
import { mcpServerConfig } from './mcpServerConfig';
import { readOpenAISettings } from './settings';

/** "Copy MCP Server Config": the `mcpServers` entry for this extension's CLI and a workspace folder, as JSON. */
export async function copyMcpServerConfig(context: vscode.ExtensionContext): Promise<void> {
  const folder = await pickFolder();
  if (folder === null) return;
  const { baseUrl, model } = readOpenAISettings(vscode.workspace);
  const config = mcpServerConfig({
    runtimePath: process.execPath,
    electron: process.versions.electron !== undefined,
    cliPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath,
    workspaceFolder: folder?.uri.fsPath,
    baseUrl,
    model,
  });
  await vscode.env.clipboard.writeText(JSON.stringify(config, null, 2));
  const where = folder ? ` for ${folder.name}` : '';
  void vscode.window.showInformationMessage(
    `LLM Compiler: copied the MCP server config${where}. Paste it into .mcp.json (Claude Code) or .cursor/mcp.json (Cursor); ` +
      'copy it again after the extension or VS Code updates, which can move the paths in it. An endpoint that needs a key reads OPENAI_API_KEY.',
  );
}

/** The folder to question: the only one, or one picked; undefined without a folder, null when the pick is dismissed. */
async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined | null> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder the MCP server answers questions about' });
  return picked ?? null;
}
