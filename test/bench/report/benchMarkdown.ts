import type { BenchMode } from '../suite/benchModes';
import type { BenchReport, ProfileResult, QuestionResult, Target } from './benchReport';

const s = (ms: number) => (ms / 1000).toFixed(2);
const x = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`);
const n = (v: number) => Math.round(v).toLocaleString('en-US');
const us = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms * 1000)}` : '–');
const usd = (v: number) => `$${(v * 1000).toFixed(3)}`;
const SHORT: Record<BenchMode, string> = { compiler: 'compiler', 'function-calling': 'FC', 'function-calling-serial': 'FC serial', react: 'ReAct', 'plan-execute': 'plan-exec' };

/** A target's figure as the tables show it. */
export function targetFigure(t: Target): string {
  return t.unit === 'ms' ? `${t.value.toFixed(3)} ms` : x(t.value);
}

/**
 * Every profile's targets side by side, one row per target: its goal and figure on each profile, misses marked, a
 * target a profile has no goal for (or did not run) left empty.
 */
export function targetsTable(report: Pick<BenchReport, 'profiles'>): string[] {
  const names = [...new Set(report.profiles.flatMap((p) => p.targets.map((t) => t.name)))];
  return [
    `| target | ${report.profiles.map((p) => `${p.profile}: goal | ${p.profile}: measured`).join(' | ')} |`,
    `|---|${report.profiles.map(() => '---|---').join('|')}|`,
    ...names.map((name) => {
      const cells = report.profiles.map((p) => {
        const t = p.targets.find((target) => target.name === name);
        return t ? `${t.goal} | ${targetFigure(t)} ${t.met ? 'met' : '**missed**'}` : '– | –';
      });
      return `| ${name} | ${cells.join(' | ')} |`;
    }),
  ];
}

/** The figures as a markdown document: per profile, the per-mode means, the kinds, the questions; then the targets. */
export function benchMarkdown(report: BenchReport): string {
  const out: string[] = [];
  for (const p of report.profiles) out.push(...profileSection(report, p), '');
  out.push('### Targets', '', ...targetsTable(report), '');
  const inconsistent = [...new Set(report.profiles.flatMap((p) => p.questions.filter((q) => !q.consistent).map((q) => q.id)))];
  const [prices] = report.priceLists;
  out.push(
    inconsistent.length
      ? `Warning: modes differed in tool calls or answer for: ${inconsistent.join(', ')}.`
      : 'Every mode made the tool calls scripted for it (same resolved arguments) and gave the same answer on every question.',
    '',
    `Times are wall seconds of one run; "first answer" is when the first piece of the answer reached the user. Each mode ` +
      `ran the questions one after another in a session of its own (an empty prompt cache at its start). Tokens are the ` +
      `usage the server reported, cached ones included in input. Cost in the mode tables: ${prices?.name}: $${prices?.inputPerMillion} ` +
      `/ M input, $${prices?.cachedInputPerMillion} / M cached input, $${prices?.outputPerMillion} / M output, shown in ` +
      `thousandths of a dollar ($0.001 = 1 m$); the cost table prices the same tokens at ${report.priceLists.map((p) => p.name).join('; ')}. ` +
      `The bound is the least a planned run can take: each round's plan and the joiner's reply written at the server's ` +
      `output rate after its fixed time to first token, the prefill of each request's uncached prompt and its wait for a ` +
      `slot, each call started at its plan line or its dependencies' ends and lasting its median time in the other ` +
      `modes' runs; on cold tools the first symbol call ends no sooner than the earliest any other mode's did. Dispatch is from the moment a compiler task could start (its line read, its inputs ready) to the ` +
      `schedule releasing it; its tool may start later, after the synchronous start of tasks released in the same step.`,
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
    `| mode: cost per question (mean) | ${report.priceLists.map((pl) => pl.id).join(' | ')} |`,
    `|---|${report.priceLists.map(() => '---').join('|')}|`,
    ...p.modeTotals.map((t) => `| ${t.mode} | ${report.priceLists.map((pl) => usd(t.costsUsd[pl.id] ?? NaN)).join(' | ')} |`),
    '',
    `| kind (questions) | ${others.map((m) => `wall ${SHORT[m]} ÷ compiler | first answer ${SHORT[m]} ÷ compiler`).join(' | ')} | cost FC ÷ compiler |`,
    `|---|${others.map(() => '---|---').join('|')}|---|`,
    ...p.byKind.map((k) => `| ${k.kind} (${k.questions}) | ${others.map((m) => `${x(k.wall[m])} | ${x(k.firstAnswer[m])}`).join(' | ')} | ${x(k.cost['function-calling'])} |`),
    '',
    `| question | kind | calls (depth) | ${modes.map((m) => `${SHORT[m]} wall / first s`).join(' | ')} | LLM calls ${modes.map((m) => SHORT[m]).join('/')} | input (cached) tokens ${modes.map((m) => SHORT[m]).join(' / ')} | bound s (prefill, slot wait) | compiler ÷ bound | read-aheads (tokens) |`,
    `|---|---|---|${modes.map(() => '---').join('|')}|---|---|---|---|---|`,
    ...p.questions.map((q) => questionRow(q, modes)),
    '',
    `Compiler ÷ critical-path bound: geomean ${x(p.compilerVsBound.geomean)}, worst ${x(p.compilerVsBound.max)}. Dispatch ` +
      `latency over ${p.dispatchMs.count} compiler tasks (ready → released by the schedule): p50 ${us(p.dispatchMs.p50)} µs, ` +
      `p99 ${us(p.dispatchMs.p99)} µs, max ${us(p.dispatchMs.max)} µs. To the tool's start, which adds the wait behind the ` +
      `synchronous start of tasks released in the same step (a process spawn): p50 ${us(p.startMs.p50)} µs, p99 ` +
      `${us(p.startMs.p99)} µs, max ${us(p.startMs.max)} µs. Releases over 1 ms: ${p.slowReleases.count}, of them ` +
      `${p.slowReleases.duringGc} during a garbage collection of the process.`,
    '',
    `The joiner's prompt read ahead: in ${p.readAhead.fired} of ${p.readAhead.runs} compiler runs, ${p.readAhead.requests} ` +
      `requests in all, which had the server read ${n(p.readAhead.tokensAhead)} prompt tokens while tools still ran: ` +
      `${s(p.readAhead.tokensAhead * p.latency.prefillMsPerToken)} s of prefill off the joiners' path, less ` +
      `${s(p.readAhead.joinerHeldMs)} s the joiners held their requests back for a read-ahead in flight and ` +
      `${s(p.readAhead.joinerSlotWaitMs)} s they waited for the slot, saves ${s(p.readAhead.savedMs)} s over the questions.`,
    '',
    ...coldLines(p),
    contextLine(p),
    '',
    '| target | goal | measured | met |',
    '|---|---|---|---|',
    ...p.targets.map((t) => `| ${t.name} | ${t.goal} | ${targetFigure(t)} | ${t.met ? 'yes' : 'no'} |`),
  );
  return lines;
}

/** What the questions with cold tools paid for them, when any ran. */
function coldLines(p: ProfileResult): string[] {
  const c = p.coldTools;
  if (!c) return [];
  const warm = c.warm ? `, against ${s(c.warm.medianMs)} s in the ${c.warm.runs} runs with warm tools on the same workspaces` : '';
  return [
    `Cold tools: the ${c.runs} runs of ${c.questions.join(', ')} each had workspace tools of their own, no language ` +
      `service built, as the first question of a fresh CLI or MCP process has; the warm-up the product starts when a ` +
      `question arrives began building it, in every mode. Their first symbol call took ${s(c.firstSymbolCallMs.median)} s ` +
      `(median; ${s(c.firstSymbolCallMs.min)}–${s(c.firstSymbolCallMs.max)} s)${warm}.`,
    '',
  ];
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
  const bound = q.bound ? `${s(q.bound.boundMs)} (${s(q.bound.prefillMs)}, ${s(q.bound.slotWaitMs)})` : '–';
  const ahead = q.readAhead ? `${q.readAhead.requests} (${n(q.readAhead.tokensAhead)})` : '–';
  return `| ${q.id} | ${q.kind}${q.coldTools ? ', cold tools' : ''} | ${q.calls} (${q.depth}) | ${modes.map(cell).join(' | ')} | ${calls} | ${tokens} | ${bound} | ${x(q.compilerVsBound)} | ${ahead} |`;
}
