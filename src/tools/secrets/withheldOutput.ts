import type { JsonValue } from '../../shared/json';
import type { Tool, ToolOutput } from '../../shared/toolContract';
import { keyLinesToWithhold, looksLikeKeyLine, withholdKeyLines } from './keyLines';
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

/** The tools whose locations name the files their lines come from as they are now (not a revision of history). */
const SHOWS_CURRENT_FILES = new Set(['read_file', 'grep', 'git_blame', 'outline', 'symbols', 'definition', 'references']);

/**
 * A tool output with private keys and well-known tokens withheld, and a note saying what and why. A key shown whole
 * is found by its BEGIN line; its lines shown apart (a grep for one, a range inside it) are withheld when the file
 * they come from holds a key, or when no current file can say (`fromFiles` false).
 */
export async function withheldOutput(output: ToolOutput, options: { fromFiles: boolean; signal: AbortSignal }): Promise<ToolOutput> {
  const seen = new Set<string>();
  const scanned = withholdSecrets(output.text);
  for (const w of scanned.withheld) seen.add(w);
  let text = scanned.text;
  let keyLines = false;
  if (await keyLinesToWithhold(text, output.locations, options.fromFiles, options.signal)) {
    const cut = withholdKeyLines(text);
    text = cut.text;
    keyLines = cut.count > 0;
    if (keyLines) seen.add('lines that may be part of a private key (base64 shown apart from its BEGIN line)');
  }
  // The text shows a key whole; the value may hold its lines apart, where they no longer look like one.
  let value = output.value === undefined ? undefined : withholdInValue(output.value, scanned.secrets, seen);
  if (keyLines && value !== undefined) value = withholdKeyLinesInValue(value);
  if (seen.size === 0) return output;
  const note = `[Withheld from this output: ${[...seen].join(', ')}. The tools never send private keys or access tokens to the model.]`;
  return { ...output, text: `${text}\n${note}`, ...(value !== undefined ? { value } : {}) };
}

/** Every string of a structured value that looks like a line of a key's body, withheld. */
function withholdKeyLinesInValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.split('\n').some(looksLikeKeyLine) ? withholdKeyLines(value).text : value;
  if (Array.isArray(value)) return value.map(withholdKeyLinesInValue);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = withholdKeyLinesInValue(v);
    return out;
  }
  return value;
}

/**
 * The tool, its every output passed through `withheldOutput`: the one place a workspace tool's text (file lines,
 * grep lines, patches, blame, symbol texts) is checked for keys and tokens before anything sees it.
 */
export function withSecretsWithheld(tool: Tool): Tool {
  const fromFiles = SHOWS_CURRENT_FILES.has(tool.name);
  return { ...tool, run: async (args, ctx) => withheldOutput(await tool.run(args, ctx), { fromFiles, signal: ctx.signal }) };
}
