/** `--allow-tool` patterns: whole tool names, where `*` stands for any run of characters and `?` for one. */
export interface ToolGlobs {
  /** The first pattern that matches the name, if any. */
  match(name: string): string | undefined;
  /** The patterns that have matched nothing so far. */
  unmatched(): string[];
}

export function toolGlobs(patterns: readonly string[]): ToolGlobs {
  const compiled = patterns.map((pattern) => ({ pattern, regex: globRegex(pattern), used: false }));
  return {
    match(name) {
      const hit = compiled.find((c) => c.regex.test(name));
      if (hit) hit.used = true;
      return hit?.pattern;
    },
    unmatched: () => compiled.filter((c) => !c.used).map((c) => c.pattern),
  };
}

function globRegex(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}
