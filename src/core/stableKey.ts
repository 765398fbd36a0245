import type { JsonValue } from '../shared/json';

/** JSON with object keys sorted, so equal arguments give equal keys whatever order they were written in. */
export function stableKey(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableKey(value[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
