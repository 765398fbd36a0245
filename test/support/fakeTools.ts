import { sleep } from '../../src/base/abortable';
import { CompilerError } from '../../src/base/errors';
import type { JsonObject } from '../../src/shared/json';
import type { Tool, ToolOutput } from '../../src/shared/toolContract';

export interface FakeToolCall {
  tool: string;
  args: JsonObject;
  signal: AbortSignal;
}

/**
 * A tool with one string parameter `query` that answers after `delayMs` (abortable) with `<name>:<query>`; a query
 * containing "fail" throws `tool-failed`. `calls` records every real invocation.
 */
export function fakeTool(
  name: string,
  options: { delayMs?: number; answer?: (query: string) => ToolOutput | Promise<ToolOutput>; ignoreAbort?: boolean; calls?: FakeToolCall[] } = {},
): Tool {
  return {
    name,
    description: `Fake ${name} for tests: returns "${name}:<query>".`,
    params: [{ name: 'query', schema: { type: 'string' }, description: 'what to look up' }],
    async run(args, ctx) {
      options.calls?.push({ tool: name, args, signal: ctx.signal });
      const ms = options.delayMs ?? 0;
      // A tool that ignores the signal still must not hold the test process open once its test is over.
      if (ms) await (options.ignoreAbort ? new Promise((r) => setTimeout(r, ms).unref()) : sleep(ms, ctx.signal));
      const query = String(args.query);
      if (query.includes('fail')) throw new CompilerError('tool-failed', `${name} could not find "${query}"`);
      return options.answer ? options.answer(query) : { text: `${name}:${query}` };
    },
  };
}
