import { runQuestion } from '../../../src/core/runQuestion';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import type { CompilerEvent, EventOf } from '../../../src/shared/runEvents';
import { createNodeTools } from '../../../src/tools/nodeTools';
import { createResultCache } from '../../../src/host/session';
import type { ResultCache } from '../../../src/core/resultCache';
import { createScriptedModel } from '../../support/scriptedModel';
import { median } from '../report/benchMetrics';
import { createBenchRepo } from '../suite/benchRepo';

/**
 * Five follow-up questions a developer asks one after another about ajv's length limits, each planned as the
 * calls it needs. They overlap as real follow-ups do: the second needs some of what the first looked up.
 */
export const SESSION_CHAIN: ReadonlyArray<{ question: string; calls: string[] }> = [
  {
    question: 'How does maxLength count the length of a string?',
    calls: ['grep("ucs2length")', 'read_file("lib/vocabularies/validation/limitLength.ts")', 'definition("ucs2length")', 'find_files("lib/vocabularies/validation/*.ts")'],
  },
  {
    question: 'Why is a surrogate pair one character there, and since when?',
    calls: ['read_file("lib/runtime/ucs2length.ts")', 'grep("ucs2length")', 'read_file("lib/vocabularies/validation/limitLength.ts")', 'git_log(path="lib/runtime/ucs2length.ts")'],
  },
  {
    question: 'Which other limit keywords are there, and how do they differ?',
    calls: [
      'find_files("lib/vocabularies/validation/*.ts")',
      'read_file("lib/vocabularies/validation/limitNumber.ts")',
      'read_file("lib/vocabularies/validation/limitItems.ts")',
      'read_file("lib/vocabularies/validation/limitLength.ts")',
      'grep("fail$data", glob="lib/vocabularies/**")',
    ],
  },
  {
    question: 'Who wrote the validation keywords, and in which commit?',
    calls: ['git_log(path="lib/vocabularies/validation")', 'git_blame("lib/vocabularies/validation/limitLength.ts")', 'find_files("lib/vocabularies/validation/*.ts")', 'read_file("lib/vocabularies/validation/index.ts")'],
  },
  {
    question: 'Where are these keywords registered, and what else uses ucs2length?',
    calls: ['read_file("lib/vocabularies/validation/index.ts")', 'references("ucs2length")', 'grep("ucs2length")', 'list_dir("lib/vocabularies")', 'git_log()'],
  },
];

const FINISH = 'Thought: The results answer it.\nAction: Finish(Answered from the results.)';

export interface ChainRun {
  /** Per question: tool time (every task's time, a reused task's check included) and wall time, in ms. */
  toolMs: number[];
  wallMs: number[];
  reused: number[];
  tasks: number[];
  /** Each task's text, in order, to check that reuse changes no result. */
  texts: string[];
}

export interface SessionReport {
  without: ChainRun;
  with: ChainRun;
  runs: number;
  /** True when every run with reuse gave the same task results as the runs without. */
  identical: boolean;
}

async function runChain(tools: ToolRegistry, root: string, cache: ResultCache | undefined, signal: AbortSignal): Promise<ChainRun> {
  const out: ChainRun = { toolMs: [], wallMs: [], reused: [], tasks: [], texts: [] };
  for (const { question, calls } of SESSION_CHAIN) {
    const plan = `${calls.map((c, i) => `${i + 1}. ${c}`).join('\n')}\njoin()\n<END_OF_PLAN>`;
    const finished: Array<EventOf<'task-finished'>> = [];
    const summary = await runQuestion({
      question,
      model: createScriptedModel(() => plan),
      joinerModel: createScriptedModel(() => FINISH),
      tools,
      roots: [root],
      signal,
      ...(cache ? { resultCache: cache } : {}),
      observer: (e: CompilerEvent) => {
        if (e.type === 'task-finished') finished.push(e);
      },
    });
    if (summary.outcome !== 'answered') throw new Error(`session bench: "${question}" ended ${summary.outcome}: ${summary.error?.message}`);
    const failed = finished.find((e) => e.status !== 'ok' && e.status !== 'cached');
    if (failed) throw new Error(`session bench: ${failed.tool}(${failed.args}) ${failed.status}: ${failed.error?.message}`);
    out.toolMs.push(finished.reduce((n, e) => n + e.ms, 0));
    out.wallMs.push(summary.wallMs);
    out.reused.push(summary.tasks.cached);
    out.tasks.push(summary.tasks.total);
    out.texts.push(...finished.sort((a, b) => a.id - b.id).map((e) => e.text));
  }
  return out;
}

function medianRun(runs: ChainRun[]): ChainRun {
  const at = (pick: (r: ChainRun) => number[]) => pick(runs[0]).map((_, i) => median(runs.map((r) => pick(r)[i])));
  return { toolMs: at((r) => r.toolMs), wallMs: at((r) => r.wallMs), reused: runs[0].reused, tasks: runs[0].tasks, texts: runs[0].texts };
}

/**
 * The chain in one session with reuse (a fresh cache per chain) and without, alternating, after a warm-up chain, on
 * the benchmark repository with the real Node tools. The model answers at once, so the times are the tools' and the
 * runs' own.
 */
export async function runSessionBench(options: { projectRoot: string; runs?: number; signal: AbortSignal; log?: (line: string) => void }): Promise<SessionReport> {
  const runs = options.runs ?? 5;
  const repo = await createBenchRepo(options.projectRoot, options.signal);
  const tools = new ToolRegistry(createNodeTools());
  try {
    // Files written moments ago cannot be told from later edits by their timestamps; the warm-up covers that too.
    await runChain(tools, repo.root, undefined, options.signal);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const without: ChainRun[] = [];
    const withReuse: ChainRun[] = [];
    for (let i = 0; i < runs; i++) {
      without.push(await runChain(tools, repo.root, undefined, options.signal));
      withReuse.push(await runChain(tools, repo.root, createResultCache(), options.signal));
      options.log?.(`session chain ${i + 1}/${runs} done`);
    }
    const reference = without[0].texts;
    const identical = [...without, ...withReuse].every((r) => r.texts.length === reference.length && r.texts.every((t, i) => t === reference[i]));
    return { without: medianRun(without), with: medianRun(withReuse), runs, identical };
  } finally {
    await repo.remove();
  }
}

const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
const ms = (v: number) => `${v.toFixed(0)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : '–');

export function formatSession(report: SessionReport): string {
  const rows = SESSION_CHAIN.map(
    (q, i) =>
      `| ${i + 1}. ${q.question} | ${report.with.reused[i]}/${report.with.tasks[i]} | ${ms(report.without.toolMs[i])} | ${ms(report.with.toolMs[i])} | ${ms(report.without.wallMs[i])} | ${ms(report.with.wallMs[i])} |`,
  );
  const toolWithout = sum(report.without.toolMs);
  const toolWith = sum(report.with.toolMs);
  const wallWithout = sum(report.without.wallMs);
  const wallWith = sum(report.with.wallMs);
  return [
    '| Question | Reused | Tool time without | with reuse | Wall time without | with reuse |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    `| **All five** | ${sum(report.with.reused)}/${sum(report.with.tasks)} | ${ms(toolWithout)} | ${ms(toolWith)} | ${ms(wallWithout)} | ${ms(wallWith)} |`,
    '',
    `Tool time ${ratio(toolWithout, toolWith)} less with reuse (a reused task's time is the check that its result still holds), ` +
      `wall time ${ratio(wallWithout, wallWith)} less. Medians of ${report.runs} chains each way, alternating; the model answers at once. ` +
      `Task results identical with and without reuse: ${report.identical ? 'yes' : 'NO'}.`,
  ].join('\n');
}
