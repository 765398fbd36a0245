// The worker threads' entries, built once for a test run by esbuild.js, as for dist/: a thread started from source
// goes through tsx's loader, which costs a symbol worker ~0.9 s of CPU more (the test run starts some forty), and the
// built entries are what the extension and the CLI run.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Builds every worker entry into `outdir`, with what they load beside them (`esbuild.js --workers-to`). */
export async function buildWorkerBundles(outdir: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, ['esbuild.js', '--workers-to', outdir], { cwd: ROOT });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`esbuild.js --workers-to failed: ${e.stderr || e.stdout || e.message}`);
  }
}
