import { plural } from '../../shared/format';
import type { JsonValue } from '../../shared/json';
import type { RefPath } from './planTree';
import { CompilerError } from '../../base/errors';

/** `[0].path` for `[0, "path"]`: the access path as the plan language writes it. */
export function formatRefPath(path: RefPath | undefined): string {
  return (path ?? []).map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

/** A bare reference as written: `$1[0].path`. */
export function formatRef(id: number, path?: RefPath): string {
  return `$${id}${formatRefPath(path)}`;
}

/** A reference inside a string, always braced so the path stays part of it: `${1[0].path}`. */
export function formatTemplateRef(id: number, path?: RefPath): string {
  return `\${${id}${formatRefPath(path)}}`;
}

/**
 * Picks the part of task `id`'s result that `path` names. Throws `bad-reference` naming what exists instead, so the
 * planner can correct the step in the next round. `label` is the reference as written, e.g. `$1[0].path`.
 */
export function applyRefPath(value: JsonValue, id: number, path: RefPath, label: string): JsonValue {
  let current = value;
  for (let i = 0; i < path.length; i++) {
    current = step(current, path[i]!, i === 0 ? undefined : formatRef(id, path.slice(0, i)));
  }
  return current;

  /** One step; `prefix` is the reference up to here, undefined for the first step, which reads the result itself. */
  function step(current: JsonValue, key: string | number, prefix: string | undefined): JsonValue {
    const fail = (why: string): never => {
      throw new CompilerError('bad-reference', `${label}: ${why}`);
    };
    const what = prefix ?? `task ${id}'s result`;
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return fail(`${what} is ${describe(current)}, not a list`);
      const n = current.length;
      const index = key < 0 ? n + key : key;
      if (index >= 0 && index < n) return current[index]!;
      const [holder, noun] = prefix === undefined ? [`task ${id}`, 'result'] : [prefix, 'item'];
      if (n === 0) return fail(`${holder} has no ${noun}s`);
      const range = n === 1 ? 'index 0' : `indexes 0-${n - 1}`;
      return fail(`${holder} has ${plural(n, noun)} (${range}, or -1 for the last)`);
    }
    if (Array.isArray(current)) {
      const first = `${prefix ?? `$${id}`}[0].${key}`;
      return fail(`${what} is ${describe(current)}, not an object; pick one first, e.g. ${first}`);
    }
    if (current === null || typeof current !== 'object') return fail(`${what} is ${describe(current)}, not an object`);
    if (!Object.hasOwn(current, key)) {
      const fields = Object.keys(current);
      const known = fields.length ? `fields: ${fields.join(', ')}` : 'it has no fields';
      return fail(`${prefix ?? 'the value'} has no field "${key}" (${known})`);
    }
    return current[key]!;
  }
}

/** A picked value inside a string: text as is, anything else as compact JSON (`42`, `true`, `{"a":1}`). */
export function valueText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describe(value: JsonValue): string {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true/false';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${plural(value.length, 'item')}`;
  return 'an object';
}
