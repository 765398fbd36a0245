// The language-model tools of other extensions (and of the MCP servers VS Code lists among them) as a session's tool
// source. It takes the small part of VS Code it uses as parameters, so it runs against a fake in unit tests.
import type * as vscode from 'vscode';
import { CompilerError, abortError, throwIfAborted } from '../../base/errors';
import { truncateText } from '../../core/truncate';
import type { ToolSource } from '../../host/toolSource';
import { clip, formatOrigin } from '../../shared/format';
import type { JsonObject } from '../../shared/json';
import type { JsonSchema, Tool, ToolContext, ToolOrigin, ToolOutput, ToolParam } from '../../shared/toolContract';
import { plannerToolName } from '../../shared/toolContract';
import { externalToolMatcher } from './externalToolGlobs';
import { lmToolResultText } from './lmToolResult';

/** The part of `vscode.lm` the source reads and calls. */
export interface LmToolsApi {
  readonly tools: readonly vscode.LanguageModelToolInformation[];
  invokeTool(name: string, options: vscode.LanguageModelToolInvocationOptions<object>, token?: vscode.CancellationToken): Thenable<vscode.LanguageModelToolResult>;
}

/** An installed extension as far as finding a tool's owner needs. */
export interface ExtensionManifest {
  readonly id: string;
  readonly packageJSON: unknown;
}

export interface LmToolSourceDeps {
  lm: LmToolsApi;
  /** Workspace Trust, read at each question. */
  isTrusted(): boolean;
  /** The `llmCompiler.externalTools` globs, read at each question. */
  globs(): readonly string[];
  /** The installed extensions, whose manifests name the tools they contribute. */
  extensions(): readonly ExtensionManifest[];
  /** The names the session's other tools hold (the workspace tools'). */
  takenNames(): Iterable<string>;
  /** A cancellation token that follows the signal, and its disposal (`tokenFromSignal`). */
  tokenFromSignal(signal: AbortSignal): { token: vscode.CancellationToken; dispose(): void };
  log: { info(message: string): void; error(message: string): void };
}

/** Longest tool description passed on: another extension's text, bounded like any input. */
const MAX_DESCRIPTION_CHARS = 1_000;

/**
 * Where a tool comes from: the extension whose manifest contributes it; else, for VS Code's `mcp_SERVER_TOOL` names,
 * the MCP server (its name as VS Code shortens it into the prefix); else VS Code itself.
 */
export function toolOrigin(name: string, extensions: readonly ExtensionManifest[]): ToolOrigin {
  for (const extension of extensions) {
    const contributed = (extension.packageJSON as { contributes?: { languageModelTools?: unknown } } | undefined)?.contributes?.languageModelTools;
    if (Array.isArray(contributed) && contributed.some((t) => (t as { name?: unknown } | null)?.name === name)) {
      return { kind: 'extension', name: extension.id };
    }
  }
  const server = /^mcp_([^_]+)_./.exec(name)?.[1];
  return server ? { kind: 'mcp', name: server } : { kind: 'extension', name: 'vscode' };
}

function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parameters the planner sees: the input schema's top-level properties, in their order. */
function paramsOf(schema: JsonSchema | undefined): ToolParam[] {
  if (!schema || !isSchemaObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, raw]) => {
    const property = isSchemaObject(raw) ? raw : {};
    return {
      name,
      schema: property,
      ...(required.has(name) ? {} : { optional: true }),
      description: typeof property.description === 'string' ? clip(property.description, MAX_DESCRIPTION_CHARS) : '',
    };
  });
}

/**
 * Offers, at each question, the tools of `vscode.lm.tools` that `llmCompiler.externalTools` names, in a trusted
 * workspace only, never this extension's own `llm-compiler_ask`. Each is called through `vscode.lm.invokeTool` with
 * the Chat request's `toolInvocationToken` when the question came from Chat, so VS Code's confirmations apply.
 */
export class LmToolSource implements ToolSource {
  readonly name = 'extensions';
  private readonly invocationTokens = new WeakMap<AbortSignal, vscode.ChatParticipantToolToken>();
  /** What was last written to the log, so each question does not repeat it. */
  private lastReport = '';

  constructor(private readonly deps: LmToolSourceDeps) {}

  /**
   * Ties the question asked with `signal` to the Chat request (or the tool call) it came from: its tools pass the
   * request's `toolInvocationToken` to VS Code. A question without one passes none.
   */
  bindRun(signal: AbortSignal, toolInvocationToken: vscode.ChatParticipantToolToken | undefined): void {
    if (toolInvocationToken !== undefined) this.invocationTokens.set(signal, toolInvocationToken);
  }

  tools(signal: AbortSignal): Tool[] {
    const globs = this.deps.globs();
    if (globs.length === 0) return this.report([], []);
    if (!this.deps.isTrusted()) return this.report([], [['info', 'external tools: none offered, this workspace is not trusted']]);
    const { matches, invalid } = externalToolMatcher(globs);
    const lines: Array<['info' | 'error', string]> = invalid.map((g) => ['error', `external tools: the glob ${JSON.stringify(clip(g, 80))} is not usable, left out`]);
    const byName = new Map<string, vscode.LanguageModelToolInformation[]>();
    for (const info of this.deps.lm.tools) {
      if (!matches(info.name)) continue;
      const name = plannerToolName(info.name);
      byName.set(name, [...(byName.get(name) ?? []), info]);
    }
    const taken = new Set(this.deps.takenNames());
    const extensions = this.deps.extensions();
    const token = this.invocationTokens.get(signal);
    const offered: Tool[] = [];
    for (const [name, infos] of byName) {
      const listed = infos.map((i) => JSON.stringify(i.name)).join(' and ');
      if (taken.has(name)) lines.push(['error', `external tools: ${listed} would be called ${name}, the name of a workspace tool: left out`]);
      else if (infos.length > 1) lines.push(['error', `external tools: ${listed} would all be called ${name}: each is left out`]);
      else offered.push(this.tool(infos[0]!, name, toolOrigin(infos[0]!.name, extensions), token));
    }
    const summary = offered.length
      ? `external tools offered: ${offered.map((t) => `${t.name} (${formatOrigin(t.origin!)})`).join(', ')}`
      : 'external tools: none of the tools VS Code lists matches llmCompiler.externalTools';
    return this.report(offered, [...lines, ['info', summary]]);
  }

  /** Logs what is offered and what was left out, when it differs from the last question's. */
  private report(tools: Tool[], lines: ReadonlyArray<readonly ['info' | 'error', string]>): Tool[] {
    const text = lines.map(([, line]) => line).join('\n');
    if (text !== this.lastReport) {
      this.lastReport = text;
      for (const [level, line] of lines) this.deps.log[level](line);
    }
    return tools;
  }

  private tool(
    info: vscode.LanguageModelToolInformation,
    name: string,
    origin: ToolOrigin,
    toolInvocationToken: vscode.ChatParticipantToolToken | undefined,
  ): Tool {
    const schema = isSchemaObject(info.inputSchema) ? info.inputSchema : undefined;
    // Keys and tokens in what it returns are withheld by the session, as for every external tool (host/externalGuard).
    return {
      name,
      description: clip(info.description || `${info.name}, a tool of ${formatOrigin(origin)}`, MAX_DESCRIPTION_CHARS),
      params: paramsOf(schema),
      ...(schema ? { inputSchema: schema } : {}),
      origin,
      run: (args, ctx) => this.invoke(info.name, args, ctx, toolInvocationToken),
    };
  }

  private async invoke(
    name: string,
    input: JsonObject,
    ctx: ToolContext,
    toolInvocationToken: vscode.ChatParticipantToolToken | undefined,
  ): Promise<ToolOutput> {
    // Nothing can tell whether another extension's answer went stale: it is never reused by a later question.
    ctx.reads?.volatile();
    throwIfAborted(ctx.signal);
    const { token, dispose } = this.deps.tokenFromSignal(ctx.signal);
    try {
      const result = await this.deps.lm.invokeTool(name, { input, toolInvocationToken }, token);
      const { text, truncated } = truncateText(lmToolResultText(result.content), ctx.maxChars);
      return { text, ...(truncated ? { truncated } : {}) };
    } catch (error) {
      if (ctx.signal.aborted) throw abortError(ctx.signal.reason);
      const message = error instanceof Error ? error.message : String(error);
      throw new CompilerError('tool-failed', `${name} failed: ${clip(message, 2_000)}`, { cause: error });
    } finally {
      dispose();
    }
  }
}
