import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const PROJECT = path.resolve(__dirname, '..', '..', '..');

/** The layer lint's errors for one file that would stand at `file` (project-relative) with `source`. */
async function layerErrors(eslint: ESLint, file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(PROJECT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layer lint (eslint.config.mjs)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: PROJECT });

  for (const [file, source, says] of [
    ['src/core/layerProbe.ts', "import { createNodeTools } from '../tools/nodeTools';\nvoid createNodeTools;\n", /src\/core may import src\/base, src\/shared; not src\/tools/],
    ['src/core/plan/layerProbe.ts', "import type { Session } from '../../host/session';\nexport type S = Session;\n", /not src\/host/],
    ['src/tools/search/layerProbe.ts', "import { ResultCache } from '../../core/resultCache';\nvoid ResultCache;\n", /src\/tools may import .*; not src\/core/],
    ['src/providers/layerProbe.ts', "import { runQuestion } from '../core/runQuestion';\nvoid runQuestion;\n", /not src\/core/],
    ['src/webview/layerProbe.ts', "import { MODE_TABLE } from '../core/modes/modeTable';\nvoid MODE_TABLE;\n", /not src\/core/],
    ['src/mcp/layerProbe.ts', "import { HumanView } from '../cli/humanView';\nvoid HumanView;\n", /src\/mcp may import .*; not src\/cli/],
    ['src/cli/layerProbe.ts', "import { CompilerServer } from '../mcp/compilerServer';\nvoid CompilerServer;\n", /not src\/mcp/],
    ['src/mcp/layerProbe.ts', "import * as vscode from 'vscode';\nvoid vscode;\n", /Only src\/vscode may import vscode/],
    ['src/host/layerProbe.ts', "import { runFigures } from '../surfaces/runFooter';\nvoid runFigures;\n", /not src\/surfaces/],
    ['src/host/layerProbe.ts', "import { RunCoordinator } from '../vscode/runCoordinator';\nvoid RunCoordinator;\n", /not src\/vscode/],
    ['src/mcpClient/layerProbe.ts', "import { runQuestion } from '../core/runQuestion';\nvoid runQuestion;\n", /src\/mcpClient may import src\/base, src\/shared; not src\/core/],
    ['src/mcpClient/layerProbe.ts', "import { createNodeTools } from '../tools/nodeTools';\nvoid createNodeTools;\n", /not src\/tools/],
    ['src/cli/layerProbe.ts', "import { connectMcpServers } from '../mcpClient/mcpToolSource';\nvoid connectMcpServers;\n", /src\/cli may import .*; not src\/mcpClient/],
    ['src/core/layerProbe.ts', "import { MessageLines } from '../mcpClient/messageLines';\nvoid MessageLines;\n", /not src\/mcpClient/],
  ] as const) {
    it(`refuses ${source.split('\n')[0]} in ${file}`, async () => {
      const errors = await layerErrors(eslint, file, source);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, says);
    });
  }

  it('lets each folder import what it may', async () => {
    assert.deepEqual(await layerErrors(eslint, 'src/core/layerProbe.ts', "import { notifyEach } from '../base/notifyEach';\nimport type { RunMode } from '../shared/modes';\nvoid notifyEach;\nexport type M = RunMode;\n"), []);
    assert.deepEqual(await layerErrors(eslint, 'src/host/layerProbe.ts', "import { runQuestion } from '../core/runQuestion';\nimport { createNodeTools } from '../tools/nodeTools';\nvoid runQuestion;\nvoid createNodeTools;\n"), []);
    assert.deepEqual(await layerErrors(eslint, 'src/host/layerProbe.ts', "import { connectMcpServers } from '../mcpClient/mcpToolSource';\nvoid connectMcpServers;\n"), []);
    assert.deepEqual(await layerErrors(eslint, 'src/mcpClient/layerProbe.ts', "import { CompilerError } from '../base/errors';\nimport type { Tool } from '../shared/toolContract';\nvoid CompilerError;\nexport type T = Tool;\n"), []);
    assert.deepEqual(await layerErrors(eslint, 'src/vscode/layerProbe.ts', "import * as vscode from 'vscode';\nimport { Session } from '../host/session';\nvoid vscode;\nvoid Session;\n"), []);
  });
});
