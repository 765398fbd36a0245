import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompilerError } from '../../../../src/base/errors';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { forEachBackend, requireRipgrep } from '../../../support/backends';
import { createGitFixture } from '../../../support/gitFixture';
import type { GitFixture } from '../../../support/gitFixture';
import { rawRgFiles } from '../../../support/oracles';
import { rejectionOf, runTool, toolContext } from '../../../support/toolHarness';
import { skipBecause } from '../../../support/skips';

/** Fails unless `promise` settles within `ms` (a generous bound: the point is that it ends at all). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

const isUnsupported = (e: unknown) => e instanceof CompilerError && e.reason === 'unsupported' && /named pipe/.test(e.message);

describe('named pipes and other special files in the workspace', function () {
  let fx: GitFixture;
  const tools = createNodeTools({ symbolTools: false });
  before(function () {
    if (process.platform === 'win32') skipBecause(this, 'named pipes are made with mkfifo');
    fx = createGitFixture();
    execFileSync('mkfifo', [path.join(fx.repo, 'pipe.txt')]);
    for (let i = 0; i < 6; i++) execFileSync('mkfifo', [path.join(fx.repo, `pipe${i}.ts`)]);
    // A tracked file replaced by a named pipe: git still lists it.
    fs.unlinkSync(path.join(fx.repo, 'src', 'greet.ts'));
    execFileSync('mkfifo', [path.join(fx.repo, 'src', 'greet.ts')]);
  });
  after(() => fx?.cleanup());
  const ctx = () => toolContext([fx.repo]);

  it('read_file refuses a named pipe at once instead of waiting for a writer', async () => {
    const error = await within(10_000, rejectionOf(runTool(tools, 'read_file', { path: 'pipe.txt' }, ctx())));
    assert.ok(isUnsupported(error), String(error));
  });

  it('reading six named pipes leaves the thread pool free for other files', async () => {
    const pipes = Array.from({ length: 6 }, (_, i) => rejectionOf(runTool(tools, 'read_file', { path: `pipe${i}.ts` }, ctx())));
    const normal = await within(10_000, runTool(tools, 'read_file', { path: 'src/math.ts' }, ctx()));
    assert.match(normal.text, /^src\/math\.ts \(/);
    for (const error of await within(10_000, Promise.all(pipes))) assert.ok(isUnsupported(error), String(error));
  });

  it('git_blame refuses a tracked file that is now a named pipe', async () => {
    const error = await within(10_000, rejectionOf(runTool(tools, 'git_blame', { path: 'src/greet.ts' }, ctx())));
    assert.ok(isUnsupported(error), String(error));
  });

  it('list_dir lists the folder without opening the pipe', async () => {
    const out = await within(10_000, runTool(tools, 'list_dir', { depth: 1 }, ctx()));
    assert.match(out.text, /README\.md/);
  });

  forEachBackend((backend) => {
    it(`grep searches the regular files and skips the pipes, as ripgrep does`, async function () {
      const out = await within(10_000, runTool(backend.tools({ symbolTools: false }), 'grep', { pattern: 'export', max_results: 500 }, ctx()));
      const paths = new Set((out.value as unknown as Array<{ path: string }>).map((m) => m.path));
      assert.ok(paths.has('src/math.ts'));
      assert.ok(![...paths].some((p) => p.includes('pipe') || p === 'src/greet.ts'));
    });

    it(`find_files lists what raw ripgrep lists, pipes left out`, async function () {
      const rg = requireRipgrep(this);
      const out = await within(10_000, runTool(backend.tools({ symbolTools: false }), 'find_files', { glob: '**', max_results: 2000 }, ctx()));
      assert.deepEqual([...(out.value as string[])].sort(), rawRgFiles(rg, fx.repo));
    });
  });

  it('a process that read a named pipe still exits', async function () {
    this.timeout(60_000);
    const script = [
      `const { createNodeTools } = require(${JSON.stringify(path.resolve('src/tools/nodeTools.ts'))});`,
      'const tool = createNodeTools({ symbolTools: false }).find((t) => t.name === "read_file");',
      `const ctx = { roots: [${JSON.stringify(fx.repo)}], maxChars: 10000, signal: new AbortController().signal };`,
      'Promise.all([0, 1, 2, 3].map((i) => tool.run({ path: `pipe${i}.ts` }, ctx).catch(() => undefined))).then(() => console.log("done"));',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await within(
      40_000,
      new Promise<number | null>((resolve) => child.on('exit', resolve)),
    ).finally(() => child.kill('SIGKILL'));
    assert.equal(code, 0);
    assert.match(out, /done/);
  });
});
