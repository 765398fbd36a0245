import Ajv from 'ajv';
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { CompilerError } from '../base/errors';
import type { JsonObject, JsonValue } from '../shared/json';
import { plannerToolName } from '../shared/toolContract';
import type { JsonSchema, Tool, ToolOrigin, ToolOutput, ToolParam } from '../shared/toolContract';

// An MCP server's tool as one of the session's tools: its parameters from its input schema, its result as a tool
// output, its failures as task failures.

/** Bounds on what one server's tool may bring into every planner prompt and function-calling request. */
export const TOOL_LIMITS = {
  /** A description is kept up to this many characters (the planner's list shows its first sentence). */
  descriptionChars: 1_024,
  /** An input schema larger than this, as JSON, holds the tool back. */
  schemaChars: 16_384,
  /** OpenAI's limit on function names; a longer name holds the tool back. */
  nameChars: 64,
} as const;

/** Calls one tool of a connected server. */
export type CallTool = (tool: string, args: JsonObject, signal: AbortSignal) => Promise<CallToolResult>;

/** `SERVER_TOOL`, as plans write it. */
export function externalToolName(server: string, tool: string): string {
  return plannerToolName(`${server}_${tool}`);
}

// Servers write their schemas for any validator: formats and unknown keywords are not checked, nothing is logged.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });

/**
 * The tool as the session offers it, or why it cannot be offered (a schema too large or one no validator can
 * read, a name too long).
 */
export function externalTool(origin: ToolOrigin, mcpTool: McpTool, call: CallTool): Tool | { problem: string } {
  const name = externalToolName(origin.name, mcpTool.name);
  if (name.length > TOOL_LIMITS.nameChars) return { problem: `its name is longer than ${TOOL_LIMITS.nameChars} characters` };
  const schemaText = JSON.stringify(mcpTool.inputSchema ?? {});
  if (schemaText.length > TOOL_LIMITS.schemaChars) {
    return { problem: `its input schema is ${schemaText.length.toLocaleString('en-US')} characters long (the limit is ${TOOL_LIMITS.schemaChars.toLocaleString('en-US')})` };
  }
  const inputSchema = readableSchema(mcpTool.inputSchema as JsonSchema);
  try {
    ajv.compile(inputSchema as object);
  } catch (error) {
    return { problem: `its input schema cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  return {
    name,
    description: cut(mcpTool.description?.trim() || mcpTool.title || mcpTool.name, TOOL_LIMITS.descriptionChars),
    params: paramsOf(inputSchema),
    inputSchema,
    origin,
    run: async (args, ctx) => outputOf(await call(mcpTool.name, args, ctx.signal), origin),
  };
}

/**
 * The schema as a validator reads it: the `$schema` line dropped (a draft the validator does not carry would stop
 * it), the rest as the server wrote it.
 */
function readableSchema(schema: JsonSchema & { $schema?: string }): JsonSchema {
  const { $schema: _ignored, ...rest } = schema ?? {};
  return { ...rest, type: 'object' };
}

/** Each top-level property a parameter, in the order of `properties`; optional unless `required`. */
export function paramsOf(schema: JsonSchema): ToolParam[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    schema: property,
    ...(required.has(name) ? {} : { optional: true }),
    description: typeof property.description === 'string' ? property.description : '',
  }));
}

/**
 * A call's result as a tool output: the text content joined, each image, audio clip or resource named in one line,
 * `structuredContent` as the value `$N.field` reads. A result the server marks as an error fails the task.
 */
export function outputOf(result: CallToolResult, origin: ToolOrigin): ToolOutput {
  const lines = (result.content ?? []).map(contentLine);
  const structured = result.structuredContent as JsonValue | undefined;
  let text = lines.join('\n');
  if (!text && structured !== undefined) text = JSON.stringify(structured);
  if (result.isError) {
    throw new CompilerError('tool-failed', `MCP server "${origin.name}" says the call failed: ${cut(text || 'no reason given', 2_000)}`);
  }
  return { text, ...(structured !== undefined ? { value: structured } : {}) };
}

function contentLine(item: CallToolResult['content'][number]): string {
  switch (item.type) {
    case 'text':
      return item.text;
    case 'image':
    case 'audio':
      return `[${item.type}: ${item.mimeType}, ${sizeOfBase64(item.data)}]`;
    case 'resource': {
      const r = item.resource;
      const size = 'text' in r && typeof r.text === 'string' ? `${r.text.length.toLocaleString('en-US')} characters` : 'blob' in r && typeof r.blob === 'string' ? sizeOfBase64(r.blob) : '';
      return `[resource: ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}${size ? `, ${size}` : ''}]`;
    }
    case 'resource_link':
      return `[resource link: ${item.name} ${item.uri}${item.mimeType ? ` (${item.mimeType})` : ''}]`;
    default:
      return `[${String((item as { type?: unknown }).type)} content]`;
  }
}

function sizeOfBase64(data: string): string {
  const bytes = Math.floor((data.length * 3) / 4);
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
