import type { JsonValue } from '../../shared/json';
import type { Tool, ToolOutput } from '../../shared/toolContract';
import { withholdSecrets } from './secretScan';

/**
 * Every string in a tool's structured value with its secrets withheld, and the strings `known` (withheld from the
 * text) wherever they appear; `seen` gathers what was withheld.
 */
function withholdInValue(value: JsonValue, known: ReadonlyArray<{ secret: string; what: string }>, seen: Set<string>): JsonValue {
  if (typeof value === 'string') {
    const scanned = withholdSecrets(value);
    for (const w of scanned.withheld) seen.add(w);
    let text = scanned.text;
    for (const { secret, what } of known) {
      if (!text.includes(secret)) continue;
      text = text.split(secret).join(`[withheld: ${what}]`);
      seen.add(what);
    }
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => withholdInValue(v, known, seen));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = withholdInValue(v, known, seen);
    return out;
  }
  return value;
}

/** A tool output with private keys and well-known tokens withheld, and a note saying what and why. */
export function withheldOutput(output: ToolOutput): ToolOutput {
  const seen = new Set<string>();
  const scanned = withholdSecrets(output.text);
  for (const w of scanned.withheld) seen.add(w);
  // The text shows a key whole; the value may hold its lines apart, where they no longer look like one.
  const value = output.value === undefined ? undefined : withholdInValue(output.value, scanned.secrets, seen);
  if (seen.size === 0) return output;
  const note = `[Withheld from this output: ${[...seen].join(', ')}. The tools never send private keys or access tokens to the model.]`;
  return { ...output, text: `${scanned.text}\n${note}`, ...(value !== undefined ? { value } : {}) };
}

/**
 * The tool, its every output passed through `withheldOutput`: the one place a workspace tool's text (file lines,
 * grep lines, patches, blame, symbol texts) is checked for keys and tokens before anything sees it.
 */
export function withSecretsWithheld(tool: Tool): Tool {
  return { ...tool, run: async (args, ctx) => withheldOutput(await tool.run(args, ctx)) };
}
