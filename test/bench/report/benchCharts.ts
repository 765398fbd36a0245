import type { BenchMode } from '../suite/benchModes';
import type { BenchReport, QuestionResult } from './benchReport';
import type { RunTrace } from '../suite/runTrace';

const COLORS: Record<string, string> = {
  planner: '#4e79a7',
  joiner: '#59a14f',
  'read-ahead': '#a0cbe8',
  react: '#f28e2b',
  'function-calling': '#edc948',
  'function-calling-serial': '#b6992d',
  tool: '#9c755f',
  failed: '#e15759',
  bound: '#b07aa1',
  answer: '#e15759',
};
const FONT = 'font-family="system-ui, sans-serif" font-size="11"';
const LABEL_W = 120;
const WIDTH = 1000;
const ROW = 16;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function bar(x: number, y: number, w: number, h: number, fill: string, label: string, title: string): string {
  const text = w > label.length * 6 + 6 ? `<text x="${x + 3}" y="${y + h - 4}" fill="#fff">${esc(label)}</text>` : '';
  return `<g><title>${esc(title)}</title><rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(1, w).toFixed(1)}" height="${h}" rx="2" fill="${fill}"/>${text}</g>`;
}

/**
 * One question's runs, one panel per mode on a shared time axis: LLM calls on the first row (planner, joiner, ReAct
 * turns), then one row per task from its start to its end. The compiler panel marks its critical-path bound.
 */
export function timelineSvg(result: QuestionResult, traces: Partial<Record<BenchMode, RunTrace>>, modes: readonly BenchMode[]): string {
  const shown = modes.filter((m) => traces[m] !== undefined);
  const maxMs = Math.max(...shown.map((m) => traces[m]!.summary.wallMs));
  const scale = (WIDTH - LABEL_W - 20) / maxMs;
  const X = (ms: number) => LABEL_W + ms * scale;
  const parts: string[] = [];
  let y = 36;
  parts.push(`<text x="10" y="18" font-weight="bold">${esc(`${result.id}: ${result.question}`)}</text>`);
  for (const mode of shown) {
    const trace: RunTrace = traces[mode]!;
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${mode}</text>`);
    parts.push(`<text x="${WIDTH - 10}" y="${y + 12}" text-anchor="end">${(trace.summary.wallMs / 1000).toFixed(2)} s, ${trace.summary.llmCalls} LLM calls${trace.summary.readAheads ? ` + ${trace.summary.readAheads} read-ahead` : ''}</text>`);
    y += ROW + 2;
    parts.push(`<text x="10" y="${y + 12}" fill="#555">LLM</text>`);
    for (const call of trace.llm) {
      const label = call.purpose === 'planner' || call.purpose === 'joiner' ? call.purpose : call.purpose === 'read-ahead' ? 'read-ahead' : `turn ${call.round}`;
      parts.push(bar(X(call.start), y, (call.end - call.start) * scale, ROW - 2, COLORS[call.purpose] ?? COLORS.planner!, label, `${call.purpose} ${label}: ${(call.end - call.start).toFixed(0)} ms, ${call.inputTokens} in / ${call.outputTokens} out tokens`));
    }
    y += ROW;
    for (const task of [...trace.tasks].sort((a, b) => a.id - b.id)) {
      parts.push(`<text x="10" y="${y + 11}" fill="#555">${esc(`${task.id}. ${task.tool}`)}</text>`);
      if (task.start !== undefined) {
        const fill = task.status === 'ok' ? COLORS.tool : COLORS.failed;
        parts.push(bar(X(task.start), y, Math.max(task.end - task.start, 0) * scale, ROW - 4, fill, '', `${task.id}. ${task.tool}(${task.args}) ${task.status} ${task.ms.toFixed(1)} ms`));
      }
      y += ROW - 2;
    }
    if (trace.firstAnswerMs !== undefined) {
      const ax = X(trace.firstAnswerMs);
      parts.push(`<line x1="${ax}" x2="${ax}" y1="${y - (trace.tasks.length * (ROW - 2) + ROW * 2 + 2)}" y2="${y}" stroke="${COLORS.answer}"/>`);
    }
    if (mode === 'compiler' && result.bound) {
      const bx = X(result.bound.boundMs);
      parts.push(`<line x1="${bx}" x2="${bx}" y1="${y - (trace.tasks.length * (ROW - 2) + ROW * 2 + 2)}" y2="${y}" stroke="${COLORS.bound}" stroke-dasharray="4 3"/>`);
      parts.push(`<text x="${bx + 3}" y="${y - 2}" fill="${COLORS.bound}">critical-path bound</text>`);
    }
    y += 14;
  }
  // Time axis, one tick a second.
  parts.push(`<line x1="${LABEL_W}" x2="${X(maxMs)}" y1="${y}" y2="${y}" stroke="#999"/>`);
  for (let t = 0; t <= maxMs; t += 1000) {
    parts.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${y}" y2="${y + 4}" stroke="#999"/><text x="${X(t)}" y="${y + 15}" text-anchor="middle" fill="#555">${t / 1000} s</text>`);
  }
  y += 24;
  const names: Record<string, string> = { react: 'ReAct turn', 'function-calling': 'FC turn', answer: 'first answer token' };
  const legend = (['planner', 'joiner', 'function-calling', 'react', 'tool', 'answer'] as const)
    .map((k, i) => `<rect x="${LABEL_W + i * 130}" y="${y}" width="12" height="10" fill="${COLORS[k]}"/><text x="${LABEL_W + i * 130 + 16}" y="${y + 9}">${names[k] ?? k}</text>`)
    .join('');
  parts.push(legend);
  y += 20;
  return svg(WIDTH, y, parts);
}

/** Per profile and kind of question: the other modes' wall time and time to first answer token over the compiler's, with the 1× line. */
export function speedupsSvg(report: BenchReport): string {
  const others = report.modes.filter((m) => m !== 'compiler');
  const series = others.flatMap((mode) => [
    { mode, field: 'wall' as const, label: `${mode} wall`, color: COLORS[mode] ?? COLORS.planner! },
    { mode, field: 'firstAnswer' as const, label: `${mode} first answer token`, color: COLORS[mode] ?? COLORS.planner!, light: true },
  ]);
  const values = report.profiles.flatMap((p) => p.byKind.flatMap((k) => series.map((s) => k[s.field][s.mode] ?? 0)));
  const top = Math.ceil(Math.max(2, ...values.filter(Number.isFinite)));
  const labelW = 200;
  const scale = (WIDTH - labelW - 60) / top;
  const X = (ratio: number) => labelW + ratio * scale;
  const parts: string[] = [`<text x="10" y="18" font-weight="bold">Other mode ÷ compiler, geometric mean per kind of question (above 1×: the compiler is faster)</text>`];
  let y = 34;
  for (const p of report.profiles) {
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${esc(p.profile)}</text>`);
    y += 18;
    for (const k of p.byKind) {
      parts.push(`<text x="10" y="${y + 14}">${esc(`${k.kind} (${k.questions})`)}</text>`);
      for (const s of series) {
        const v = k[s.field][s.mode];
        if (v === undefined || !Number.isFinite(v)) continue;
        const opacity = s.light ? ' opacity="0.55"' : '';
        parts.push(`<g${opacity}>${bar(X(0), y, v * scale, 10, s.color, '', `${p.profile} ${k.kind} ${s.label}: ${v.toFixed(2)}×`)}</g>`);
        parts.push(`<text x="${X(v) + 4}" y="${y + 9}">${v.toFixed(2)}×</text>`);
        y += 12;
      }
      y += 6;
    }
    y += 8;
  }
  for (let t = 0; t <= top; t++) {
    const dash = t === 1 ? '' : ' stroke-dasharray="2 3"';
    parts.push(`<line x1="${X(t)}" x2="${X(t)}" y1="30" y2="${y}" stroke="#bbb"${dash}/><text x="${X(t)}" y="${y + 12}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  y += 24;
  parts.push(
    series
      .map((s, i) => `<g${s.light ? ' opacity="0.55"' : ''}><rect x="${labelW + (i % 2) * 300}" y="${y + Math.floor(i / 2) * 14}" width="12" height="10" fill="${s.color}"/></g><text x="${labelW + (i % 2) * 300 + 16}" y="${y + Math.floor(i / 2) * 14 + 9}">${esc(s.label)}</text>`)
      .join(''),
  );
  return svg(WIDTH, y + Math.ceil(series.length / 2) * 14 + 10, parts);
}

function svg(width: number, height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
