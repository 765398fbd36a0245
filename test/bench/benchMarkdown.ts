import type { BenchReport, QuestionResult } from './benchReport';

const s = (ms: number) => (ms / 1000).toFixed(2);
const x = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? '–' : `${ratio.toFixed(2)}×`);
const n = (v: number) => v.toLocaleString('en-US');
const us = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms * 1000)}` : '–');

/** The figures as a markdown document: the per-question table, the aggregates and the targets. */
export function benchMarkdown(report: BenchReport): string {
  const header = [
    '| question | kind | calls (depth) | compiler s | react s | plan-exec s | ×react | ×plan-exec | LLM calls c/r/p | input tokens c/r/p | output tokens c/r/p | tokens ×react | bound s | compiler/bound | dispatch p50/p99 µs |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = report.questions.map(row);
  const a = report.aggregate;
  const aggregateRows = [
    '',
    '| aggregate (geometric mean) | fan-out | sequential | all |',
    '|---|---|---|---|',
    `| compiler speedup vs ReAct | ${x(a.speedupVsReact.fanOut)} | ${x(a.speedupVsReact.sequential)} | ${x(a.speedupVsReact.all)} |`,
    `| compiler speedup vs plan-and-execute | ${x(a.speedupVsPlanExecute.fanOut)} | ${x(a.speedupVsPlanExecute.sequential)} | ${x(a.speedupVsPlanExecute.all)} |`,
    `| ReAct tokens / compiler tokens | ${x(a.tokenRatioVsReact.fanOut)} | ${x(a.tokenRatioVsReact.sequential)} | ${x(a.tokenRatioVsReact.all)} |`,
    `| speedup vs ReAct up to the final LLM call | ${x(a.speedupToFinalCallVsReact.fanOut)} | ${x(a.speedupToFinalCallVsReact.sequential)} | ${x(a.speedupToFinalCallVsReact.all)} |`,
    '',
    `The final LLM call (the joiner writing the answer; ReAct writes the same answer in its last turn) takes ` +
      `${Math.round(a.compilerFinalCallShare * 100)}% of the compiler's wall time on average.`,
    `Compiler vs critical-path bound: geomean ${x(a.compilerVsBound.geomean)}, worst ${x(a.compilerVsBound.max)}. ` +
      `Dispatch latency over ${a.dispatchMs.count} compiler task runs: p50 ${us(a.dispatchMs.p50)} µs, p99 ${us(a.dispatchMs.p99)} µs, max ${us(a.dispatchMs.max)} µs.`,
  ];
  const targets = [
    '',
    '| target | goal | measured | met |',
    '|---|---|---|---|',
    ...report.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.unit === 'ms' ? `${t.value.toFixed(3)} ms` : x(t.value)} | ${t.met ? 'yes' : 'no'} |`),
  ];
  const inconsistent = report.questions.filter((q) => !q.consistent).map((q) => q.id);
  const notes = inconsistent.length
    ? ['', `Warning: modes differed in tool calls or answer for: ${inconsistent.join(', ')}.`]
    : ['', 'All modes made the same tool calls (same resolved arguments) and gave the same answer on every question.'];
  const definitions = [
    '',
    'Times are wall seconds of one run (the median when repeated); ×react and ×plan-exec are the other mode\'s time over ' +
      'the compiler\'s. Tokens are the usage the model server reported for the prompts each mode sent. The bound is the ' +
      'compiler run\'s critical path: max(planner end, earliest end of every task, each starting at its plan line or its ' +
      'dependencies\' ends, with its measured tool time) + the joiner\'s time. Dispatch is from the moment a task could ' +
      'start (plan line parsed, or last dependency finished) to its start.',
  ];
  return [...header, ...rows, ...aggregateRows, ...targets, ...notes, ...definitions].join('\n') + '\n';
}

function row(q: QuestionResult): string {
  const { compiler: c, react: r, 'plan-execute': p } = q.modes;
  return [
    q.id,
    q.kind,
    `${q.calls} (${q.depth})`,
    s(c.wallMs),
    s(r.wallMs),
    s(p.wallMs),
    x(q.speedupVsReact),
    x(q.speedupVsPlanExecute),
    `${c.llmCalls}/${r.llmCalls}/${p.llmCalls}`,
    `${n(c.inputTokens)}/${n(r.inputTokens)}/${n(p.inputTokens)}`,
    `${n(c.outputTokens)}/${n(r.outputTokens)}/${n(p.outputTokens)}`,
    x(q.tokenRatioVsReact),
    q.criticalPath ? s(q.criticalPath.boundMs) : '–',
    x(q.compilerVsBound),
    `${us(q.dispatchMs.p50)}/${us(q.dispatchMs.p99)}`,
  ].join(' | ').replace(/^/, '| ').concat(' |');
}
