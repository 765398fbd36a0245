import assert from 'node:assert/strict';
import * as diagnostics from 'node:diagnostics_channel';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { liveSymbolWorkers } from '../../src/tools/symbols/symbolWorker';
import { waitFor } from '../support/processes';
import type { BenchReport } from '../bench/report/benchReport';
import { BENCH_QUESTIONS } from '../bench/suite/benchQuestions';
import type { BenchTraces } from '../bench/suite/benchSuite';
import { runBench } from '../bench/suite/benchSuite';
import { unbackedCitations } from '../bench/suite/answerCitations';
import { requireRipgrep } from '../support/backends';
import { HOSTED_PROFILE } from '../support/modelServer/serving/serverProfiles';
import { ZERO_LATENCY } from '../support/modelServer/testServerScript';

describe('benchmark questions with cold tools', function () {
  this.timeout(300_000);
  const cold = BENCH_QUESTIONS.filter((q) => q.coldTools);
  // A question on the same codebase with warm tools, first: its warm-up builds the session's language service.
  const ids = ['headers-chain', ...cold.map((q) => q.id)];
  const modes = ['compiler', 'function-calling-serial'] as const;
  let outDir: string;
  let report: BenchReport;
  let traces: BenchTraces;
  /** Worker threads started during each run, in the order the runs ended: its log line, then how many. */
  const started: Array<{ run: string; workers: number }> = [];
  let workersAtStart: number;

  before(async function () {
    requireRipgrep(this);
    outDir = await mkdtemp(path.join(tmpdir(), 'llm-compiler-bench-cold-'));
    workersAtStart = liveSymbolWorkers();
    // Each symbol service lives in a worker thread of its own; with ripgrep, grep and find_files start none.
    let count = 0;
    const onStart = (): void => {
      count++;
    };
    diagnostics.subscribe('worker_threads', onStart);
    let before = 0;
    try {
      ({ report, traces } = await runBench({
        projectRoot: path.resolve(__dirname, '..', '..'),
        questions: BENCH_QUESTIONS.filter((q) => ids.includes(q.id)),
        profiles: [{ ...HOSTED_PROFILE, latency: ZERO_LATENCY }],
        modes: [...modes],
        outDir,
        signal: new AbortController().signal,
        log: (line) => {
          started.push({ run: line.replace(/:.*$/, ''), workers: count - before });
          before = count;
        },
      }));
    } finally {
      diagnostics.unsubscribe('worker_threads', onStart);
    }
  });

  after(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('are external questions on the SDK that call the symbol tools', () => {
    assert.ok(cold.length >= 2, 'at least two');
    for (const q of cold) assert.deepEqual([q.kind, q.workspace], ['external', 'openai-node'], q.id);
  });

  it('give every timed run, in every mode, a language service of its own; the warm question and the warm-up share one', () => {
    assert.deepEqual(started, [
      // The warm-up pass: one service for the codebase, built by the first question and kept.
      { run: 'warm-up headers-chain', workers: 1 },
      ...cold.map((q) => ({ run: `warm-up ${q.id}`, workers: 0 })),
      ...ids.flatMap((id, i) => {
        // The modes take turns going first.
        const order = modes.map((_, k) => modes[(k + i) % modes.length]!);
        return order.map((mode) => ({ run: `hosted ${id} ${mode}`, workers: id === 'headers-chain' ? 0 : 1 }));
      }),
    ]);
  });

  it('end every language service they built: a cold run\'s after the run, the shared one with the bench', async () => {
    assert.ok(await waitFor(() => liveSymbolWorkers() === workersAtStart, 10_000), 'every worker the bench started has exited');
  });

  it('mark their runs cold in results.json and time the first symbol call of every run', () => {
    assert.equal(report.runs.length, ids.length * modes.length);
    for (const run of report.runs) {
      assert.equal(run.coldTools, run.question === 'headers-chain' ? undefined : true, `${run.question} ${run.mode}`);
      assert.ok(run.firstSymbolCallMs !== undefined && run.firstSymbolCallMs > 0, `${run.question} ${run.mode}: first symbol call timed`);
    }
    const figures = report.profiles[0]!.coldTools!;
    assert.deepEqual([figures.questions, figures.runs, figures.warm?.runs], [cold.map((q) => q.id), cold.length * modes.length, modes.length]);
  });

  it('give answers whose every cited line and commit the run\'s tool results showed', () => {
    for (const q of cold) {
      for (const mode of modes) {
        const trace = traces.get('hosted')!.get(q.id)![mode]!;
        assert.equal(trace.summary.answer?.trim(), q.answer);
        assert.deepEqual(unbackedCitations(q.answer, trace.tasks), [], `${q.id} (${mode}) cites what no result showed`);
      }
    }
  });
});
