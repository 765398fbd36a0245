// A language-model tool's result as a task's text. The parts are read by their shape, not with `instanceof`, so this
// runs (and is tested) without `vscode`; `LanguageModelDataPart` is newer than the API this extension builds against.
import { clip, formatCount } from '../../shared/format';
import { isData, isText } from '../models/lmMessageParts';

/** The one line standing for a part that is not text: what was returned, never its bytes. */
function partLine(part: unknown): string {
  if (isData(part)) return `[${clip(part.mimeType, 100)} data returned, ${formatCount(part.data.byteLength)} bytes, not shown]`;
  const value = (part as { value?: unknown } | undefined)?.value;
  if (value !== null && typeof value === 'object') return '[a prompt-tsx element returned, not shown]';
  return '[a result part of an unknown kind returned, not shown]';
}

/**
 * The text of a tool result's parts: text parts joined as they come, every other part (data such as an image, a
 * prompt-tsx element) one line naming what was returned.
 */
export function lmToolResultText(parts: readonly unknown[]): string {
  const lines: string[] = [];
  let text = '';
  for (const part of parts) {
    if (isText(part)) {
      text += part.value;
      continue;
    }
    if (text) lines.push(text);
    text = '';
    lines.push(partLine(part));
  }
  if (text) lines.push(text);
  return lines.length > 0 ? lines.join('\n') : '(the tool returned nothing)';
}
