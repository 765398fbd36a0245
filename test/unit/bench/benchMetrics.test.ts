import assert from 'node:assert/strict';
import { countTextTokens } from '../../../src/providers/tokenCount';
import type { JsonObject } from '../../../src/shared/json';
import type { RunSummary } from '../../../src/shared/runEvents';
import type { BenchQuestion } from '../../bench/suite/benchQuestion';
import { callLevels } from '../../bench/suite/benchQuestion';
import { GPT_4O_MINI_PRICES, GPT_4_1_MINI_PRICES, GPT_5_MINI_PRICES, NO_PROMPT_COSTS, PRICE_LISTS, cachedDiscount, costUsd, criticalPathBound, dispatchLatencies, promptCosts } from '../../bench/report/benchMetrics';
import type { QuestionResult, RunRecord } from '../../bench/report/benchReport';
import { profileResult, questionResult, readAheadFigures, runRecord, serviceReadyElsewhere, targets, toolTimesElsewhere } from '../../bench/report/benchReport';
import { benchMarkdown, targetsTable } from '../../bench/report/benchMarkdown';
import type { RunTrace, TaskSpan } from '../../bench/suite/runTrace';
import { functionCallingReply } from '../../bench/suite/scriptedReplies';
import { HOSTED_PROFILE, LOCAL_PROFILE } from '../../support/modelServer/serving/serverProfiles';
import { joinerReply } from '../../bench/suite/scriptedReplies';

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
  it('prices uncached input, cached input and output separately, at three discounts on cached input', () => {
    const tokens = { inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 500 };
    assert.ok(Math.abs(costUsd(tokens, GPT_4O_MINI_PRICES) - (6_000 * 0.15 + 4_000 * 0.075 + 500 * 0.6) / 1e6) < 1e-12);
    assert.ok(Math.abs(costUsd(tokens, GPT_4_1_MINI_PRICES) - (6_000 * 0.4 + 4_000 * 0.1 + 500 * 1.6) / 1e6) < 1e-12);
    assert.ok(Math.abs(costUsd(tokens, GPT_5_MINI_PRICES) - (6_000 * 0.25 + 4_000 * 0.025 + 500 * 2) / 1e6) < 1e-12);
    assert.deepEqual(PRICE_LISTS.map((p) => Math.round(cachedDiscount(p) * 100)), [50, 75, 90]);
  });

  it('bounds a planned run from the plan text, the latency model and the given tool times, not from any run', () => {
    const latency = { ttftBaseMs: 100, prefillMsPerToken: 5, tokensPerSecond: 100 };
    const none = criticalPathBound(CHAIN, [0, 0, 0, 0], latency);
    const slow = criticalPathBound(CHAIN, [1000, 50, 2000, 3000], latency);
    // Without prompt costs, reading prompts is free; writing the joiner's reply is not.
    const reply = joinerReply(CHAIN);
    const before = countTextTokens('Action: Finish(');
    assert.ok(Math.abs(slow.boundMs - slow.firstAnswerMs - (countTextTokens(reply) - before) * 10) < 1e-9);
    // The chain 1 → 3 → 4 is 6 s of tools; the read beside it adds nothing.
    assert.ok(slow.toolsEndMs >= 6000 && slow.toolsEndMs < 6000 + none.planEndMs);
    assert.equal(slow.firstAnswerMs, Math.max(slow.planEndMs, slow.toolsEndMs) + 100 + before * 10);
    assert.ok(none.toolsEndMs <= none.planEndMs);
    assert.deepEqual([slow.prefillMs, slow.slotWaitMs], [0, 0]);
  });

  it('bounds a question with cold tools: its first symbol call ends no sooner than the service was ready elsewhere', () => {
    const latency = { ttftBaseMs: 100, prefillMsPerToken: 5, tokensPerSecond: 100 };
    const warm = criticalPathBound(CHAIN, [1000, 50, 2000, 3000], latency);
    // The definition (call 1) waits for the service until 9 s; the references and the blame after it take their time.
    const cold = criticalPathBound(CHAIN, [1000, 50, 2000, 3000], latency, NO_PROMPT_COSTS, 9000);
    assert.equal(cold.toolsEndMs, 9000 + 2000 + 3000);
    // A service ready before the call could start costs the call nothing more than starting: its time elsewhere was the wait.
    const early = criticalPathBound(CHAIN, [1000, 50, 2000, 3000], latency, NO_PROMPT_COSTS, 0);
    assert.equal(early.toolsEndMs, criticalPathBound(CHAIN, [0, 50, 2000, 3000], latency).toolsEndMs);
    assert.ok(early.toolsEndMs < warm.toolsEndMs && warm.toolsEndMs < cold.toolsEndMs);

    const span = (id: number, tool: string, start: number, end: number): TaskSpan => ({ id, tool, args: '', deps: [], plannedAt: 0, start, end, ms: end - start, status: 'ok' });
    const trace = (tasks: TaskSpan[]): RunTrace => ({ mode: 'react', summary: summary(1, 1, 1), llm: [], tasks });
    // Each run's first symbol call by start: the references of the first run started after its definition.
    const runs = [trace([span(1, 'grep', 0, 100), span(2, 'definition', 500, 4200), span(3, 'references', 4200, 4400)]), trace([span(1, 'references', 300, 3900), span(2, 'outline', 10, 20)])];
    assert.equal(serviceReadyElsewhere(runs), 3900);
    assert.equal(serviceReadyElsewhere([trace([span(1, 'grep', 0, 100)])]), undefined);
  });

  it('adds to the bound the prefill of each request\'s uncached prompt and its wait for a slot', () => {
    const latency = { ttftBaseMs: 100, prefillMsPerToken: 5, tokensPerSecond: 100 };
    const costs = promptCosts([
      { purpose: 'planner', round: 1, slotWaitMs: 0, promptTokens: 3000, cachedTokens: 2000 },
      { purpose: 'read-ahead', round: 1, slotWaitMs: 0, promptTokens: 3500, cachedTokens: 3000 },
      { purpose: 'joiner', round: 1, slotWaitMs: 300, promptTokens: 3600, cachedTokens: 3400 },
    ]);
    for (const toolMs of [[0, 0, 0, 0], [1000, 50, 2000, 3000]]) {
      const free = criticalPathBound(CHAIN, toolMs, latency);
      const paid = criticalPathBound(CHAIN, toolMs, latency, costs);
      // 1 000 uncached planner tokens and 200 joiner tokens at 5 ms, and 300 ms in the queue; the read-ahead is off the path.
      assert.equal(paid.prefillMs, 6000);
      assert.equal(paid.slotWaitMs, 300);
      assert.ok(Math.abs(paid.boundMs - free.boundMs - 6300) < 1e-9, `${paid.boundMs} against ${free.boundMs}`);
    }
  });

  it('bounds a question whose first plan misses over both rounds: the replan starts when the joiner has asked for it', () => {
    const latency = { ttftBaseMs: 100, prefillMsPerToken: 0, tokensPerSecond: 100 };
    const missing: BenchQuestion = {
      ...CHAIN,
      calls: [{ tool: 'definition', args: '"g"', why: '', miss: 'no such name' }, { tool: 'read_file', args: '$1[0].path', why: '' }],
      replan: { reason: 'g does not exist', calls: [{ tool: 'grep', args: '"f"', why: '' }, { tool: 'read_file', args: '$3[0].path', why: '' }] },
    };
    const oneRound: BenchQuestion = { ...missing, calls: missing.calls.map((c) => ({ tool: c.tool, args: c.args, why: c.why })), replan: undefined };
    const two = criticalPathBound(missing, [100, 0, 200, 300], latency);
    const one = criticalPathBound(oneRound, [100, 0], latency);
    const round1End = Math.max(one.planEndMs, one.toolsEndMs) + 100 + countTextTokens(joinerReply(missing, 1)) * 10;
    // Round 2: its planner's first token, its two lines, the chain of 200 + 300 ms, then the joiner's answer.
    assert.ok(two.planEndMs > round1End + 100, `${two.planEndMs} after ${round1End}`);
    assert.ok(two.toolsEndMs >= two.planEndMs - 10 + 300 && two.toolsEndMs > round1End + 500);
    assert.ok(Math.abs(two.boundMs - (Math.max(two.planEndMs, two.toolsEndMs) + 100 + countTextTokens(joinerReply(missing, 2)) * 10)) < 1e-9);
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
      profile: 'hosted', question, kind, mode, wallMs, firstAnswerMs, llmCalls: 2, readAheads: 0, inputTokens: 100, cachedInputTokens: 0, outputTokens: 10, costUsd: costUsdValue,
      costsUsd: { 'gpt-4o-mini': costUsdValue, 'gpt-4.1-mini': costUsdValue * 2, 'gpt-5-mini': mode === 'compiler' ? 3 : 2 },
    });
    const q = (id: string, kind: RunRecord['kind'], fcWall: number, fcFirst: number): QuestionResult => ({
      id, kind, workspace: 'ajv', coldTools: false, question: id, calls: 3, depth: 3, consistent: true, dispatchSamplesMs: [{ scheduleMs: 0.1, startMs: 0.1, gcMs: 0 }, { scheduleMs: 2, startMs: 3, gcMs: 1.5 }],
      runs: { compiler: record(id, kind, 'compiler', 1000, 500, 1), 'function-calling': record(id, kind, 'function-calling', fcWall, fcFirst, 2) },
    });
    const result = profileResult(HOSTED_PROFILE, [q('a', 'multi-hop', 2000, 1000), q('b', 'multi-hop', 1000, 500), q('c', 'fan-out', 900, 500)], ['compiler', 'function-calling']);
    const multi = result.byKind.find((k) => k.kind === 'multi-hop')!;
    assert.ok(Math.abs(multi.wall['function-calling']! - Math.SQRT2) < 1e-9);
    assert.ok(Math.abs(multi.firstAnswer['function-calling']! - Math.SQRT2) < 1e-9);
    const byName = new Map(result.targets.map((t) => [t.name, t]));
    assert.equal(byName.get('multi-hop: time to first answer token, function calling ÷ compiler')!.met, true);
    assert.equal(byName.get('fan-out: wall time, function calling ÷ compiler')!.met, false, '0.9× is slower');
    // Cost is the compiler's over function calling's, at each discount: half at two, 1.5× at the third.
    assert.equal(byName.get('cost per question (mean), compiler ÷ function calling, cached input 50% off (gpt-4o-mini)')!.value, 0.5);
    assert.equal(byName.get('cost per question (mean), compiler ÷ function calling, cached input 75% off (gpt-4.1-mini)')!.met, true);
    const gpt5 = byName.get('cost per question (mean), compiler ÷ function calling, cached input 90% off (gpt-5-mini)')!;
    assert.deepEqual([gpt5.value, gpt5.goal, gpt5.met], [1.5, '≤ 1.00×', false]);
    assert.equal(byName.has('deep: wall time, function calling ÷ compiler'), false, 'no deep questions ran');
    assert.ok(![...byName.keys()].some((name) => name.includes('one call a turn')), 'the serial baseline did not run');
    assert.deepEqual(targets('hosted', [], [], NaN), []);
    assert.equal(result.dispatchMs.max, 2);
    assert.equal(result.startMs.max, 3, 'one tool started 3 ms after it could, behind a sibling');
    assert.deepEqual(result.slowReleases, { count: 3, duringGc: 3 }, 'one slow release per question, each during a collection');
  });

  it('marks the runs of questions with cold tools and compares their first symbol call with warm runs on the same workspace', () => {
    const task = (id: number, tool: string, start: number, ms: number): TaskSpan => ({ id, tool, args: '', deps: [], plannedAt: 0, start, end: start + ms, ms, status: 'ok' });
    const trace = (mode: RunTrace['mode'], tasks: TaskSpan[]): RunTrace => ({ mode, summary: summary(9000, 100, 10), llm: [], tasks });
    const question = (id: string, workspace: 'ajv' | 'openai-node', coldTools: boolean): BenchQuestion => ({ ...CHAIN, id, kind: 'external', workspace, coldTools });
    // An outline builds no service, and a grep is no symbol call: the first definition or references counts.
    const cold = question('cold', 'openai-node', true);
    const coldRuns = {
      compiler: trace('compiler', [task(1, 'grep', 10, 50), task(2, 'outline', 20, 5), task(3, 'definition', 400, 4000), task(4, 'references', 4400, 900)]),
      'function-calling': trace('function-calling', [task(1, 'references', 900, 3000), task(2, 'definition', 100, 5000)]),
    };
    const warm = question('warm', 'openai-node', false);
    const warmRuns = { compiler: trace('compiler', [task(1, 'definition', 300, 120)]), 'function-calling': trace('function-calling', [task(1, 'definition', 700, 140)]) };
    const other = question('elsewhere', 'ajv', false);
    const otherRuns = { compiler: trace('compiler', [task(1, 'symbols', 300, 20)]), 'function-calling': trace('function-calling', [task(1, 'read_file', 300, 2)]) };
    const results = [questionResult(HOSTED_PROFILE, cold, coldRuns, true), questionResult(HOSTED_PROFILE, warm, warmRuns, true), questionResult(HOSTED_PROFILE, other, otherRuns, true)];

    const records = results.flatMap((r) => Object.values(r.runs));
    assert.deepEqual(records.map((r) => [r!.question, r!.mode, r!.coldTools, r!.firstSymbolCallMs]), [
      ['cold', 'compiler', true, 4000],
      ['cold', 'function-calling', true, 5000],
      ['warm', 'compiler', undefined, 120],
      ['warm', 'function-calling', undefined, 140],
      ['elsewhere', 'compiler', undefined, 20],
      ['elsewhere', 'function-calling', undefined, undefined],
    ]);
    const profile = profileResult(HOSTED_PROFILE, results, ['compiler', 'function-calling']);
    // The ajv question's warm call is another workspace's: left out of the comparison.
    assert.deepEqual(profile.coldTools, { questions: ['cold'], runs: 2, firstSymbolCallMs: { median: 4500, min: 4000, max: 5000 }, warm: { runs: 2, medianMs: 130 } });
    assert.equal(profileResult(HOSTED_PROFILE, results.slice(1), ['compiler', 'function-calling']).coldTools, undefined, 'no question with cold tools ran');
    const markdown = benchMarkdown({
      generatedAt: '', repositories: [], priceLists: [...PRICE_LISTS], promptVersion: 1, settings: {} as never,
      machine: { node: '', platform: '', cpus: 2 }, modes: ['compiler', 'function-calling'], profiles: [profile], runs: records.filter((r) => r !== undefined),
    });
    assert.match(markdown, /\| cold \| external, cold tools \|/);
    assert.match(markdown, /Cold tools: the 2 runs of cold each had workspace tools of their own/);
    assert.match(markdown, /first symbol call took 4\.50 s \(median; 4\.00–5\.00 s\), against 0\.13 s in the 2 runs with warm tools on the same workspaces/);
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
    const r = runRecord('local', CHAIN, trace);
    assert.equal(r.cachedInputTokens, 1536);
    assert.equal(r.firstAnswerMs, 2000);
    const tokens = { inputTokens: 3000, cachedInputTokens: 1536, outputTokens: 100 };
    assert.equal(r.costUsd, costUsd(tokens, GPT_4O_MINI_PRICES));
    assert.deepEqual(r.costsUsd, Object.fromEntries(PRICE_LISTS.map((p) => [p.id, costUsd(tokens, p)])));
  });

  it('counts what the read-aheads had the server read early, less the joiner\'s wait behind them', () => {
    const trace: RunTrace = {
      mode: 'compiler',
      summary: summary(2000, 3000, 100),
      llm: [],
      tasks: [],
      server: [
        { purpose: 'planner', round: 1, slotWaitMs: 0, promptTokens: 2000, cachedTokens: 1900 },
        { purpose: 'read-ahead', round: 1, slotWaitMs: 0, promptTokens: 2600, cachedTokens: 2096 },
        { purpose: 'read-ahead', round: 1, slotWaitMs: 0, promptTokens: 3000, cachedTokens: 2592 },
        { purpose: 'joiner', round: 1, slotWaitMs: 40, promptTokens: 3050, cachedTokens: 2992 },
      ],
    };
    const figures = readAheadFigures(trace, LOCAL_PROFILE.latency);
    assert.deepEqual({ ...figures, savedMs: Math.round(figures.savedMs) }, { requests: 2, tokensAhead: 912, joinerSlotWaitMs: 40, joinerHeldMs: 0, savedMs: Math.round(912 * (1000 / 266) - 40) });
  });

  it('takes off the saving the time the joiner held its request back for a read-ahead still in flight', () => {
    // The last task ends at 1,000 ms; the joiner sends only at 2,500 ms, once the read-ahead has ended.
    const llm = (purpose: 'planner' | 'read-ahead' | 'joiner', start: number, end: number) => ({ purpose, round: 1, start, end, inputTokens: 0, cachedInputTokens: 0, outputTokens: 1 });
    const trace: RunTrace = {
      mode: 'compiler',
      summary: summary(2000, 3000, 100),
      llm: [llm('planner', 0, 400), llm('read-ahead', 500, 2500), llm('joiner', 2500, 3000)],
      tasks: [
        { id: 1, tool: 'grep', args: '', deps: [], plannedAt: 100, start: 100, end: 300, ms: 200, status: 'ok' },
        { id: 2, tool: 'grep', args: '', deps: [], plannedAt: 200, start: 200, end: 1000, ms: 800, status: 'ok' },
      ],
      server: [
        { purpose: 'planner', round: 1, slotWaitMs: 0, promptTokens: 2000, cachedTokens: 1900 },
        { purpose: 'read-ahead', round: 1, slotWaitMs: 0, promptTokens: 2600, cachedTokens: 2000 },
        { purpose: 'joiner', round: 1, slotWaitMs: 0, promptTokens: 2650, cachedTokens: 2592 },
      ],
    };
    const figures = readAheadFigures(trace, LOCAL_PROFILE.latency);
    assert.equal(figures.joinerHeldMs, 1500);
    assert.equal(Math.round(figures.savedMs), Math.round(600 * (1000 / 266) - 1500));
  });

  it('the markdown shows a section per profile with the mode means, the kinds and the targets', () => {
    const result = profileResult(HOSTED_PROFILE, [], ['compiler']);
    const md = benchMarkdown({
      generatedAt: '', repositories: [], priceLists: [...PRICE_LISTS], promptVersion: 1, settings: {} as never,
      machine: { node: '', platform: '', cpus: 2 }, modes: ['compiler'], profiles: [result], runs: [],
    });
    assert.match(md, /### Profile `hosted`/);
    assert.match(md, /\| mode \(mean per question\) \| wall s \| first answer s \|/);
    assert.match(md, /\| mode: cost per question \(mean\) \| gpt-4o-mini \| gpt-4.1-mini \| gpt-5-mini \|/);
    assert.match(md, /gpt-4o-mini/);
    assert.match(md, /### Targets/);
  });

  it('the targets table puts the profiles side by side: each goal and figure, misses marked, goals a profile lacks left empty', () => {
    const kind = (k: RunRecord['kind'], wall: number, first: number, serial: number) => ({
      kind: k, questions: 3, wall: { 'function-calling': wall, 'function-calling-serial': serial }, firstAnswer: { 'function-calling': first }, cost: {},
    });
    const totals = (cost: number) => [
      { mode: 'compiler' as const, wallMs: 1, firstAnswerMs: 1, llmCalls: 2, readAheads: 0, inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, costUsd: cost, costsUsd: { 'gpt-4o-mini': cost, 'gpt-4.1-mini': cost, 'gpt-5-mini': cost } },
      { mode: 'function-calling' as const, wallMs: 1, firstAnswerMs: 1, llmCalls: 3, readAheads: 0, inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, costUsd: 1, costsUsd: { 'gpt-4o-mini': 1, 'gpt-4.1-mini': 1, 'gpt-5-mini': 1 } },
    ];
    const hosted = targets('hosted', [kind('multi-hop', 1.1, 1.5, 1.6), kind('deep', 1.3, 1.5, 2), kind('replan', 0.85, 0.9, 1)], totals(0.9), 0.2);
    const local = targets('local', [kind('multi-hop', 0.99, 1.0, 1.1), kind('deep', 1.05, 1, 1.3), kind('replan', 0.7, 0.8, 1)], totals(1.1), 0.3);
    const goal = (ts: typeof hosted, name: string) => ts.find((t) => t.name === name);
    // The goals differ by profile; multi-hop's first answer token has none on local; replan has no serial goal.
    assert.deepEqual([goal(hosted, 'deep: wall time, function calling ÷ compiler')!.goal, goal(local, 'deep: wall time, function calling ÷ compiler')!.goal], ['≥ 1.40×', '≥ 1.00×']);
    assert.equal(goal(local, 'multi-hop: time to first answer token, function calling ÷ compiler'), undefined);
    assert.equal(goal(hosted, 'replan: wall time, function calling one call a turn ÷ compiler'), undefined);
    assert.equal(goal(hosted, 'multi-hop: wall time, function calling one call a turn ÷ compiler')!.met, true);
    assert.equal(goal(local, 'multi-hop: wall time, function calling one call a turn ÷ compiler')!.met, false, '1.10× is under 1.20×');
    const table = targetsTable({ profiles: [{ profile: 'hosted', targets: hosted }, { profile: 'local', targets: local }] as never });
    assert.equal(table[0], '| target | hosted: goal | hosted: measured | local: goal | local: measured |');
    assert.ok(table.includes('| deep: wall time, function calling ÷ compiler | ≥ 1.40× | 1.30× **missed** | ≥ 1.00× | 1.05× met |'), table.join('\n'));
    assert.ok(table.includes('| multi-hop: time to first answer token, function calling ÷ compiler | ≥ 1.35× | 1.50× met | – | – |'));
    assert.ok(table.includes('| cost per question (mean), compiler ÷ function calling, cached input 90% off (gpt-5-mini) | ≤ 1.00× | 0.90× met | ≤ 1.00× | 1.10× **missed** |'));
    assert.ok(table.includes('| compiler dispatch latency p99 (task ready → released by the schedule) | < 1 ms | 0.200 ms met | < 1 ms | 0.300 ms met |'));
  });
});
