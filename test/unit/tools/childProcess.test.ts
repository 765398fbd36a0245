import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerError, isAbortError } from '../../../src/base/errors';
import type { JsonObject } from '../../../src/shared/json';
import { createNodeTools } from '../../../src/tools/nodeTools';
import { RIPGREP, requireRipgrep } from '../../support/backends';
import { useGitFixture, isolatedGitEnv } from '../../support/gitFixture';
import { canInspectProcesses, childStarted, isAlive, toolChildren, waitFor } from '../../support/processes';
import { rejectionOf, runTool, toolContext } from '../../support/toolHarness';
import { skipBecause } from '../../support/skips';

/** A tree big enough (~50 MB) that a regex search over it takes ripgrep a good fraction of a second. */
function createBigTree(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-big-')));
  const line = `const value${'_x'.repeat(20)} = computeSomething(alpha, beta, gamma); // filler text for searching\n`;
  const body = line.repeat(1_000);
  for (let d = 0; d < 20; d++) {
    fs.mkdirSync(path.join(dir, `d${d}`));
    for (let f = 0; f < 25; f++) fs.writeFileSync(path.join(dir, `d${d}`, `f${f}.ts`), body);
  }
  return dir;
}

/** A regex with no literal to skip ahead with, so ripgrep has to run it over every byte. */
const SLOW_PATTERN = '(\\w+\\s+){3}\\d\\d\\d';

function skipUnlessLinux(ctx: Mocha.Context): void {
  if (!canInspectProcesses) skipBecause(ctx, 'child processes are inspected through Linux /proc');
}

describe('tool child processes on cancellation', function () {
  this.timeout(60_000);

  describe('a pre-aborted signal', () => {
    const fx = useGitFixture();

    const calls: Array<[string, JsonObject]> = [
      ['find_files', { glob: '*.ts' }],
      ['grep', { pattern: 'add' }],
      ['read_file', { path: 'src/math.ts' }],
      ['list_dir', {}],
      ['git_log', {}],
      ['git_show', { rev: 'HEAD' }],
      ['git_blame', { path: 'src/math.ts' }],
      ['git_diff', {}],
      ['symbols', { query: 'add' }],
      ['definition', { name_or_location: 'add' }],
      ['references', { name_or_location: 'add' }],
      ['outline', { path: 'src/math.ts' }],
    ];
    for (const useRipgrep of [true, false]) {
      it(`makes every tool end with an AbortError, not a CompilerError (${useRipgrep ? 'ripgrep' : 'JavaScript fallback'})`, async () => {
        const tools = createNodeTools({ useRipgrep });
        assert.deepEqual(calls.map(([name]) => name).sort(), tools.map((t) => t.name).sort());
        for (const [name, args] of calls) {
          const controller = new AbortController();
          controller.abort();
          const error = await rejectionOf(runTool(tools, name, args, toolContext([fx.repo], { signal: controller.signal })));
          assert.ok(isAbortError(error), `${name}: ${String(error)}`);
          assert.ok(!(error instanceof CompilerError), name);
        }
        assert.deepEqual(toolChildren(), []);
      });
    }
  });

  describe('mid-search', () => {
    let big: string;
    before(() => {
      big = createBigTree();
    });
    after(() => fs.rmSync(big, { recursive: true, force: true }));

    it('kills ripgrep at once when grep is cancelled', async function () {
      skipUnlessLinux(this);
      requireRipgrep(this);
      const tools = createNodeTools({ ripgrepPath: RIPGREP, symbolTools: false });
      const controller = new AbortController();
      const running = runTool(tools, 'grep', { pattern: SLOW_PATTERN, regex: true }, toolContext([big], { signal: controller.signal }));
      const settled = running.then(
        () => 'resolved',
        () => 'rejected',
      );
      const rg = await childStarted('rg');
      assert.ok(rg !== undefined, 'ripgrep started');
      assert.equal(await Promise.race([settled, Promise.resolve('running')]), 'running', 'the search was still running when cancelled');
      controller.abort();
      const error = await rejectionOf(running);
      assert.ok(isAbortError(error), String(error));
      // The call settles only after ripgrep has exited.
      assert.equal(isAlive(rg), false, 'ripgrep is gone');
      assert.deepEqual(toolChildren(), []);
    });

    it('stops ripgrep by itself once max_results matches are in', async function () {
      skipUnlessLinux(this);
      requireRipgrep(this);
      const tools = createNodeTools({ ripgrepPath: RIPGREP, symbolTools: false });
      const out = await runTool(tools, 'grep', { pattern: 'computeSomething', max_results: 5 }, toolContext([big]));
      assert.equal((out.value as unknown[]).length, 5);
      assert.match(out.text, /more exist/);
      assert.deepEqual(toolChildren(), []);
    });

    it('stops the JavaScript fallback when cancelled', async () => {
      const tools = createNodeTools({ useRipgrep: false, symbolTools: false });
      const controller = new AbortController();
      const running = runTool(tools, 'grep', { pattern: SLOW_PATTERN, regex: true }, toolContext([big], { signal: controller.signal }));
      setTimeout(() => controller.abort(), 30);
      const started = Date.now();
      const error = await rejectionOf(running);
      assert.ok(isAbortError(error), String(error));
      // Not a timing assertion on speed: only that it stopped instead of searching all 50 MB to the end.
      assert.ok(Date.now() - started < 30_000);
    });
  });

  describe('mid git call', () => {
    let repo: string;
    before(() => {
      // A repository whose HEAD is a named pipe: git blocks reading it until cancelled.
      repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-stuck-')));
      execFileSync('git', ['init', '-q'], { cwd: repo, env: isolatedGitEnv() });
      fs.rmSync(path.join(repo, '.git', 'HEAD'));
      execFileSync('mkfifo', [path.join(repo, '.git', 'HEAD')]);
    });
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    for (const [name, args] of [['git_log', {}], ['git_diff', {}]] as Array<[string, JsonObject]>) {
      it(`kills git when ${name} is cancelled`, async function () {
        skipUnlessLinux(this);
        const tools = createNodeTools({ symbolTools: false });
        const controller = new AbortController();
        const running = runTool(tools, name, args, toolContext([repo], { signal: controller.signal }));
        const git = await childStarted('git');
        assert.ok(git !== undefined, 'git started');
        controller.abort();
        const error = await rejectionOf(running);
        assert.ok(isAbortError(error), String(error));
        assert.ok(await waitFor(() => !isAlive(git), 2_000), 'git is gone');
        assert.ok(await waitFor(() => toolChildren().length === 0, 2_000), 'no child process is left');
      });
    }
  });
});
