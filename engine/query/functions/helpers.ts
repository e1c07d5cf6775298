/** Shared pieces of function bodies: argument checks and whole-column loops. */
import type { Column } from '../column.ts';
import type { SqlType } from '../data-type.ts';
import { isNumeric, isTimestamp } from '../data-type.ts';
import { planningError } from '../errors.ts';

/** The PlanQuery error DataFusion gives when no signature of `name` fits the argument types. */
export function noMatchingSignature(name: string, args: SqlType[]): Error {
  return planningError(
    `No function matches the given name and argument types '${name}(${args.join(', ')})'. You might need to add explicit type casts.`,
  );
}

/** Throws unless the argument count is within [min, max]. */
export function expectArgCount(name: string, args: SqlType[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw noMatchingSignature(name, args);
}

/** Whether a type may stand where a number is wanted (Null included, as a literal NULL). */
export function numericLike(type: SqlType): boolean {
  return isNumeric(type) || type === 'Null';
}

/** Whether a type may stand where a string is wanted. */
export function stringLike(type: SqlType): boolean {
  return type === 'Utf8' || type === 'Null';
}

/** Whether a type may stand where a timestamp is wanted (strings are parsed). */
export function timestampLike(type: SqlType): boolean {
  return isTimestamp(type) || type === 'Null' || type === 'Utf8';
}

/** The validity of rows valid in every column (null when all are). */
export function mergeValidity(columns: Column[], length: number): Uint8Array | null {
  let valid: Uint8Array | null = null;
  for (const column of columns) {
    if (column.type === 'Null') return new Uint8Array(length);
    if (column.valid === null) continue;
    if (valid === null) valid = column.valid.slice();
    else for (let i = 0; i < length; i++) valid[i] &= column.valid[i];
  }
  return valid;
}

/** A numeric column from applying `fn` to each value of a numeric column. */
export function mapNumber(column: Column, length: number, type: SqlType, fn: (value: number) => number): Column {
  if (column.type === 'Null') return { type, length, values: new Float64Array(length), valid: new Uint8Array(length) };
  const source = column.values as Float64Array;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = fn(source[i]);
  return { type, length, values: out, valid: column.valid };
}

/** A string column from applying `fn` to each row that is valid in every argument. */
export function mapRows<T>(
  args: Column[],
  length: number,
  type: SqlType,
  read: (args: Column[], row: number) => T,
  fn: (value: T) => string | number | boolean | null,
): Column {
  const valid = mergeValidity(args, length) ?? new Uint8Array(length).fill(1);
  const values =
    type === 'Utf8'
      ? new Array<string>(length).fill('')
      : type === 'Boolean'
        ? new Uint8Array(length)
        : new Float64Array(length);
  let anyNull = false;
  for (let i = 0; i < length; i++) {
    if (valid[i] === 0) {
      anyNull = true;
      continue;
    }
    const result = fn(read(args, i));
    if (result === null) {
      valid[i] = 0;
      anyNull = true;
    } else if (type === 'Utf8') (values as string[])[i] = String(result);
    else (values as Float64Array | Uint8Array)[i] = Number(result);
  }
  return { type, length, values, valid: anyNull ? valid : null };
}
