import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { closest } from 'fastest-levenshtein';
import type { JsonObject, JsonValue } from '../../shared/json';
import type { JsonSchema, ToolSpec } from '../../shared/toolContract';
import type { ArgExpr, PlannedTask } from './planTree';
import { CompilerError } from '../../base/errors';
import { applyRefPath, formatRef, formatTemplateRef, valueText } from './refPath';

/** What a `$N` reference reads of an earlier task. */
export interface RefSource {
  text: string;
  value?: JsonValue;
}

/**
 * Pairs the written arguments with the tool's parameters: positionals in the documented order, then keywords.
 * Throws `invalid-args` for too many positionals, unknown or repeated names and missing required parameters.
 */
export function matchParams(task: PlannedTask, spec: ToolSpec): Map<string, ArgExpr> {
  const bound = new Map<string, ArgExpr>();
  const { positional, named } = task.args;
  if (positional.length > spec.params.length) {
    throw new CompilerError(
      'invalid-args',
      `${spec.name} takes at most ${spec.params.length} argument${spec.params.length === 1 ? '' : 's'} ` +
        `(${signature(spec)}), got ${positional.length}`,
    );
  }
  positional.forEach((expr, i) => bound.set(spec.params[i]!.name, expr));
  const names = spec.params.map((p) => p.name);
  for (const [name, expr] of named) {
    if (!names.includes(name)) {
      const hint = names.length ? `; did you mean ${closest(name, names)}?` : '';
      throw new CompilerError('invalid-args', `${spec.name} has no parameter "${name}"${hint} (${signature(spec)})`);
    }
    if (bound.has(name)) throw new CompilerError('invalid-args', `${spec.name}: argument "${name}" is given twice`);
    bound.set(name, expr);
  }
  const missing = spec.params.filter((p) => !p.optional && !bound.has(p.name)).map((p) => p.name);
  if (missing.length) {
    throw new CompilerError('invalid-args', `${spec.name} needs ${missing.join(', ')} (${signature(spec)})`);
  }
  return bound;
}

/** `grep(pattern, glob?, regex?)`: the form the planner prompt and error messages use. */
export function signature(spec: ToolSpec): string {
  return `${spec.name}(${spec.params.map((p) => (p.optional ? `${p.name}?` : p.name)).join(', ')})`;
}

export function hasRefs(expr: ArgExpr): boolean {
  switch (expr.kind) {
    case 'literal':
      return false;
    case 'ref':
    case 'template':
      return true;
    case 'list':
      return expr.items.some(hasRefs);
    case 'object':
      return expr.entries.some(([, v]) => hasRefs(v));
  }
}

/**
 * Replaces references by results: a bare `$N` passes the structured value, inside a string the text. An access path
 * (`$1[0].path`) picks part of the structured value; inside a string that part is written as text.
 */
export function resolveArg(expr: ArgExpr, source: (id: number) => RefSource): JsonValue {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'ref': {
      const result = source(expr.id);
      const value = result.value ?? result.text;
      return expr.path ? applyRefPath(value, expr.id, expr.path, formatRef(expr.id, expr.path)) : value;
    }
    case 'template':
      return expr.parts
        .map((p) => {
          if (typeof p === 'string') return p;
          const result = source(p.ref);
          if (!p.path) return result.text;
          const label = formatTemplateRef(p.ref, p.path);
          return valueText(applyRefPath(result.value ?? result.text, p.ref, p.path, label));
        })
        .join('');
    case 'list':
      return expr.items.map((item) => resolveArg(item, source));
    case 'object':
      return Object.fromEntries(expr.entries.map(([k, v]) => [k, resolveArg(v, source)]));
  }
}

/**
 * Fits a referenced value to a parameter's type the way a reader of the plan would: a list whose items all name
 * the same thing is that thing, a located object is its path, a number is its decimal text. A list of different
 * values for one string is refused: choosing one silently would answer a different question.
 */
export function coerceToSchema(value: JsonValue, schema: JsonSchema, label: string): JsonValue {
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  if (type === 'string') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) {
      // Several matches in one file (a grep result read whole) still name one file.
      const distinct = new Set(value.map((item) => coerceToSchema(item, schema, label)));
      if (distinct.size === 1) return [...distinct][0]!;
      throw new CompilerError(
        'invalid-args',
        `${label} takes one value, but the reference gives a list of ${distinct.size} different values; refer to one item or use a string`,
      );
    }
    if (value && typeof value === 'object') {
      for (const key of ['relPath', 'path', 'hash', 'name', 'text']) {
        if (typeof value[key] === 'string') return value[key];
      }
    }
  }
  if ((type === 'integer' || type === 'number') && typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    if (Number.isFinite(n)) return n;
  }
  if (type === 'array' && !Array.isArray(value)) return [value];
  return value;
}

// Schemas come from servers too: formats and keywords this validator does not know are not checked, nor logged.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false });
const validators = new WeakMap<ToolSpec, Map<string, ValidateFunction>>();
const inputValidators = new WeakMap<JsonSchema, ValidateFunction>();

/** A tool's spec, with its whole input schema when it has one of its own (an external tool). */
export type CheckedSpec = ToolSpec & { inputSchema?: JsonSchema };

/** Checks one argument against its parameter's JSON schema; throws `invalid-args` naming what does not fit. */
export function checkArg(spec: ToolSpec, name: string, value: JsonValue): void {
  let perTool = validators.get(spec);
  if (!perTool) validators.set(spec, (perTool = new Map()));
  let validate = perTool.get(name);
  if (!validate) {
    const param = spec.params.find((p) => p.name === name)!;
    validate = ajv.compile(param.schema as object);
    perTool.set(name, validate);
  }
  if (!validate(value)) {
    const why = (validate.errors ?? []).map((e) => `${e.instancePath || ''} ${e.message ?? ''}`.trim()).join('; ');
    throw new CompilerError('invalid-args', `${spec.name}: argument "${name}" ${why} (got ${preview(value)})`);
  }
}

/** Coerces a value to its parameter's type and checks it against the schema; returns the value to pass. */
export function fitArg(spec: ToolSpec, name: string, schema: JsonSchema, value: JsonValue): JsonValue {
  const fitted = coerceToSchema(value, schema, `${spec.name}: argument "${name}"`);
  checkArg(spec, name, fitted);
  return fitted;
}

/**
 * Resolves, coerces and checks every argument of a task whose references have all succeeded. A tool with an input
 * schema of its own is checked against the whole of it (nested definitions and references included), once the
 * arguments are fitted one by one.
 */
export function bindArgs(task: PlannedTask, spec: CheckedSpec, source: (id: number) => RefSource): JsonObject {
  const args: JsonObject = {};
  for (const [name, expr] of matchParams(task, spec)) {
    const param = spec.params.find((p) => p.name === name)!;
    const value = resolveArg(expr, source);
    args[name] = spec.inputSchema ? coerceToSchema(value, param.schema, `${spec.name}: argument "${name}"`) : fitArg(spec, param.name, param.schema, value);
  }
  if (spec.inputSchema) checkInput(spec, spec.inputSchema, args);
  return args;
}

/** Checks a whole arguments object against a tool's input schema; throws `invalid-args` naming the argument at fault. */
export function checkInput(spec: ToolSpec, schema: JsonSchema, args: JsonObject): void {
  let validate = inputValidators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema as object);
    inputValidators.set(schema, validate);
  }
  if (validate(args)) return;
  const why = (validate.errors ?? []).slice(0, 3).map((e) => {
    // A JSON pointer: its first step is the argument, written with `~1` for `/` and `~0` for `~`.
    const [, step, ...rest] = e.instancePath.split('/');
    if (step === undefined) return e.message ?? 'does not fit';
    const name = step.replace(/~1/g, '/').replace(/~0/g, '~');
    const at = rest.length ? ` at ${rest.join('/')}` : '';
    return `argument "${name}"${at} ${e.message ?? 'does not fit'} (got ${preview(args[name] ?? null)})`;
  });
  throw new CompilerError('invalid-args', `${spec.name}: ${why.join('; ')}`);
}

function preview(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
