import assert from 'node:assert/strict';
import { countTextTokens } from '../../../src/providers/tokenCount';
import type { JsonObject } from '../../../src/shared/json';
import type { RunSummary } from '../../../src/shared/runEvents';
import type { BenchQuestion } from '../../bench/suite/benchQuestion';
import { callLevels } from '../../bench/suite/benchQuestion';
import { GPT_4O_MINI_PRICES, costUsd, criticalPathBound, dispatchLatencies } from '../../bench/report/benchMetrics';
import type { QuestionResult, RunRecord } from '../../bench/report/benchReport';
import { profileResult, runRecord, targets, toolTimesElsewhere } from '../../bench/report/benchReport';
import { benchMarkdown } from '../../bench/report/benchMarkdown';
import type { RunTrace, TaskSpan } from '../../bench/suite/runTrace';
import { functionCallingReply } from '../../bench/suite/scriptedReplies';
import { HOSTED_PROFILE } from '../../support/modelServer/serverProfiles';

const CHAIN: BenchQuestion = {
  id: 'chain',
  kind: 'multi-hop',
  question: 'q?',
  calls: [
    { tool: 'definition', args: '"f"', why: '' },
    { tool: 'read_file', args: '$1[0].path', why: '' },
    { tool: 'references', args: '"${1[0].path}:${1[0].line}"', why: '' },
    { tool: 'git_blame', args: '$3[-1].path', why: '' },
  ],
  conclusion: 'c',
  answer: 'The answer.',
};

function summary(wallMs: number, inputTokens: number, outputTokens: number): RunSummary {
  return {
    outcome: 'answered',
    llmCalls: 2,
    inputTokens,
    outputTokens,
    tokensEstimated: false,
    wallMs,
    rounds: 1,
    tasks: { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 },
    sequentialToolMs: 0,
    maxParallel: 1,
    calls: [],
  };
}

const task = (id: number, tool: string, path: string, ms: number): TaskSpan => ({
  id, tool, args: '', deps: [], plannedAt: 0, start: 0, end: ms, ms, status: 'ok', resolvedArgs: { path },
});

describe('benchmark metrics', () => {
  it('prices uncached input, cached input and output separately (gpt-4o-mini list)', () => {
    const usd = costUsd({ inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 500 }, GPT_4O_MINI_PRICES);
    assert.ok(Math.abs(usd - (6_000 * 0.15 + 4_000 * 0.075 + 500 * 0.6) / 1e6) < 1e-12);
  });

  it('bounds a planned run from the plan text, the latency model and the given tool times, not from any run', () => {
    const latency = { ttftBaseMs: 100, prefillMsPerToken: 5, tokensPerSecond: 100 };
    const none = criticalPathBound(CHAIN, [0, 0, 0, 0], latency);
    const slow = criticalPathBound(CHAIN, [1000, 50, 2000, 3000], latency);
    // Reading prompts is free in the bound; writing the answer is not.
    assert.ok(Math.abs(slow.boundMs - slow.firstAnswerMs - countTextTokens(CHAIN.answer) * 10) < 1e-9);
    // The chain 1 → 3 → 4 is 6 s of tools; the read beside it adds nothing.
    assert.ok(slow.toolsEndMs >= 6000 && slow.toolsEndMs < 6000 + none.planEndMs);
    assert.equal(slow.firstAnswerMs, Math.max(slow.planEndMs, slow.toolsEndMs) + 100);
    assert.ok(none.toolsEndMs <= none.planEndMs);
  });

  it('takes each call\'s tool time from the other modes\' runs, matched by tool and resolved arguments', () => {
    const trace = (mode: RunTrace['mode'], tasks: TaskSpan[]): RunTrace => ({ mode, summary: summary(1, 1, 1), llm: [], tasks });
    const compiler = trace('compiler', [task(1, 'read_file', 'a', 1), task(2, 'read_file', 'b', 1)]);
    const others = [trace('react', [task(7, 'read_file', 'b', 30), task(8, 'read_file', 'a', 10)]), trace('plan-execute', [task(1, 'read_file', 'a', 20)])];
    const q: BenchQuestion = { ...CHAIN, calls: CHAIN.calls.slice(0, 2) };
    assert.deepEqual(toolTimesElsewhere(q, compiler, others), [15, 30]);
  });

  it('function calling issues every call of a dependency level in one turn, then answers', () => {
    assert.deepEqual(callLevels(CHAIN), [1, 2, 2, 3]);
    const resolved: JsonObject[] = [{ name_or_location: 'f' }, { path: 'a.ts' }, { name_or_location: 'a.ts:1' }, { path: 'b.ts' }];
    const turns = [0, 1, 2, 3].map((t) => functionCallingReply(CHAIN, t, resolved));
    assert.deepEqual(turns.map((t) => t.toolCalls?.map((c) => c.name) ?? []), [['definition'], ['read_file', 'references'], ['git_blame'], []]);
    assert.equal(turns[1]!.toolCalls![1]!.arguments, JSON.stringify(resolved[2]));
    assert.equal(turns[3]!.text, CHAIN.answer);
    assert.notEqual(turns[1]!.toolCalls![0]!.id, turns[1]!.toolCalls![1]!.id);
  });

  it('reports per-kind geometric means of the other mode over the compiler, and the targets against function calling', () => {
    const record = (question: string, kind: RunRecord['kind'], mode: RunRecord['mode'], wallMs: number, firstAnswerMs: number, costUsdValue: number): RunRecord => ({
      profile: 'hosted', question, kind, mode, wallMs, firstAnswerMs, llmCalls: 2, inputTokens: 100, cachedInputTokens: 0, outputTokens: 10, costUsd: costUsdValue,
    });
    const q = (id: string, kind: RunRecord['kind'], fcWall: number, fcFirst: number): QuestionResult => ({
      id, kind, question: id, calls: 3, depth: 3, consistent: true, dispatchSamplesMs: [{ scheduleMs: 0.1, startMs: 0.1, gcMs: 0 }, { scheduleMs: 2, startMs: 3, gcMs: 1.5 }],
      runs: { compiler: record(id, kind, 'compiler', 1000, 500, 1), 'function-calling': record(id, kind, 'function-calling', fcWall, fcFirst, 2) },
    });
    const result = profileResult(HOSTED_PROFILE, [q('a', 'multi-hop', 2000, 1000), q('b', 'multi-hop', 1000, 500), q('c', 'fan-out', 900, 500)], ['compiler', 'function-calling']);
    const multi = result.byKind.find((k) => k.kind === 'multi-hop')!;
    assert.ok(Math.abs(multi.wall['function-calling']! - Math.SQRT2) < 1e-9);
    assert.ok(Math.abs(multi.firstAnswer['function-calling']! - Math.SQRT2) < 1e-9);
    const byName = new Map(result.targets.map((t) => [t.name, t]));
    assert.equal(byName.get('multi-hop: time to first answer token, function calling ÷ compiler')!.met, true);
    assert.equal(byName.get('multi-hop: wall time, function calling ÷ compiler')!.met, true);
    assert.equal(byName.get('fan-out: wall time, function calling ÷ compiler')!.met, false, '0.9× is slower');
    assert.equal(byName.get('cost per question (mean), function calling ÷ compiler')!.value, 2);
    assert.equal(byName.has('slow-tools: wall time, function calling ÷ compiler'), false, 'no slow-tools questions ran');
    assert.deepEqual(targets([], [], NaN), []);
    assert.equal(result.dispatchMs.max, 2);
    assert.equal(result.startMs.max, 3, 'one tool started 3 ms after it could, behind a sibling');
    assert.deepEqual(result.slowReleases, { count: 3, duringGc: 3 }, 'one slow release per question, each during a collection');
  });

  it('splits dispatch latency into the schedule releasing a task and its tool starting', () => {
    const span = (id: number, deps: number[], plannedAt: number, readyAt: number, start: number, end: number) => ({
      id, tool: 'grep', args: '', deps, plannedAt, readyAt, start, end, ms: end - start, status: 'ok' as const,
    });
    const trace: RunTrace = {
      mode: 'compiler',
      summary: summary(100, 10, 10),
      llm: [],
      // Task 1 ends at 50; tasks 2 and 3 are released together at 50.1, and 3 starts after 2's synchronous start.
      tasks: [span(1, [], 10, 10, 10, 50), span(2, [1], 20, 50.1, 50.1, 80), span(3, [1], 30, 50.1, 54, 90)],
      // A collection from 49.95 to 50.05 overlaps the release of tasks 2 and 3 by 0.05 ms; one at 20 overlaps nothing.
      pauses: [{ start: 20, ms: 0 }, { start: 49.95, ms: 0.1 }],
    };
    const round = (x: number) => +x.toFixed(3);
    const latencies = dispatchLatencies(trace).map((d) => ({ scheduleMs: round(d.scheduleMs), startMs: round(d.startMs), gcMs: round(d.gcMs) }));
    assert.deepEqual(latencies, [
      { scheduleMs: 0, startMs: 0, gcMs: 0 },
      { scheduleMs: 0.1, startMs: 0.1, gcMs: 0.05 },
      { scheduleMs: 0.1, startMs: 4, gcMs: 0.05 },
    ]);
  });

  it('a run record counts the cached tokens of every call and falls back to the wall time without a streamed answer', () => {
    const trace: RunTrace = {
      mode: 'compiler',
      summary: summary(2000, 3000, 100),
      llm: [
        { purpose: 'planner', round: 1, start: 0, end: 1, inputTokens: 1000, cachedInputTokens: 512, outputTokens: 50 },
        { purpose: 'joiner', round: 1, start: 1, end: 2, inputTokens: 2000, cachedInputTokens: 1024, outputTokens: 50 },
      ],
      tasks: [],
    };
    const r = runRecord('local', CHAIN, trace, GPT_4O_MINI_PRICES);
    assert.equal(r.cachedInputTokens, 1536);
    assert.equal(r.firstAnswerMs, 2000);
    assert.equal(r.costUsd, costUsd({ inputTokens: 3000, cachedInputTokens: 1536, outputTokens: 100 }, GPT_4O_MINI_PRICES));
  });

  it('the markdown shows a section per profile with the mode means, the kinds and the targets', () => {
    const result = profileResult(HOSTED_PROFILE, [], ['compiler']);
    const md = benchMarkdown({
      generatedAt: '', repositories: [], priceList: GPT_4O_MINI_PRICES, promptVersion: 1, settings: {} as never,
      machine: { node: '', platform: '', cpus: 2 }, modes: ['compiler'], profiles: [result], runs: [],
    });
    assert.match(md, /### Profile `hosted`/);
    assert.match(md, /\| mode \(mean per question\) \| wall s \| first answer s \|/);
    assert.match(md, /gpt-4o-mini/);
  });
});
