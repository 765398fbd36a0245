// The `llmCompiler.externalTools` globs: which tools they name, and the globs a choice from a list amounts to.
import { ASK_TOOL_NAME } from '../../surfaces/commandIds';
import { plannerToolName } from '../../shared/toolContract';
import { compileGlob } from '../../tools/paths/globMatch';

/**
 * Compiles the `llmCompiler.externalTools` globs into a test of a tool's name, as VS Code lists it or as the planner
 * writes it. Globs that cannot be compiled (empty, too long) are left out and named in `invalid`.
 */
export function externalToolMatcher(globs: readonly string[]): { matches(name: string): boolean; invalid: string[] } {
  const tests: Array<(name: string) => boolean> = [];
  const invalid: string[] = [];
  for (const glob of globs) {
    try {
      const matcher = compileGlob(glob);
      tests.push((name) => matcher(name, false));
    } catch {
      invalid.push(glob);
    }
  }
  return {
    matches: (name) => name !== ASK_TOOL_NAME && tests.some((test) => test(name) || test(plannerToolName(name))),
    invalid,
  };
}

/**
 * The globs that offer exactly the `picked` tools among those listed now (`listed`, as VS Code names them): a glob
 * naming no listed tool is kept (its tools may come back, an MCP server that is not running), one naming only picked
 * tools is kept, one naming a tool left unpicked is dropped; picked tools no kept glob names are added by name.
 */
export function globsForChoice(current: readonly string[], listed: readonly string[], picked: readonly string[]): string[] {
  const chosen = new Set(picked);
  const kept = current.filter((glob) => {
    const { matches, invalid } = externalToolMatcher([glob]);
    return invalid.length === 0 && listed.every((name) => !matches(name) || chosen.has(name));
  });
  const { matches } = externalToolMatcher(kept);
  return [...kept, ...picked.filter((name) => !matches(name))];
}
