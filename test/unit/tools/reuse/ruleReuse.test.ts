import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultCache } from '../../../../src/core/resultCache';
import type { JsonObject } from '../../../../src/shared/json';
import type { Tool } from '../../../../src/shared/toolContract';
import { createNodeTools } from '../../../../src/tools/nodeTools';
import { createResultCache } from '../../../../src/host/session';
import { isolatedGitEnv } from '../../../support/gitFixture';
import { findTool, toolContext } from '../../../support/toolHarness';

/** Files written moments ago may not yet be told apart from later edits by their timestamps; wait that out. */
const SETTLE_MS = 150;

/** What a call gives through the session cache, as the executor asks it: a kept result if it holds, else a fresh run. */
async function through(cache: ResultCache, tool: Tool, args: JsonObject, root: string): Promise<{ text: string; cached: boolean }> {
  const key = cache.key(tool, args, [root], 100_000);
  const signal = new AbortController().signal;
  const hit = await cache.lookup(key, signal);
  if (hit) return { text: hit.output.text, cached: true };
  const recording = cache.record();
  let text: string;
  try {
    const output = await tool.run(args, toolContext([root], { reads: recording.reads }));
    text = output.text;
    const record = await recording.finish();
    if (record) cache.store(key, { output, runId: 'r', taskId: 1, ms: 1 }, record);
  } catch (error) {
    await recording.finish().catch(() => undefined);
    text = `Error: ${(error as Error).message}`;
  }
  return { text, cached: false };
}

describe('reused results obey the rules as they are now', function () {
  this.timeout(30_000);
  let base: string;
  let root: string;
  let cache: ResultCache;
  const tools = createNodeTools({ symbolTools: false });
  const call = (name: string, args: JsonObject) => through(cache, findTool(tools, name), args, root);
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };

  beforeEach(async () => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-rule-reuse-')));
    root = path.join(base, 'ws');
    fs.mkdirSync(root);
    write('notes/plan.txt', 'PLAN-TEXT public\n');
    write('private/key.txt', 'PRIVATE-TEXT hidden\n');
    write('public/readme.txt', 'PUBLIC-TEXT\n');
    write('.cursorignore', 'nothing-yet\n');
    cache = createResultCache();
    await sleep(SETTLE_MS);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('refuses a file AI-ignored after it was read, however the ignore file is written', async () => {
    assert.match((await call('read_file', { path: 'notes/plan.txt' })).text, /PLAN-TEXT/);
    write('.cursorignore', 'notes/\n');
    const again = await call('read_file', { path: 'notes/plan.txt' });
    assert.equal(again.cached, false);
    assert.doesNotMatch(again.text, /PLAN-TEXT/);
    assert.match(again.text, /refused: notes\/plan\.txt matches \.cursorignore line 1 `notes\/`/);
  });

  it('refuses a file AI-ignored by a new ignore file in its folder', async () => {
    assert.match((await call('read_file', { path: 'notes/plan.txt' })).text, /PLAN-TEXT/);
    assert.match((await call('grep', { pattern: 'PLAN-TEXT' })).text, /notes\/plan\.txt/);
    write('notes/.aiexclude', 'plan.txt\n');
    const read = await call('read_file', { path: 'notes/plan.txt' });
    assert.doesNotMatch(read.text, /PLAN-TEXT/);
    const grep = await call('grep', { pattern: 'PLAN-TEXT' });
    assert.doesNotMatch(grep.text, /PLAN-TEXT public/);
  });

  it('sees a same-size rewrite of an ignore file whose modification time was put back', async () => {
    const file = path.join(root, '.cursorignore');
    fs.writeFileSync(file, 'public/\n');
    await sleep(SETTLE_MS);
    assert.match((await call('read_file', { path: 'notes/plan.txt' })).text, /PLAN-TEXT/);
    execFileSync('cp', ['-p', file, `${file}.times`]);
    fs.writeFileSync(file, 'notes/\n\n');
    assert.equal(fs.statSync(file).size, 'public/\n'.length);
    // touch copies the times to the nanosecond, as an attacker would set them back.
    execFileSync('touch', ['-r', `${file}.times`, file]);
    assert.equal(fs.statSync(file, { bigint: true }).mtimeNs, fs.statSync(`${file}.times`, { bigint: true }).mtimeNs);
    const again = await call('read_file', { path: 'notes/plan.txt' });
    assert.doesNotMatch(again.text, /PLAN-TEXT/);
    assert.match(again.text, /refused/);
    // The rules themselves, read afresh for a new call, refuse it too.
    const fresh = await through(createResultCache(), findTool(tools, 'read_file'), { path: 'notes/plan.txt' }, root);
    assert.match(fresh.text, /refused/);
  });

  for (const name of ['read_file', 'list_dir'] as const) {
    it(`${name}: follows a link re-pointed between questions (files and folders)`, async () => {
      fs.symlinkSync('public', path.join(root, 'docs'));
      fs.symlinkSync('public/readme.txt', path.join(root, 'doc.txt'));
      const args: JsonObject = name === 'read_file' ? { path: 'doc.txt' } : { path: 'docs' };
      const first = await call(name, args);
      assert.match(first.text, name === 'read_file' ? /PUBLIC-TEXT/ : /readme\.txt/);
      execFileSync('ln', ['-sfn', 'notes/plan.txt', path.join(root, 'doc.txt')]);
      execFileSync('ln', ['-sfn', 'notes', path.join(root, 'docs')]);
      const second = await call(name, args);
      assert.equal(second.cached, false);
      assert.match(second.text, name === 'read_file' ? /PLAN-TEXT/ : /plan\.txt/);
      // And to a protected target: refused, not served.
      fs.writeFileSync(path.join(root, '.cursorignore'), 'notes/\n');
      const third = await call(name, args);
      assert.equal(third.cached, false);
      assert.match(third.text, /refused: notes(\/plan\.txt)? matches \.cursorignore line 1 `notes\/`/);
      assert.doesNotMatch(third.text, /PLAN-TEXT|  plan\.txt/);
    });
  }

  it('read_file: follows a re-pointed link in the middle of the path', async () => {
    fs.symlinkSync('public', path.join(root, 'docs'));
    write('other/readme.txt', 'OTHER-TEXT\n');
    await sleep(SETTLE_MS);
    assert.match((await call('read_file', { path: 'docs/readme.txt' })).text, /PUBLIC-TEXT/);
    execFileSync('ln', ['-sfn', 'other', path.join(root, 'docs')]);
    assert.match((await call('read_file', { path: 'docs/readme.txt' })).text, /OTHER-TEXT/);
  });

  it('git_show with a path: follows a link re-pointed between questions', async () => {
    const git = (args: string[]) => execFileSync('git', args, { cwd: root, env: isolatedGitEnv(), encoding: 'utf8' });
    git(['init', '-q', '-b', 'main']);
    git(['config', 'user.name', 'T']);
    git(['config', 'user.email', 't@example.com']);
    git(['config', 'commit.gpgsign', 'false']);
    git(['add', '-A']);
    git(['commit', '-qm', 'first']);
    fs.symlinkSync('public', path.join(root, 'docs'));
    await sleep(SETTLE_MS);
    assert.match((await call('git_show', { rev: 'HEAD', path: 'docs/readme.txt' })).text, /PUBLIC-TEXT/);
    fs.writeFileSync(path.join(root, '.cursorignore'), 'private/\n');
    execFileSync('ln', ['-sfn', 'private', path.join(root, 'docs')]);
    const again = await call('git_show', { rev: 'HEAD', path: 'docs/key.txt' });
    assert.doesNotMatch(again.text, /PRIVATE-TEXT/);
    const old = await call('git_show', { rev: 'HEAD', path: 'docs/readme.txt' });
    assert.doesNotMatch(old.text, /PUBLIC-TEXT/, 'the link now leads elsewhere: the old result is not served');
  });

  it('treats a change of the protectedFiles setting as other tools, whose results are not reused', async () => {
    const read = (t: Tool[]) => through(cache, findTool(t, 'read_file'), { path: 'notes/plan.txt' }, root);
    assert.match((await read(tools)).text, /PLAN-TEXT/);
    const stricter = createNodeTools({ symbolTools: false, protectedGlobs: ['notes/'] });
    const again = await read(stricter);
    assert.equal(again.cached, false);
    assert.match(again.text, /refused: notes\/plan\.txt matches the setting llmCompiler\.protectedFiles `notes\/`/);
  });
});
