import type { BenchMode } from '../suite/benchModes';
import type { BenchReport, ProfileResult, QuestionResult } from './benchReport';

const s = (ms: number) => (ms / 1000).toFixed(2);
const x = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`);
const n = (v: number) => Math.round(v).toLocaleString('en-US');
const us = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms * 1000)}` : '–');
const usd = (v: number) => `$${(v * 1000).toFixed(3)}`;
const SHORT: Record<string, string> = { compiler: 'compiler', 'function-calling': 'FC', react: 'ReAct', 'plan-execute': 'plan-exec' };

/** The figures as a markdown document: per profile, the per-mode means, the kinds, the questions and the targets. */
export function benchMarkdown(report: BenchReport): string {
  const out: string[] = [];
  for (const p of report.profiles) out.push(...profileSection(report, p), '');
  const inconsistent = [...new Set(report.profiles.flatMap((p) => p.questions.filter((q) => !q.consistent).map((q) => q.id)))];
  out.push(
    inconsistent.length
      ? `Warning: modes differed in tool calls or answer for: ${inconsistent.join(', ')}.`
      : 'Every mode made the same tool calls (same resolved arguments) and gave the same answer on every question.',
    '',
    `Times are wall seconds of one run; "first answer" is when the first piece of the answer reached the user. Each mode ` +
      `ran the questions one after another in a session of its own (an empty prompt cache at its start). Tokens are the ` +
      `usage the server reported, cached ones included in input. Cost: ${report.priceList.name}: $${report.priceList.inputPerMillion} ` +
      `/ M input, $${report.priceList.cachedInputPerMillion} / M cached input, $${report.priceList.outputPerMillion} / M output, shown in ` +
      `thousandths of a dollar ($0.001 = 1 m$). The bound is the least a planned run can take: the plan and the answer ` +
      `written at the server's output rate after its fixed time to first token, prompts read for free, each call started ` +
      `at its plan line or its dependencies' ends and lasting its median time in the other modes' runs. Dispatch is from ` +
      `the moment a compiler task could start (its line read, its inputs ready) to the schedule releasing it; its tool ` +
      `may start later, after the synchronous start of tasks released in the same step.`,
  );
  return out.join('\n') + '\n';
}

function profileSection(report: BenchReport, p: ProfileResult): string[] {
  const modes = report.modes;
  const others = modes.filter((m) => m !== 'compiler');
  const lines = [`### Profile \`${p.profile}\`: ${p.description}`, ''];
  lines.push(
    '| mode (mean per question) | wall s | first answer s | LLM calls | input tokens | of them cached | output tokens | cost m$ |',
    '|---|---|---|---|---|---|---|---|',
    ...p.modeTotals.map(
      (t) => `| ${t.mode} | ${s(t.wallMs)} | ${s(t.firstAnswerMs)} | ${t.llmCalls.toFixed(1)} | ${n(t.inputTokens)} | ${n(t.cachedInputTokens)} | ${n(t.outputTokens)} | ${usd(t.costUsd)} |`,
    ),
    '',
    `| kind (questions) | ${others.map((m) => `wall ${SHORT[m]} ÷ compiler | first answer ${SHORT[m]} ÷ compiler`).join(' | ')} | cost FC ÷ compiler |`,
    `|---|${others.map(() => '---|---').join('|')}|---|`,
    ...p.byKind.map((k) => `| ${k.kind} (${k.questions}) | ${others.map((m) => `${x(k.wall[m])} | ${x(k.firstAnswer[m])}`).join(' | ')} | ${x(k.cost['function-calling'])} |`),
    '',
    `| question | kind | calls (depth) | ${modes.map((m) => `${SHORT[m]} wall / first s`).join(' | ')} | LLM calls ${modes.map((m) => SHORT[m]).join('/')} | input (cached) tokens ${modes.map((m) => SHORT[m]).join(' / ')} | bound s | compiler ÷ bound |`,
    `|---|---|---|${modes.map(() => '---').join('|')}|---|---|---|---|`,
    ...p.questions.map((q) => questionRow(q, modes)),
    '',
    `Compiler ÷ critical-path bound: geomean ${x(p.compilerVsBound.geomean)}, worst ${x(p.compilerVsBound.max)}. Dispatch ` +
      `latency over ${p.dispatchMs.count} compiler tasks (ready → released by the schedule): p50 ${us(p.dispatchMs.p50)} µs, ` +
      `p99 ${us(p.dispatchMs.p99)} µs, max ${us(p.dispatchMs.max)} µs. To the tool's start, which adds the wait behind the ` +
      `synchronous start of tasks released in the same step (a process spawn): p50 ${us(p.startMs.p50)} µs, p99 ` +
      `${us(p.startMs.p99)} µs, max ${us(p.startMs.max)} µs. Releases over 1 ms: ${p.slowReleases.count}, of them ` +
      `${p.slowReleases.duringGc} during a garbage collection of the process.`,
    '',
    contextLine(p),
    '',
    '| target | goal | measured | met |',
    '|---|---|---|---|',
    ...p.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.unit === 'ms' ? `${t.value.toFixed(3)} ms` : x(t.value)} | ${t.met ? 'yes' : 'no'} |`),
  );
  return lines;
}

/** The context the profile's runs were fitted to, and whether any result had to be cut for it. */
function contextLine(p: ProfileResult): string {
  const runs = p.questions.flatMap((q) => Object.values(q.runs).filter((r) => r !== undefined));
  const contexts = [...new Set(runs.flatMap((r) => (r.contextTokens ? [r.contextTokens] : [])))];
  const cut = runs.filter((r) => (r.resultsCut ?? 0) > 0);
  const context = contexts.length ? `${contexts.map(n).join(', ')} tokens` : 'not known';
  return `Model context: ${context}. Results cut to fit it: ${cut.length ? `${cut.length} of ${runs.length} runs (${cut.map((r) => `${r.question} ${SHORT[r.mode]}: ${r.resultsCut ?? 0}`).join(', ')})` : 'none'}.`;
}

function questionRow(q: QuestionResult, modes: readonly BenchMode[]): string {
  const cell = (m: BenchMode) => {
    const r = q.runs[m];
    return r ? `${s(r.wallMs)} / ${s(r.firstAnswerMs)}` : '–';
  };
  const calls = modes.map((m) => q.runs[m]?.llmCalls ?? '–').join('/');
  const tokens = modes.map((m) => (q.runs[m] ? `${n(q.runs[m].inputTokens)} (${n(q.runs[m].cachedInputTokens)})` : '–')).join(' / ');
  return `| ${q.id} | ${q.kind} | ${q.calls} (${q.depth}) | ${modes.map(cell).join(' | ')} | ${calls} | ${tokens} | ${q.bound ? s(q.bound.boundMs) : '–'} | ${x(q.compilerVsBound)} |`;
}
