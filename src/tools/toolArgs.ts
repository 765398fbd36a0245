import { CompilerError } from '../base/errors';
import type { JsonObject } from '../shared/json';

// Arguments arrive validated against the schemas; these readers apply defaults and hard caps, and guard anyway
// because a tool may be called directly (CLI, tests).

export function stringArg(args: JsonObject, name: string): string {
  const value = args[name];
  if (typeof value !== 'string') throw new CompilerError('invalid-args', `Parameter ${name} must be a string.`);
  return value;
}

export function optionalString(args: JsonObject, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CompilerError('invalid-args', `Parameter ${name} must be a string.`);
  return value;
}

export function optionalBool(args: JsonObject, name: string, fallback: boolean): boolean {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new CompilerError('invalid-args', `Parameter ${name} must be true or false.`);
  return value;
}

export interface IntRange {
  min: number;
  /** Hard cap: larger values are lowered to it, not refused. */
  max: number;
}

export function optionalInt(args: JsonObject, name: string, range: IntRange): number | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new CompilerError('invalid-args', `Parameter ${name} must be an integer.`);
  }
  if (value < range.min) throw new CompilerError('invalid-args', `Parameter ${name} must be at least ${range.min}.`);
  return Math.min(value, range.max);
}
