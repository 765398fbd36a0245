import type { RunSummary } from '../shared/runEvents';
import { formatCount, formatMs, plural } from '../shared/format';
import { MODE_LABELS } from '../shared/modes';
import type { RunMode } from '../shared/modes';

function tokens(s: RunSummary): string {
  const approx = s.tokensEstimated ? '≈' : '';
  return `${approx}${formatCount(s.inputTokens)} in / ${approx}${formatCount(s.outputTokens)} out tokens`;
}

/** The figures of one run, on one line: what ran, how parallel, what the models cost, how long it took. */
export function runFigures(s: RunSummary): string {
  const parts = [
    `${plural(s.tasks.total, 'task')}${s.tasks.total > 0 ? ` (up to ${s.maxParallel} in parallel)` : ''}`,
    `${plural(s.llmCalls, 'LLM call')}${s.readAheads ? ` (+${plural(s.readAheads, 'read-ahead')})` : ''}`,
    tokens(s),
    `${formatMs(s.wallMs)} wall time`,
  ];
  if (s.tasks.total > 0) parts.push(`tools ${formatMs(s.sequentialToolMs)} if run one after another`);
  if (s.tasks.cached > 0) parts.push(reuseFigures(s));
  // Said wherever the figures are: an answer written from shortened results may have missed something.
  if (s.resultsCut && s.context) parts.push(`${plural(s.resultsCut, 'result')} cut to fit the ${formatCount(s.context.tokens)}-token context`);
  return parts.join(' · ');
}

/** How many tasks were answered by an identical earlier call, and the tool time that saved. */
export function reuseFigures(s: RunSummary): string {
  const saved = s.savedToolMs ?? 0;
  return `${s.tasks.cached} reused${saved > 0 ? ` (saved ${formatMs(saved)} of tool time)` : ''}`;
}

export function modeName(mode: RunMode): string {
  return MODE_LABELS[mode].name;
}

/** The mode's name at the start of a sentence or heading. */
export function modeTitle(mode: RunMode): string {
  const name = modeName(mode);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Markdown footer under an answer (Chat renders no HTML, so no `<sub>`). */
export function runFooter(s: RunSummary, mode: RunMode): string {
  return `\n\n---\n*${modeName(mode)} · ${runFigures(s)}*\n`;
}

function ratio(a: number, b: number): string {
  if (b <= 0) return '–';
  return `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`;
}

/** Markdown table comparing an LLM Compiler run with a run of the same question in `mode`. */
export function comparisonTable(compiler: RunSummary, react: RunSummary, mode: RunMode): string {
  const tok = (s: RunSummary) => s.inputTokens + s.outputTokens;
  const approx = compiler.tokensEstimated || react.tokensEstimated ? '≈' : '';
  const row = (name: string, c: string, r: string, x: string) => `| ${name} | ${c} | ${r} | ${x} |`;
  const other = modeTitle(mode);
  return [
    `| | LLM Compiler | ${other} | ${other} ÷ Compiler |`,
    '|---|---:|---:|---:|',
    row('Wall time', formatMs(compiler.wallMs), formatMs(react.wallMs), ratio(react.wallMs, compiler.wallMs)),
    row('LLM calls', formatCount(compiler.llmCalls), formatCount(react.llmCalls), ratio(react.llmCalls, compiler.llmCalls)),
    row('Tokens', `${approx}${formatCount(tok(compiler))}`, `${approx}${formatCount(tok(react))}`, ratio(tok(react), tok(compiler))),
    row('Tasks', formatCount(compiler.tasks.total), formatCount(react.tasks.total), ratio(react.tasks.total, compiler.tasks.total)),
  ].join('\n');
}

/** One sentence: how much faster and cheaper the compiler run was than the run in `mode`. */
export function comparisonVerdict(compiler: RunSummary, react: RunSummary, mode: RunMode): string {
  const speed = compiler.wallMs > 0 ? react.wallMs / compiler.wallMs : 0;
  const cost = react.inputTokens + react.outputTokens > 0 ? (compiler.inputTokens + compiler.outputTokens) / (react.inputTokens + react.outputTokens) : 0;
  const speedText = speed >= 1 ? `${speed.toFixed(1)}× faster` : `${(1 / Math.max(speed, 1e-9)).toFixed(1)}× slower`;
  return `LLM Compiler was ${speedText} than ${modeName(mode)} and used ${Math.round(cost * 100)}% of its tokens.`;
}
