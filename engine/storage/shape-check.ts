/**
 * Runtime shape checks for values that reach storage from outside the type system: JSON read
 * back from the object store (manifest files, SST footers), and edits built by callers. Each check returns a
 * normalized copy (known fields only, in a fixed order) or throws `ShapeError` naming where
 * the value went wrong (`files[2].timeRange`). Callers turn a `ShapeError` into the right
 * `TesseraError`: `InvalidArguments` for a caller's value, `StorageCorrupted` for a file.
 */

/** A value of the wrong shape; `message` names the field path and what was wrong. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** Renders a value briefly for a message: JSON, cut to 60 characters. */
export function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A plain object (not null, not an array). */
export function expectRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${where} must be an object, not ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** An array (its elements unchecked). */
export function expectArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} must be an array, not ${describeValue(value)}`);
  return value;
}

/** A string (possibly empty). */
export function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${where} must be a string, not ${describeValue(value)}`);
  return value;
}

/** `true` or `false`; no truthy stand-ins. */
export function expectBoolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new ShapeError(`${where} must be a boolean, not ${describeValue(value)}`);
  return value;
}

/** A safe integer ≥ `min` (default 0): ids, versions, counts and sizes. */
export function expectInteger(value: unknown, where: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ShapeError(`${where} must be an integer ≥ ${min}, not ${describeValue(value)}`);
  }
  return value;
}

/** Throws naming the first key of `record` that is not in `known`. */
export function rejectUnknownKeys(record: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) throw new ShapeError(`${where} has unknown key "${key}"`);
  }
}
