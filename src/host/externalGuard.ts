import { lstat, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from '../shared/json';
import type { Tool } from '../shared/toolContract';
import { ReadPolicy, protectedPath } from '../tools/paths/readPolicy';
import { rootOf } from '../tools/paths/workspacePath';
import { withheldOutput } from '../tools/secrets/withheldOutput';

/** Strings longer than this, or holding a line break, are not taken for paths. */
const MAX_PATH_CHARS = 4_096;
/** How many strings of one call's arguments are looked at; the rest of a huge argument is refused as a whole. */
const MAX_STRINGS = 1_000;

/**
 * An external tool (an MCP server's, another extension's) held to the workspace tools' rules, whatever the tool
 * itself does: a call whose string arguments name a protected workspace path (`.env`, anything under `.git`, what
 * an AI-ignore file or the user's `protectedGlobs` names) is refused before the tool is called, and its output has
 * keys and tokens withheld. The output comes from no workspace file the policy could ask about, so key lines shown
 * apart from their BEGIN line are withheld wherever they appear.
 */
export function guardedExternalTool(tool: Tool, protectedGlobs: readonly string[]): Tool {
  return {
    ...tool,
    run: async (args, ctx) => {
      const why = await protectedArgument(args, ctx.roots, new ReadPolicy(protectedGlobs));
      if (why !== undefined) throw protectedPath(why);
      return withheldOutput(await tool.run(args, ctx), { fromFiles: false, signal: ctx.signal });
    },
  };
}

/** Why one of the strings in `args` names a path the tools may not read, or undefined. */
async function protectedArgument(args: JsonValue, roots: readonly string[], policy: ReadPolicy): Promise<string | undefined> {
  const strings: string[] = [];
  collectStrings(args, strings);
  if (strings.length > MAX_STRINGS) return `an argument holding more than ${MAX_STRINGS} strings, which cannot all be checked against the protected paths,`;
  for (const text of strings) {
    const why = await refusalOf(text, roots, policy);
    if (why !== undefined) return why;
  }
  return undefined;
}

function collectStrings(value: JsonValue, into: string[]): void {
  if (into.length > MAX_STRINGS) return;
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, into);
}

/**
 * Why `text`, read as a path, leads to a protected workspace path: an absolute path (or `file:` URL) in a root, or a
 * relative one that exists below a root; the path as written and where its links lead are both checked. A relative
 * string that names nothing on disk is taken for a word, not a path.
 */
async function refusalOf(text: string, roots: readonly string[], policy: ReadPolicy): Promise<string | undefined> {
  if (!text || text.length > MAX_PATH_CHARS || /[\r\n\0]/.test(text)) return undefined;
  let given = text;
  if (/^file:/i.test(given)) {
    try {
      given = fileURLToPath(given);
    } catch {
      return undefined;
    }
  }
  const absolute = path.isAbsolute(given);
  const candidates = absolute ? [path.normalize(given)] : roots.map((root) => path.resolve(root, given));
  for (const candidate of candidates) {
    const stat = await lstat(candidate).catch(() => undefined);
    if (!absolute && stat === undefined) continue;
    const real = stat === undefined ? undefined : await realpath(candidate).catch(() => undefined);
    for (const abs of real === undefined || real === candidate ? [candidate] : [candidate, real]) {
      const root = rootOf(abs, roots);
      if (root === undefined) continue;
      const isDir = abs === real ? (await lstat(abs).catch(() => undefined))?.isDirectory() ?? false : stat?.isDirectory() ?? false;
      const why = policy.refusal(root, path.relative(root, abs), text, isDir);
      if (why !== undefined) return why;
    }
  }
  return undefined;
}
