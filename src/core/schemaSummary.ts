import type { JsonSchema } from '../shared/toolContract';

/** Longest summary of one parameter's type in the planner's tool list. */
const MAX_SUMMARY_CHARS = 120;

/**
 * A JSON schema in a few words for the planner's tool list: `string`, `number`, `"a" | "b"`, `list of string`,
 * `{oldText: string, newText: string}`; nested objects past the first level are `object`, and a long summary is cut.
 */
export function schemaSummary(schema: JsonSchema | undefined): string {
  const text = summary(schema, 0);
  return text.length <= MAX_SUMMARY_CHARS ? text : `${text.slice(0, MAX_SUMMARY_CHARS - 1)}…`;
}

type LooseSchema = JsonSchema & { anyOf?: LooseSchema[]; oneOf?: LooseSchema[]; const?: unknown; $ref?: string };

function summary(schema: LooseSchema | undefined, depth: number): string {
  if (!schema || typeof schema !== 'object') return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.slice(0, 8).map((v) => JSON.stringify(v)).join(' | ') + (schema.enum.length > 8 ? ' | …' : '');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return union.slice(0, 4).map((s) => summary(s, depth)).join(' | ');
  if (schema.$ref) return String(schema.$ref.split('/').at(-1) ?? 'object');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  // A list adds no level: `list of {oldText: string, newText: string}` reads as one.
  if (type === 'array') return `list of ${summary(schema.items as LooseSchema | undefined, depth)}`;
  if (type === 'object' || (type === undefined && schema.properties)) {
    const props = Object.entries(schema.properties ?? {});
    if (!props.length || depth >= 1) return 'object';
    const required = new Set(schema.required ?? []);
    return `{${props.map(([name, p]) => `${name}${required.has(name) ? '' : '?'}: ${summary(p, depth + 1)}`).join(', ')}}`;
  }
  return type ?? 'any';
}
