import type { QuestionResult } from './benchReport';
import { MODES } from './benchReport';
import type { RunTrace } from './runTrace';

const COLORS = { planner: '#4e79a7', joiner: '#59a14f', react: '#f28e2b', 'function-calling': '#edc948', tool: '#9c755f', failed: '#e15759', bound: '#b07aa1' };
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
export function timelineSvg(result: QuestionResult): string {
  const traces = result.traces;
  const maxMs = Math.max(...MODES.map((m) => traces[m].summary.wallMs));
  const scale = (WIDTH - LABEL_W - 20) / maxMs;
  const X = (ms: number) => LABEL_W + ms * scale;
  const parts: string[] = [];
  let y = 36;
  parts.push(`<text x="10" y="18" font-weight="bold">${esc(`${result.id}: ${result.question}`)}</text>`);
  for (const mode of MODES) {
    const trace: RunTrace = traces[mode];
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${mode}</text>`);
    parts.push(`<text x="${WIDTH - 10}" y="${y + 12}" text-anchor="end">${(trace.summary.wallMs / 1000).toFixed(2)} s, ${trace.summary.llmCalls} LLM calls</text>`);
    y += ROW + 2;
    parts.push(`<text x="10" y="${y + 12}" fill="#555">LLM</text>`);
    for (const call of trace.llm) {
      const label = call.purpose === 'react' ? `step ${call.round}` : call.purpose;
      parts.push(bar(X(call.start), y, (call.end - call.start) * scale, ROW - 2, COLORS[call.purpose], label, `${call.purpose} ${label}: ${(call.end - call.start).toFixed(0)} ms, ${call.inputTokens} in / ${call.outputTokens} out tokens`));
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
    if (mode === 'compiler' && result.criticalPath) {
      const bx = X(result.criticalPath.boundMs);
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
  const legend = (['planner', 'joiner', 'react', 'tool'] as const)
    .map((k, i) => `<rect x="${LABEL_W + i * 110}" y="${y}" width="12" height="10" fill="${COLORS[k]}"/><text x="${LABEL_W + i * 110 + 16}" y="${y + 9}">${k === 'react' ? 'ReAct turn' : k}</text>`)
    .join('');
  parts.push(legend);
  y += 20;
  return svg(WIDTH, y, parts);
}

/** Compiler speedup per question against ReAct and plan-and-execute, with the 1× line. */
export function speedupsSvg(results: QuestionResult[]): string {
  const series: Array<{ key: 'speedupVsReact' | 'speedupVsPlanExecute'; label: string; color: string }> = [
    { key: 'speedupVsReact', label: 'vs ReAct', color: COLORS.react },
    { key: 'speedupVsPlanExecute', label: 'vs plan-and-execute', color: COLORS.planner },
  ];
  const maxRatio = Math.max(2, ...results.flatMap((r) => series.map((s) => r[s.key])));
  const top = Math.ceil(maxRatio);
  const labelW = 200;
  const scale = (WIDTH - labelW - 60) / top;
  const X = (ratio: number) => labelW + ratio * scale;
  const parts: string[] = [`<text x="10" y="18" font-weight="bold">Compiler speedup per question (wall time of the other mode / compiler's)</text>`];
  let y = 34;
  for (const r of results) {
    parts.push(`<text x="10" y="${y + 14}">${esc(`${r.id} (${r.kind})`)}</text>`);
    for (const s of series) {
      const v = r[s.key];
      parts.push(bar(X(0), y, v * scale, 12, s.color, '', `${r.id} ${s.label}: ${v.toFixed(2)}×`));
      parts.push(`<text x="${X(v) + 4}" y="${y + 10}">${v.toFixed(2)}×</text>`);
      y += 14;
    }
    y += 8;
  }
  for (let t = 0; t <= top; t++) {
    const dash = t === 1 ? '' : ' stroke-dasharray="2 3"';
    parts.push(`<line x1="${X(t)}" x2="${X(t)}" y1="30" y2="${y}" stroke="#bbb"${dash}/><text x="${X(t)}" y="${y + 12}" text-anchor="middle" fill="#555">${t}×</text>`);
  }
  y += 24;
  parts.push(series.map((s, i) => `<rect x="${labelW + i * 170}" y="${y}" width="12" height="10" fill="${s.color}"/><text x="${labelW + i * 170 + 16}" y="${y + 9}">${s.label}</text>`).join(''));
  return svg(WIDTH, y + 20, parts);
}

function svg(width: number, height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
