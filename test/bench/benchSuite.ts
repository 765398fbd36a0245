import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { PROMPT_VERSION } from '../../src/core/prompts';
import { runQuestion } from '../../src/core/runQuestion';
import { stableKey } from '../../src/core/stableKey';
import { ToolRegistry } from '../../src/core/toolRegistry';
import { createOpenAIModel } from '../../src/providers/openaiModel';
import type { CompilerEvent, JsonObject, ModelClient, RunMode } from '../../src/shared/types';
import { DEFAULT_RUN_SETTINGS } from '../../src/shared/types';
import { createNodeTools } from '../../src/tools/nodeTools';
import { startOpenAITestServer } from '../support/openaiTestServer';
import type { LatencyModel } from '../support/testServerScript';
import { ZERO_LATENCY } from '../support/testServerScript';
import { benchMarkdown } from './benchMarkdown';
import { speedupsSvg, timelineSvg } from './benchCharts';
import type { BenchQuestion } from './benchQuestion';
import { checkQuestion } from './benchQuestion';
import { BENCH_REPO, createBenchRepo } from './benchRepo';
import type { BenchMode, BenchReport, QuestionResult } from './benchReport';
import { MODES, aggregate, questionResult } from './benchReport';
import { createBenchScript } from './benchScript';
import type { RunTrace } from './runTrace';
import { traceOf } from './runTrace';

export interface BenchConfig {
  /** The checkout, whose node_modules holds the benchmark's codebase. */
  projectRoot: string;
  questions: BenchQuestion[];
  latency: LatencyModel;
  /** Timed runs of each question in each mode (default 1); the median one is reported. */
  repeat?: number;
  /** Where results.json, results.md and the charts go. */
  outDir: string;
  signal: AbortSignal;
  log?: (line: string) => void;
}

// Timed runs go in this order; the compiler last, so it never benefits from being first after a warm-up.
const TIMED_ORDER: readonly BenchMode[] = ['react', 'plan-execute', 'compiler'];

/**
 * Runs every question in every mode against the real Node tools on the benchmark repository, with the model served by
 * the loopback test server. A warm-up pass at zero latency first learns the arguments `$N` resolves to (ReAct writes
 * them as literals), checks that every mode makes the same calls, and warms the tools' caches for all modes alike.
 */
export async function runBench(config: BenchConfig): Promise<BenchReport> {
  const log = config.log ?? (() => undefined);
  config.questions.forEach(checkQuestion);
  const repo = await createBenchRepo(config.projectRoot, config.signal);
  const tools = new ToolRegistry(createNodeTools());
  const bench = createBenchScript(config.questions, tools.specs());
  const server = await startOpenAITestServer({ script: bench.script, latency: ZERO_LATENCY });
  const model = createOpenAIModel({ baseURL: server.url, model: 'test-model', apiKey: 'bench', maxRetries: 0 });
  const run = (q: BenchQuestion, mode: RunMode) => runOnce(q, mode, { model, tools, roots: [repo.root], signal: config.signal });
  try {
    const consistent = new Map<string, boolean>();
    // The warm-up compiler run of each question: every later run must make the same calls.
    const reference = new Map<string, RunTrace>();
    for (const q of config.questions) {
      const compiler = await run(q, 'compiler');
      expectAnswered(q, compiler);
      const resolved = q.calls.map((_, i) => compiler.tasks.find((t) => t.id === i + 1)?.resolvedArgs);
      bench.setResolved(q.id, resolved);
      reference.set(q.id, compiler);
      const others = [await run(q, 'react'), await run(q, 'plan-execute')];
      others.forEach((t) => expectAnswered(q, t));
      consistent.set(q.id, others.every((t) => sameCalls(compiler, t)));
      log(`warm-up ${q.id}: ${compiler.tasks.length} calls, same in every mode: ${consistent.get(q.id) ? 'yes' : 'NO'}`);
    }

    server.setLatency(config.latency);
    const runs = new Map(config.questions.map((q) => [q.id, { compiler: [], react: [], 'plan-execute': [] } as Record<BenchMode, RunTrace[]>]));
    const repeat = config.repeat ?? 1;
    // Repetitions go round the whole suite, so a slow spell of the machine does not hit one question only.
    for (let rep = 1; rep <= repeat; rep++) {
      for (const q of config.questions) {
        const own = runs.get(q.id)!;
        for (const mode of TIMED_ORDER) {
          const trace = await run(q, mode);
          expectAnswered(q, trace);
          if (!sameCalls(reference.get(q.id)!, trace)) consistent.set(q.id, false);
          own[mode].push(trace);
        }
        const wall = (m: BenchMode) => `${m} ${(own[m].at(-1)!.summary.wallMs / 1000).toFixed(2)} s`;
        log(`${repeat > 1 ? `[${rep}/${repeat}] ` : ''}${q.id}: ${MODES.map(wall).join(', ')}`);
      }
    }
    const results: QuestionResult[] = config.questions.map((q) => questionResult(q, runs.get(q.id)!, consistent.get(q.id)!));

    const { aggregate: agg, targets } = aggregate(results);
    const report: BenchReport = {
      generatedAt: new Date().toISOString(),
      repository: { name: BENCH_REPO.name, source: BENCH_REPO.source, why: BENCH_REPO.why, commits: repo.commits },
      latency: config.latency,
      promptVersion: PROMPT_VERSION,
      settings: DEFAULT_RUN_SETTINGS,
      machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
      questions: results,
      aggregate: agg,
      targets,
    };
    await writeOutputs(report, config.outDir);
    return report;
  } finally {
    await server.close();
    await repo.remove();
  }
}

async function runOnce(
  q: BenchQuestion,
  mode: RunMode,
  env: { model: ModelClient; tools: ToolRegistry; roots: string[]; signal: AbortSignal },
): Promise<RunTrace> {
  const events: CompilerEvent[] = [];
  const summary = await runQuestion({
    question: q.question,
    model: env.model,
    tools: env.tools,
    roots: env.roots,
    settings: { mode },
    signal: env.signal,
    observer: (e) => events.push(e),
  });
  return traceOf(mode, events, summary);
}

/** A benchmark run that did not answer, or whose calls failed, measures nothing: stop with the reason. */
function expectAnswered(q: BenchQuestion, trace: RunTrace): void {
  const { summary } = trace;
  if (summary.outcome !== 'answered') {
    throw new Error(`${q.id} (${trace.mode}) ended ${summary.outcome}: ${summary.error?.message ?? ''}`);
  }
  const failed = trace.tasks.filter((t) => t.status !== 'ok' && t.status !== 'cached');
  if (failed.length) {
    throw new Error(`${q.id} (${trace.mode}): ${failed.map((t) => `${t.id}. ${t.tool}(${t.args}) ${t.status}: ${t.error ?? ''}`).join('; ')}`);
  }
  if (summary.answer?.trim() !== q.answer.trim()) throw new Error(`${q.id} (${trace.mode}) answered something else: ${summary.answer}`);
}

function sameCalls(a: RunTrace, b: RunTrace): boolean {
  const keys = (t: RunTrace) => t.tasks.map((task) => `${task.tool} ${stableKey((task.resolvedArgs ?? {}) as JsonObject)}`).sort();
  return stableKey(keys(a)) === stableKey(keys(b));
}

async function writeOutputs(report: BenchReport, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(outDir, 'results.md'), benchMarkdown(report));
  await writeFile(path.join(outDir, 'speedups.svg'), speedupsSvg(report.questions));
  // The fan-out question with the most calls shows the difference best.
  const fanOut = [...report.questions].filter((q) => q.kind === 'fan-out').sort((a, b) => b.calls - a.calls)[0] ?? report.questions[0];
  if (fanOut) await writeFile(path.join(outDir, 'timeline.svg'), timelineSvg(fanOut));
}
