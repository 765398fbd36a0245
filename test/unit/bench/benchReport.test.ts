import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ZERO_LATENCY } from '../../support/testServerScript';
import { BENCH_QUESTIONS } from '../../bench/benchQuestions';
import type { BenchReport } from '../../bench/benchReport';
import { MODES } from '../../bench/benchReport';
import { runBench } from '../../bench/benchSuite';

describe('benchmark report', function () {
  this.timeout(120_000);
  let outDir: string;
  let report: BenchReport;

  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'llm-compiler-bench-test-'));
    report = await runBench({
      projectRoot: path.resolve(__dirname, '..', '..', '..'),
      questions: BENCH_QUESTIONS.filter((q) => q.id === 'recent' || q.id === 'unique-items'),
      latency: ZERO_LATENCY,
      outDir,
      signal: new AbortController().signal,
    });
  });

  after(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('has every mode of every question, with figures taken from the runs', () => {
    assert.deepEqual(report.questions.map((q) => [q.id, q.kind]), [['recent', 'fan-out'], ['unique-items', 'sequential']]);
    for (const q of report.questions) {
      assert.ok(q.consistent, `${q.id}: same calls and answer in every mode`);
      for (const mode of MODES) {
        const m = q.modes[mode];
        assert.equal(m.outcome, 'answered');
        assert.equal(m.tasks, q.calls);
        assert.ok(m.wallMs > 0 && m.inputTokens > 0 && m.outputTokens > 0, `${q.id} ${mode} figures`);
        assert.equal(m.tokensEstimated, false, 'usage reported by the server');
        assert.equal(q.traces[mode].tasks.length, q.calls);
      }
      assert.equal(q.modes.react.llmCalls, q.calls + 1, 'ReAct: one call per tool call, then the answer');
      assert.equal(q.modes.compiler.llmCalls, 2, 'compiler: planner and joiner');
      assert.ok(q.modes.react.inputTokens > q.modes.compiler.inputTokens, 'ReAct resends the growing conversation');
      assert.ok(q.criticalPath && q.criticalPath.boundMs <= q.modes.compiler.wallMs + 1e-6);
      assert.equal(q.dispatchMs.count, q.calls);
      assert.ok(q.dispatchMs.p50 >= 0 && q.dispatchMs.p99 >= q.dispatchMs.p50);
    }
    assert.deepEqual(report.questions.map((q) => q.depth), [1, 2]);
  });

  it('aggregates speedups, tokens, the bound and dispatch, and checks the targets', () => {
    const a = report.aggregate;
    for (const value of [a.speedupVsReact.fanOut, a.speedupVsReact.sequential, a.tokenRatioVsReact.fanOut, a.compilerVsBound.max, a.dispatchMs.p99]) {
      assert.ok(Number.isFinite(value) && value >= 0);
    }
    assert.equal(a.dispatchMs.count, 8);
    assert.equal(report.targets.length, 5);
    for (const t of report.targets) assert.equal(typeof t.met, 'boolean');
    assert.equal(report.repository.name, 'ajv');
  });

  it('writes the JSON, the markdown table and the charts', async () => {
    const json = JSON.parse(await readFile(path.join(outDir, 'results.json'), 'utf8')) as BenchReport;
    assert.equal(json.questions.length, 2);
    const markdown = await readFile(path.join(outDir, 'results.md'), 'utf8');
    assert.match(markdown, /^\| question \| kind \|/);
    assert.match(markdown, /\| recent \| fan-out \| 6 \(1\) \|/);
    assert.match(markdown, /\| target \| goal \| measured \| met \|/);
    for (const chart of ['timeline.svg', 'speedups.svg']) {
      assert.match(await readFile(path.join(outDir, chart), 'utf8'), /^<svg xmlns/);
    }
  });
});
