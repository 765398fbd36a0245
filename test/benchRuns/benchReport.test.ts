import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HOSTED_PROFILE, LOCAL_PROFILE } from '../support/modelServer/serving/serverProfiles';
import { ZERO_LATENCY } from '../support/modelServer/testServerScript';
import { BENCH_QUESTIONS } from '../bench/suite/benchQuestions';
import type { BenchReport } from '../bench/report/benchReport';
import { runBench } from '../bench/suite/benchSuite';

describe('benchmark suite', function () {
  this.timeout(300_000);
  let outDir: string;
  let report: BenchReport;
  const ids = ['recent', 'unique-items', 'schema-refs-chain'];
  const modes = ['compiler', 'function-calling-serial', 'react', 'plan-execute'] as const;

  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'llm-compiler-bench-test-'));
    ({ report } = await runBench({
      projectRoot: path.resolve(__dirname, '..', '..'),
      questions: BENCH_QUESTIONS.filter((q) => ids.includes(q.id)),
      profiles: [HOSTED_PROFILE, LOCAL_PROFILE].map((p) => ({ ...p, latency: ZERO_LATENCY })),
      modes: [...modes],
      outDir,
      signal: new AbortController().signal,
    }));
  });

  after(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('records one run per profile, question and mode, with figures taken from the runs', () => {
    assert.equal(report.runs.length, 2 * ids.length * modes.length);
    for (const run of report.runs) {
      // resultsCut: only when a result was cut; firstSymbolCallMs: only when the run called a symbol tool.
      assert.deepEqual(Object.keys(run).filter((k) => k !== 'resultsCut' && k !== 'firstSymbolCallMs').sort(), [
        'cachedInputTokens', 'contextTokens', 'costUsd', 'costsUsd', 'firstAnswerMs', 'inputTokens', 'kind', 'llmCalls', 'mode', 'outputTokens', 'profile', 'question', 'readAheads', 'wallMs',
      ]);
      // Each profile's model context, as its server says it (the hosted one from OpenAI's published table).
      assert.equal(run.contextTokens, run.profile === 'local' ? 8192 : 128_000);
      assert.ok(run.wallMs > 0 && run.firstAnswerMs > 0 && run.firstAnswerMs <= run.wallMs, `${run.question} ${run.mode} times`);
      assert.ok(run.inputTokens > 0 && run.outputTokens > 0 && run.cachedInputTokens >= 0 && run.cachedInputTokens < run.inputTokens);
      assert.ok(run.costUsd > 0);
      // Of these questions only schema-refs-chain calls a symbol tool (definition, then references); none has cold tools.
      assert.equal(run.firstSymbolCallMs !== undefined, run.question === 'schema-refs-chain', `${run.question} ${run.mode} first symbol call`);
      assert.equal(run.coldTools, undefined);
    }
    const recent = report.runs.find((r) => r.profile === 'hosted' && r.question === 'recent' && r.mode === 'react')!;
    assert.equal(recent.llmCalls, 7, 'ReAct: one call per tool call, then the answer');
    const serial = report.runs.find((r) => r.profile === 'hosted' && r.question === 'recent' && r.mode === 'function-calling-serial')!;
    assert.equal(serial.llmCalls, 7, 'function calling one call a turn: six turns of calls, then the answer');
    assert.deepEqual(Object.keys(serial.costsUsd), ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-5-mini']);
    assert.deepEqual([...new Set(report.runs.map((r) => r.kind))].sort(), ['fan-out', 'multi-hop', 'sequential']);
  });

  it('warms the prompt cache within a session: ReAct reuses its own conversation, the hosted cache its 1 024-token prefixes', () => {
    for (const profile of ['hosted', 'local']) {
      const react = report.runs.filter((r) => r.profile === profile && r.mode === 'react');
      assert.ok(react.every((r) => r.cachedInputTokens > 0), `${profile}: every ReAct question reuses its earlier turns`);
    }
    const hosted = report.runs.filter((r) => r.profile === 'hosted' && r.mode === 'compiler');
    assert.ok(hosted.slice(1).some((r) => r.cachedInputTokens > 0), 'later compiler questions reuse the planner prefix');
  });

  it('computes the bound from other modes\' tool times, and the per-kind ratios and targets', () => {
    for (const p of report.profiles) {
      assert.deepEqual(p.questions.map((q) => q.id), ids);
      for (const q of p.questions) {
        assert.ok(q.consistent, `${q.id}: same calls and answer in every mode`);
        assert.ok(q.bound && q.bound.boundMs > 0 && q.bound.firstAnswerMs <= q.bound.boundMs);
        assert.equal(q.dispatchSamplesMs.length, q.calls);
      }
      assert.deepEqual(p.byKind.map((k) => k.kind), ['fan-out', 'sequential', 'multi-hop']);
      for (const k of p.byKind) assert.ok(Number.isFinite(k.wall.react!) && k.wall.react! > 0);
      assert.deepEqual(p.modeTotals.map((t) => t.mode), [...modes]);
      // Against the serial baseline per kind; no ideal function-calling runs here, so no goal against it, nor of cost.
      assert.deepEqual(p.targets.map((t) => t.name), [
        'fan-out: wall time, function calling one call a turn ÷ compiler',
        'sequential: wall time, function calling one call a turn ÷ compiler',
        'multi-hop: wall time, function calling one call a turn ÷ compiler',
        'compiler dispatch latency p99 (task ready → released by the schedule)',
      ]);
    }
  });

  it('writes the JSON, the markdown tables and the charts', async () => {
    const json = JSON.parse(await readFile(path.join(outDir, 'results.json'), 'utf8')) as BenchReport;
    assert.equal(json.runs.length, report.runs.length);
    const markdown = await readFile(path.join(outDir, 'results.md'), 'utf8');
    assert.match(markdown, /^### Profile `hosted`/);
    assert.match(markdown, /\| recent \| fan-out \| 6 \(1\) \|/);
    assert.match(markdown, /\| schema-refs-chain \| multi-hop \| 4 \(3\) \|/);
    assert.match(markdown, /\| target \| goal \| measured \| met \|/);
    assert.match(markdown, /Model context: 8,192 tokens\. Results cut to fit it: (none|\d+ of \d+ runs)/);
    for (const chart of ['timeline-hosted.svg', 'timeline-local.svg', 'speedups.svg']) {
      assert.match(await readFile(path.join(outDir, chart), 'utf8'), /^<svg xmlns/);
    }
  });
});
