// Runs the integration suite (test/integration/suite) inside a real VS Code:
//  - a desktop VS Code through @vscode/test-electron, from VSCODE_TEST_PATH (path to a `code`
//    executable) or downloaded when VSCODE_TEST_DOWNLOAD=1 (needs the VS Code update service);
//  - otherwise code-server (VS Code server + web workbench) when test/e2e/setupCodeServer.sh installed it.
// With none of these the run is skipped loudly and exits with 3, unless --allow-skip is passed (then 0).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { codeServerEntry, node24Path } from '../e2e/codeServer';
import { runTestsInCodeServer } from './codeServerHost';

const skippedExitCode = 3;
const repoRoot = path.resolve(__dirname, '..', '..');
const suiteDir = path.join(__dirname, 'suite');
const outDir = path.join(repoRoot, 'out', 'integration');

async function main(): Promise<number> {
  const executable = process.env.VSCODE_TEST_PATH;
  const download = process.env.VSCODE_TEST_DOWNLOAD === '1';
  const codeServer = !executable && !download && fs.existsSync(codeServerEntry) && fs.existsSync(node24Path);
  if (!executable && !download && !codeServer) {
    const line = '='.repeat(72);
    console.error(`${line}\nSKIPPED: no local VS Code (set VSCODE_TEST_PATH to a VS Code executable, or VSCODE_TEST_DOWNLOAD=1, or run test/e2e/setupCodeServer.sh)\n${line}`);
    return process.argv.includes('--allow-skip') ? 0 : skippedExitCode;
  }
  if (executable && !fs.existsSync(executable)) throw new Error(`VSCODE_TEST_PATH=${executable} does not exist`);

  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.js')], { cwd: repoRoot, stdio: 'inherit' });
  const entryPoints = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(suiteDir, f));
  fs.rmSync(outDir, { recursive: true, force: true });
  await build({ entryPoints, outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, external: ['vscode', 'mocha'], logLevel: 'warning' });

  // Workspace, profile and extensions folder live in a temporary folder, not in the repository.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-integration-'));
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace);
  try {
    if (codeServer) {
      console.log('Running the integration suite in code-server');
      const code = await runTestsInCodeServer({ extensionDevelopmentPath: repoRoot, extensionTestsPath: path.join(outDir, 'index.js'), workspaceFolder: workspace });
      if (code !== 0) console.error(`Integration tests failed (exit code ${code})`);
      return code;
    }
    await runTests({
      vscodeExecutablePath: executable,
      version: process.env.VSCODE_TEST_VERSION,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outDir, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${path.join(tmp, 'user-data')}`, `--extensions-dir=${path.join(tmp, 'extensions')}`],
    });
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
