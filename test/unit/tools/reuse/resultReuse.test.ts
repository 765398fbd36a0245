import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runQuestion } from '../../../../src/core/runQuestion';
import type { ResultCache } from '../../../../src/core/resultCache';
import { ToolRegistry } from '../../../../src/core/toolRegistry';
import type { CompilerEvent, EventOf, RunSummary } from '../../../../src/shared/runEvents';
import { createResultCache } from '../../../../src/host/session';
import { forEachBackend } from '../../../support/backends';
import { createGitFixture } from '../../../support/gitFixture';
import type { GitFixture } from '../../../support/gitFixture';
import { createScriptedModel } from '../../../support/scriptedModel';

const FINISH = 'Thought: Enough.\nAction: Finish(Done.)';

/** Files written moments ago may not yet be told apart from later edits by their timestamps; wait that out. */
const SETTLE_MS = 150;

interface Asked {
  summary: RunSummary;
  runId: string;
  finished: Map<number, EventOf<'task-finished'>>;
}

describe('tool results reused across questions', () => {
  forEachBackend((backend) => {
    let fx: GitFixture;
    let cache: ResultCache;
    // The symbol tools are left out: no plan here calls them, and each new fixture would warm a language service.
    const tools = new ToolRegistry(backend.missing ? [] : backend.tools({ symbolTools: false }));

    beforeEach(async () => {
      fx = createGitFixture();
      cache = createResultCache();
      await sleep(SETTLE_MS);
    });
    afterEach(() => fx.cleanup());

    /** Runs one question whose plan is `plan` (a line per task) in the session. */
    async function ask(plan: string[], session: ResultCache | null = cache): Promise<Asked> {
      const events: CompilerEvent[] = [];
      const text = `${plan.map((line, i) => `${i + 1}. ${line}`).join('\n')}\njoin()\n<END_OF_PLAN>`;
      const summary = await runQuestion({
        question: 'q',
        model: createScriptedModel(() => text),
        joinerModel: createScriptedModel(() => FINISH),
        tools,
        roots: [fx.repo],
        observer: (e) => events.push(e),
        ...(session ? { resultCache: session } : {}),
      });
      assert.equal(summary.outcome, 'answered', JSON.stringify(summary.error));
      const runId = events.find((e): e is EventOf<'run-start'> => e.type === 'run-start')!.runId;
      const finished = new Map<number, EventOf<'task-finished'>>();
      for (const e of events) if (e.type === 'task-finished') finished.set(e.id, e);
      return { summary, runId, finished };
    }

    const PLAN = [
      'read_file("src/math.ts")',
      'grep("add")',
      'find_files("**/*.ts")',
      'list_dir()',
      'git_log()',
      'git_show("HEAD")',
      'git_blame("src/main.ts")',
    ];

    it('serves the same calls of a later question from the earlier one, naming the run and task', async () => {
      const first = await ask(PLAN);
      assert.deepEqual([...first.finished.values()].map((e) => e.status), PLAN.map(() => 'ok'));
      const second = await ask(PLAN);
      for (const [id, e] of second.finished) {
        assert.equal(e.status, 'cached', `${e.tool} was not reused`);
        assert.equal(e.cachedFromRun, first.runId);
        assert.equal(e.cachedFrom, id);
        assert.equal(e.text, first.finished.get(id)!.text);
        assert.equal(e.originalMs, first.finished.get(id)!.ms);
      }
      assert.equal(second.summary.tasks.cached, PLAN.length);
      assert.ok((second.summary.savedToolMs ?? 0) > 0, 'the saved tool time is reported');
      assert.equal(cache.stats.hits, PLAN.length);
    });

    it('runs everything again without a session cache', async () => {
      await ask(PLAN, null);
      const second = await ask(PLAN, null);
      assert.equal(second.summary.tasks.cached, 0);
    });

    it('reads an edited file afresh, even when the edit keeps its size', async () => {
      const file = path.join(fx.repo, 'src/math.ts');
      await ask(['read_file("src/math.ts")', 'grep("multiply")', 'read_file("README.md")']);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.replace('multiply', 'multiplx'));
      assert.equal(fs.statSync(file).size, Buffer.byteLength(text));
      const second = await ask(['read_file("src/math.ts")', 'grep("multiply")', 'read_file("README.md")']);
      assert.equal(second.finished.get(1)!.status, 'ok');
      assert.match(second.finished.get(1)!.text, /multiplx/);
      assert.equal(second.finished.get(2)!.status, 'ok');
      assert.doesNotMatch(second.finished.get(2)!.text, /math\.ts/);
      assert.equal(second.finished.get(3)!.status, 'cached', 'an untouched file is still reused');
    });

    it('reads afresh a file edited twice within the clock granularity, same size', async () => {
      const file = path.join(fx.repo, 'notes.txt');
      fs.writeFileSync(file, 'alpha\n');
      await ask(['read_file("notes.txt")']);
      fs.writeFileSync(file, 'omega\n');
      const second = await ask(['read_file("notes.txt")']);
      assert.equal(second.finished.get(1)!.status, 'ok');
      assert.match(second.finished.get(1)!.text, /omega/);
    });

    it('refreshes git_log after a new commit, and keeps reusing what the commit did not touch', async () => {
      const plan = ['git_log()', 'git_show("HEAD")', 'git_log(path="src/greet.ts")', 'read_file("src/greet.ts")'];
      await ask(plan);
      fs.writeFileSync(path.join(fx.repo, 'CHANGES.md'), 'news\n');
      fx.git(['add', 'CHANGES.md']);
      fx.git(['commit', '-q', '-m', 'Note the changes'], { GIT_AUTHOR_NAME: 'Dana', GIT_AUTHOR_EMAIL: 'd@example.com', GIT_COMMITTER_NAME: 'Dana', GIT_COMMITTER_EMAIL: 'd@example.com' });
      const second = await ask(plan);
      assert.equal(second.finished.get(1)!.status, 'ok');
      assert.match(second.finished.get(1)!.text, /Note the changes/);
      assert.equal(second.finished.get(2)!.status, 'ok');
      assert.match(second.finished.get(2)!.text, /Note the changes/);
      assert.equal(second.finished.get(4)!.status, 'cached');
    });

    it('recomputes find_files, grep and list_dir when a file is added', async () => {
      const plan = ['find_files("**/*.ts")', 'grep("subtract")', 'list_dir("src")', 'list_dir("docs")'];
      await ask(plan);
      fs.writeFileSync(path.join(fx.repo, 'src', 'extra.ts'), 'export const subtract = 0;\n');
      const second = await ask(plan);
      assert.deepEqual([1, 2, 3, 4].map((id) => second.finished.get(id)!.status), ['ok', 'ok', 'ok', 'cached']);
      for (const id of [1, 2, 3]) assert.match(second.finished.get(id)!.text, /extra\.ts/);
    });

    it('recomputes a search when a file appears in a new folder, or an ignore file changes', async () => {
      const plan = ['find_files("**/*.md")', 'grep("kept despite")'];
      await ask(plan);
      fs.mkdirSync(path.join(fx.repo, 'docs', 'deep', 'er'), { recursive: true });
      fs.writeFileSync(path.join(fx.repo, 'docs', 'deep', 'er', 'new.md'), '# New\n');
      const second = await ask(plan);
      assert.equal(second.finished.get(1)!.status, 'ok');
      assert.match(second.finished.get(1)!.text, /docs\/deep\/er\/new\.md/);
      assert.equal(second.finished.get(2)!.status, 'ok', 'the new file might match');
      await sleep(SETTLE_MS);
      await ask(plan);
      fs.appendFileSync(path.join(fx.repo, '.gitignore'), 'important.log\n');
      const third = await ask(plan);
      assert.equal(third.finished.get(2)!.status, 'ok');
      assert.match(third.finished.get(2)!.text, /No matches/);
    });

    it('forgets everything on clear', async () => {
      await ask(['read_file("src/math.ts")']);
      assert.equal(cache.stats.entries, 1);
      cache.clear();
      assert.equal(cache.stats.entries, 0);
      const second = await ask(['read_file("src/math.ts")']);
      assert.equal(second.finished.get(1)!.status, 'ok');
    });
  });
});
