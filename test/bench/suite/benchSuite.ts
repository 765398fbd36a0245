import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import type { PerformanceEntry } from 'node:perf_hooks';
import * as path from 'node:path';
import { PROMPT_VERSION } from '../../../src/core/prompts';
import { runQuestion } from '../../../src/core/runQuestion';
import { stableKey } from '../../../src/core/stableKey';
import type { ToolRegistry } from '../../../src/core/toolRegistry';
import { createOpenAIModel } from '../../../src/providers/openaiModel';
import type { ReadAheadChoice } from '../../../src/providers/openaiModel';
import type { CompilerEvent } from '../../../src/shared/runEvents';
import type { JsonObject } from '../../../src/shared/json';
import type { ModelClient } from '../../../src/shared/modelContract';
import { DEFAULT_RUN_SETTINGS } from '../../../src/shared/runSettings';
import { createNodeToolSet } from '../../../src/tools/nodeTools';
import { Session } from '../../../src/host/session';
import type { Tool } from '../../../src/shared/toolContract';
import { startOpenAITestServer } from '../../support/modelServer/openaiTestServer';
import { ContextCache } from '../../../src/providers/modelContext';
import type { OpenAITestServer } from '../../support/modelServer/openaiTestServer';
import type { ServerProfile } from '../../support/modelServer/serving/serverProfiles';
import { ZERO_LATENCY } from '../../support/modelServer/testServerScript';
import { benchMarkdown } from '../report/benchMarkdown';
import { speedupsSvg, timelineSvg } from '../report/benchCharts';
import type { BenchMode } from './benchModes';
import { plansAhead, runModeOf } from './benchModes';
import { PRICE_LISTS } from '../report/benchMetrics';
import { UnbackedAnswersError, unbackedCitations } from './answerCitations';
import type { UnbackedAnswer } from './answerCitations';
import type { BenchQuestion, BenchWorkspace } from './benchQuestion';
import { agentCalls, allCalls, checkQuestion, doomedCalls } from './benchQuestion';
import type { BenchRepo } from './benchRepo';
import { BENCH_REPO, createBenchRepo } from './benchRepo';
import type { BenchReport, ProfileResult } from '../report/benchReport';
import { profileResult, questionResult } from '../report/benchReport';
import { createBenchScript } from './benchScript';
import type { RunTrace } from './runTrace';
import { serverSpans, traceOf } from './runTrace';
import { LARGE_REPO, createLargeRepo } from './largeRepo';
import { startStandInServers } from './standInServers';

export interface BenchConfig {
  /** The checkout, whose node_modules holds the benchmark's codebases. */
  projectRoot: string;
  questions: BenchQuestion[];
  /** Each profile gets its own timed pass over every question in every mode. */
  profiles: ServerProfile[];
  modes: BenchMode[];
  /** Where results.json, results.md and the charts go. */
  outDir: string;
  signal: AbortSignal;
  log?: (line: string) => void;
}

/** The traces behind a report, for its charts: profile → question → mode. */
export type BenchTraces = Map<string, Map<string, Partial<Record<BenchMode, RunTrace>>>>;

/** The client every mode uses; it reads the joiner's prompt ahead as it would by default against the profile's kind of server. */
function benchModel(server: OpenAITestServer, readAhead: ReadAheadChoice, model = 'test-model'): ModelClient {
  // A cache of its own: each profile's server says its own context.
  return createOpenAIModel({ baseURL: server.url, model, apiKey: 'bench', maxRetries: 0, readAhead, contextCache: new ContextCache() });
}

/**
 * Runs every question in every mode against the real Node tools on the benchmark repositories, the model played by
 * loopback test servers. A warm-up compiler pass at zero latency first learns the arguments `$N` resolves to (ReAct
 * and function calling write them as literals) and warms the tools' caches for all modes alike, but for the questions
 * with `coldTools`, whose every timed run, in every mode, meets tools of its own, cold. Then, per profile, each mode
 * has a session of its own (its own server, an empty prompt cache at the start) that sees the questions one after
 * another, as a user of that mode would ask them; the modes take turns question by question, so the machine's slow
 * spells fall on all of them. Every scripted answer may cite only the lines and commits its warm-up run's tool results
 * showed; every timed run must make the warm-up's calls and give the scripted answer.
 */
export async function runBench(config: BenchConfig): Promise<{ report: BenchReport; traces: BenchTraces }> {
  const log = config.log ?? (() => undefined);
  for (const q of config.questions) checkQuestion(q, { maxTurns: Math.min(DEFAULT_RUN_SETTINGS.maxToolTurns, DEFAULT_RUN_SETTINGS.maxReactSteps) });
  const repos = await createRepos(config);
  // A user with MCP servers configured has their tools offered for every question, not only those that call them.
  const external = config.questions.some((q) => q.kind === 'external')
    ? await startStandInServers(config.projectRoot, config.signal).catch(async (error: unknown) => {
        await Promise.all([...repos.values()].map((r) => r.remove()));
        throw error;
      })
    : undefined;
  const externalTools = external?.tools ?? [];
  // The tools of one long session, warm from the warm-up pass on; questions with cold tools get theirs per run.
  // Put together as every surface's session puts them: external tools held to the workspace tools' rules.
  const sessionTools = (workspaceTools: Tool[]) =>
    new Session({ sources: [{ name: 'workspace', tools: () => workspaceTools }, { name: 'mcp', tools: () => externalTools }] }).tools(config.signal);
  const workspace = createNodeToolSet();
  const tools = await sessionTools(workspace.tools);
  const bench = createBenchScript(config.questions, tools.specs());
  // One server per mode: each mode's session keeps a prompt cache of its own while the modes take turns.
  const servers = new Map<BenchMode, OpenAITestServer>();
  const models = new Map<BenchMode, ModelClient>();
  // The warm-up's server: the compiler's own, if it races, else one of its own.
  const warmModes: BenchMode[] = config.modes.includes('compiler') ? [...config.modes] : ['compiler', ...config.modes];
  const run = async (q: BenchQuestion, mode: BenchMode, cold = false): Promise<RunTrace> => {
    const env = { model: models.get(mode)!, server: servers.get(mode)!, roots: [repos.get(q.workspace ?? 'ajv')!.root], signal: config.signal };
    if (!cold) return runOnce(q, mode, { ...env, tools });
    // Tools as a fresh process has them: no language service built until the run's own warm-up (started by
    // runQuestion when the question arrives, in every mode) or its first symbol call builds one.
    const fresh = createNodeToolSet();
    try {
      return await runOnce(q, mode, { ...env, tools: await sessionTools(fresh.tools) });
    } finally {
      fresh.close();
    }
  };
  try {
    for (const mode of warmModes) {
      const server = await startOpenAITestServer({ script: bench.scriptFor(mode), latency: ZERO_LATENCY });
      servers.set(mode, server);
      models.set(mode, benchModel(server, 'off'));
    }
    // The warm-up compiler run of each question learns the resolved arguments and warms the tools' caches.
    const reference = new Map<string, RunTrace>();
    const unbacked: UnbackedAnswer[] = [];
    for (const q of config.questions) {
      const compiler = await run(q, 'compiler');
      expectAnswered(q, compiler, undefined);
      const missing = unbackedCitations(q.answer, compiler.tasks);
      if (missing.length) unbacked.push({ question: q.id, missing });
      bench.setResolved(q.id, allCalls(q).map((_, i) => compiler.tasks.find((t) => t.id === i + 1)?.resolvedArgs));
      reference.set(q.id, compiler);
      log(`warm-up ${q.id}: ${compiler.tasks.length} calls`);
    }
    // A scripted answer that cites what its tools never returned would credit the model with what it did not read.
    if (unbacked.length) throw new UnbackedAnswersError(unbacked);

    const consistent = new Map(config.questions.map((q) => [q.id, true]));
    const traces: BenchTraces = new Map();
    const profiles: ProfileResult[] = [];
    for (const profile of config.profiles) {
      const byQuestion = new Map(config.questions.map((q) => [q.id, {} as Partial<Record<BenchMode, RunTrace>>]));
      traces.set(profile.name, byQuestion);
      for (const mode of config.modes) {
        const server = servers.get(mode)!;
        server.setLatency(profile.latency);
        server.setPrefixCache(profile.prefixCache);
        server.setChatTemplate(profile.chatTemplate);
        server.setSlots(profile.slots);
        server.setContext(profile.context);
        models.set(mode, benchModel(server, profile.onThisMachine ? 'on' : 'off', profile.model));
      }
      for (const [i, q] of config.questions.entries()) {
        // The modes take turns going first, so a slow spell of the machine does not always hit the same one.
        const order = config.modes.map((_, k) => config.modes[(k + i) % config.modes.length]!);
        for (const mode of order) {
          const trace = await run(q, mode, q.coldTools === true);
          expectAnswered(q, trace, reference.get(q.id)!);
          if (!sameCalls(q, reference.get(q.id)!, trace)) consistent.set(q.id, false);
          byQuestion.get(q.id)![mode] = trace;
          const first = trace.firstAnswerMs === undefined ? '' : `, first answer token ${(trace.firstAnswerMs / 1000).toFixed(2)} s`;
          log(`${profile.name} ${q.id} ${mode}: ${(trace.summary.wallMs / 1000).toFixed(2)} s${first}`);
        }
      }
      const results = config.questions.map((q) => questionResult(profile, q, byQuestion.get(q.id)!, consistent.get(q.id)!));
      profiles.push(profileResult(profile, results, config.modes));
    }
    const report: BenchReport = {
      generatedAt: new Date().toISOString(),
      repositories: [...repos.entries()].map(([name, repo]) => {
        const about = name === 'ajv' ? BENCH_REPO : LARGE_REPO;
        return { name: about.name, source: about.source, why: about.why, commits: repo.commits };
      }),
      priceLists: [...PRICE_LISTS],
      promptVersion: PROMPT_VERSION,
      settings: DEFAULT_RUN_SETTINGS,
      machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
      modes: [...config.modes],
      profiles,
      runs: profiles.flatMap((p) => p.questions.flatMap((q) => config.modes.map((m) => q.runs[m]).filter((r) => r !== undefined))),
    };
    await writeOutputs(report, traces, config.outDir);
    return { report, traces };
  } finally {
    await Promise.all([...servers.values()].map((server) => server.close()));
    await Promise.all([...repos.values()].map((r) => r.remove()));
    await external?.close();
    workspace.close();
  }
}

async function createRepos(config: BenchConfig): Promise<Map<BenchWorkspace, BenchRepo>> {
  const needed = new Set(config.questions.map((q) => q.workspace ?? 'ajv'));
  const repos = new Map<BenchWorkspace, BenchRepo>();
  try {
    if (needed.has('ajv')) repos.set('ajv', await createBenchRepo(config.projectRoot, config.signal));
    if (needed.has('openai-node')) repos.set('openai-node', await createLargeRepo(config.projectRoot, config.signal));
  } catch (error) {
    await Promise.all([...repos.values()].map((r) => r.remove()));
    throw error;
  }
  return repos;
}

async function runOnce(
  q: BenchQuestion,
  mode: BenchMode,
  env: { model: ModelClient; server: OpenAITestServer; tools: ToolRegistry; roots: string[]; signal: AbortSignal },
): Promise<RunTrace> {
  const firstRequest = env.server.requests.length;
  const events: CompilerEvent[] = [];
  // The run's clock starts at its first event; garbage-collection pauses are placed on it.
  let clockStart: number | undefined;
  const gc: PerformanceEntry[] = [];
  const gcObserver = new PerformanceObserver((list) => gc.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ['gc'] });
  try {
    const summary = await runQuestion({
      question: q.question,
      model: env.model,
      tools: env.tools,
      roots: env.roots,
      settings: { mode: runModeOf(mode) },
      signal: env.signal,
      observer: (e) => {
        clockStart ??= performance.now() - e.t;
        events.push(e);
      },
    });
    // Entries are delivered after the fact.
    await new Promise((resolve) => setImmediate(resolve));
    gc.push(...gcObserver.takeRecords());
    const pauses = gc.map((e) => ({ start: e.startTime - (clockStart ?? 0), ms: e.duration })).filter((p) => p.start + p.ms >= 0);
    return { ...traceOf(mode, events, summary), pauses, server: serverSpans(env.server.requests.slice(firstRequest)) };
  } finally {
    gcObserver.disconnect();
  }
}

const callKey = (task: { tool: string; resolvedArgs?: JsonObject }) => `${task.tool} ${stableKey((task.resolvedArgs ?? {}) as JsonObject)}`;

/** The calls of the question that may fail in any mode: the first plan's misses, and what depends on them. */
function mayFail(q: BenchQuestion): Set<number> {
  const misses = q.calls.flatMap((c, i) => (c.miss !== undefined ? [i] : []));
  return new Set([...misses, ...doomedCalls(q)]);
}

/**
 * A benchmark run that did not answer, or whose calls failed other than where the question's first plan misses,
 * measures nothing: stop with the reason. The warm-up (no reference yet) is the compiler's, whose task N is call N;
 * a call that depends on a miss must not succeed there, or the miss was none.
 */
function expectAnswered(q: BenchQuestion, trace: RunTrace, reference: RunTrace | undefined): void {
  const { summary } = trace;
  if (summary.outcome !== 'answered') {
    throw new Error(`${q.id} (${trace.mode}) ended ${summary.outcome}: ${summary.error?.message ?? ''}`);
  }
  const may = mayFail(q);
  const allowed = reference
    ? new Set(reference.tasks.filter((t) => may.has(t.id - 1)).map(callKey))
    : undefined;
  const failed = trace.tasks.filter((t) => t.status !== 'ok' && t.status !== 'cached' && !(allowed ? allowed.has(callKey(t)) : may.has(t.id - 1)));
  if (failed.length) {
    throw new Error(`${q.id} (${trace.mode}): ${failed.map((t) => `${t.id}. ${t.tool}(${t.args}) ${t.status}: ${t.error ?? ''}`).join('; ')}`);
  }
  if (!reference) {
    const doomed = doomedCalls(q);
    const succeeded = trace.tasks.filter((t) => doomed.has(t.id - 1) && (t.status === 'ok' || t.status === 'cached'));
    if (succeeded.length) throw new Error(`${q.id}: ${succeeded.map((t) => `${t.id}. ${t.tool}(${t.args})`).join(', ')} depend on a miss, yet succeeded`);
  }
  if (summary.answer?.trim() !== q.answer.trim()) throw new Error(`${q.id} (${trace.mode}) answered something else: ${summary.answer}`);
}

/** The mode made the calls the question scripts for it, with the arguments the reference run resolved. */
function sameCalls(q: BenchQuestion, reference: RunTrace, trace: RunTrace): boolean {
  const agent = new Set(agentCalls(q));
  const expected = reference.tasks.filter((t) => plansAhead(trace.mode) || agent.has(t.id - 1)).map(callKey).sort();
  return stableKey(expected) === stableKey(trace.tasks.map(callKey).sort());
}

async function writeOutputs(report: BenchReport, traces: BenchTraces, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(outDir, 'results.md'), benchMarkdown(report));
  await writeFile(path.join(outDir, 'speedups.svg'), speedupsSvg(report));
  for (const profile of report.profiles) {
    // A chain of dependent lookups shows what streaming buys best: the deepest question, a deep one first.
    const pick = [...profile.questions].sort((a, b) => Number(b.kind === 'deep') - Number(a.kind === 'deep') || b.depth - a.depth)[0];
    if (pick) await writeFile(path.join(outDir, `timeline-${profile.profile}.svg`), timelineSvg(pick, traces.get(profile.profile)!.get(pick.id)!, report.modes));
  }
}
