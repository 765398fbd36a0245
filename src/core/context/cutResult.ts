import { formatCount } from '../../shared/format';
import type { TokenMeasure } from '../../shared/tokenEstimate';
import type { ToolSpec } from '../../shared/toolContract';

/**
 * `text` within `tokens` as `measure` counts, the marker included. With a `hint` (a result cut to fit the context),
 * the marker says how much was left out and how to see it; without one, how many characters. A cut falls at a line
 * end when one is near, so the reader gets whole lines.
 */
export function cutToTokens(text: string, tokens: number, measure: TokenMeasure, hint?: string): { text: string; cut: boolean } {
  if (measure.count(text) <= tokens) return { text, cut: false };
  const marker = (chars: number, lines: number) => {
    const more = `${formatCount(chars)} more characters${lines ? `, ${formatCount(lines)} more lines` : ''}`;
    return hint === undefined ? `… [${more}]` : `\n… [cut to fit the model's context: ${more}; ${hint}]`;
  };
  const linesIn = (from: number) => {
    let n = 0;
    for (let at = text.indexOf('\n', from); at >= 0; at = text.indexOf('\n', at + 1)) n++;
    return n;
  };
  // The marker at its longest, so the text and the marker fit together whatever is left out.
  const room = tokens - measure.count(marker(text.length, Math.max(1, linesIn(0))));
  if (room <= 0) return { text: '', cut: true };
  let keep = measure.prefixWithin(text, room);
  const lineEnd = text.lastIndexOf('\n', keep);
  if (hint !== undefined && lineEnd > keep / 2) keep = lineEnd;
  return { text: `${text.slice(0, keep)}${marker(text.length - keep, linesIn(keep))}`, cut: true };
}

/** How a call of `tool` can be narrowed to see what a cut left out, from the parameters it takes. */
export function narrowHint(tool: ToolSpec | undefined): string {
  const names = new Set(tool?.params.map((p) => p.name));
  const ways: string[] = [];
  if (names.has('start_line') && names.has('end_line')) ways.push('a line range (start_line, end_line)');
  if (names.has('glob')) ways.push('a narrower glob');
  if (names.has('path') && tool?.params.find((p) => p.name === 'path')?.optional) ways.push('a path');
  if (names.has('max_results')) ways.push('fewer results (max_results)');
  if (names.has('max_count')) ways.push('fewer entries (max_count)');
  return ways.length ? `to see more, narrow the call: ${ways.join(', ')}` : 'to see more, narrow the call';
}
