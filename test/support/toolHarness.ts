import type { JsonObject } from '../../src/shared/json';
import type { Tool, ToolContext, ToolOutput } from '../../src/shared/toolContract';

/** A tool context for tests: one or more roots, a generous budget, a signal that never fires unless given. */
export function toolContext(roots: string[], overrides: Partial<ToolContext> = {}): ToolContext {
  return { roots, maxChars: 100_000, signal: new AbortController().signal, ...overrides };
}

export function findTool(tools: Tool[], name: string): Tool {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
}

export function runTool(tools: Tool[], name: string, args: JsonObject, ctx: ToolContext): Promise<ToolOutput> {
  return findTool(tools, name).run(args, ctx);
}

/** The rejection of a promise, or a failure if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
