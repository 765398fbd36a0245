import { inputSchemaOf } from '../shared/toolContract';
import type { Tool, ToolOrigin, ToolSpec } from '../shared/toolContract';
import type { ModelToolSpec } from '../shared/modelContract';

/** The set of tools a run may call. The core reads it; the CLI and the extension fill it. */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();

  constructor(tools: Iterable<Tool> = []) {
    for (const tool of tools) this.add(tool);
  }

  add(tool: Tool): this {
    if (this.tools.has(tool.name)) throw new Error(`Tool ${tool.name} is registered twice`);
    this.tools.set(tool.name, tool);
    return this;
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  get names(): string[] {
    return [...this.tools.keys()];
  }

  /** What the planner sees of each tool; an external tool's source too. */
  specs(): Array<ToolSpec & { origin?: ToolOrigin }> {
    return [...this.tools.values()].map(({ name, description, params, origin }) => ({ name, description, params, ...(origin ? { origin } : {}) }));
  }

  /**
   * The tools as native functions for a model that calls them itself: each parameter a property of one object, or
   * an external tool's own input schema, whole.
   */
  functions(): ModelToolSpec[] {
    return [...this.tools.values()].map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema ?? inputSchemaOf(tool) }));
  }

  /** Starts every tool's warm-up (see `Tool.warmUp`); resolves when all have ended, whatever their outcome. */
  async warmUp(roots: readonly string[], signal: AbortSignal): Promise<void> {
    await Promise.allSettled([...this.tools.values()].map((t) => t.warmUp?.({ roots, signal })));
  }
}
