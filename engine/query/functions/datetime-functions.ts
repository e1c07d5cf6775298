/** Date and time functions: now, date_trunc, to_unixtime. Times are UTC (no session zone yet). */
import type { Column } from '../column.ts';
import { isTimestamp, timestampTicksPerSecond } from '../data-type.ts';
import { executionError } from '../errors.ts';
import { parseTimestampTicks } from '../timestamp.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, noMatchingSignature, stringLike, timestampLike } from './helpers.ts';

/**
 * `now()`: the current time in milliseconds. DataFusion returns nanoseconds; milliseconds keep
 * the value exact in the engine's Float64 storage.
 */
const now: ScalarFunction = {
  name: 'now',
  signature: 'now() -> Timestamp(Millisecond, None)',
  returnType(args) {
    expectArgCount('now', args, 0);
    return 'Timestamp(Millisecond, None)';
  },
  evaluate: (_args, length, type) => ({ type, length, values: new Float64Array(length).fill(Date.now()), valid: null }),
};

const TRUNCATE_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

function truncateMillis(unit: string, millis: number): number {
  const seconds = TRUNCATE_SECONDS[unit];
  if (unit === 'week') {
    // Weeks start on Monday; the epoch was a Thursday.
    const monday = 4 * 86400000;
    return Math.floor((millis - monday) / 604800000) * 604800000 + monday;
  }
  if (seconds !== undefined) return Math.floor(millis / (seconds * 1000)) * seconds * 1000;
  const date = new Date(millis);
  const year = date.getUTCFullYear();
  if (unit === 'year') return Date.UTC(year, 0, 1);
  if (unit === 'quarter') return Date.UTC(year, Math.floor(date.getUTCMonth() / 3) * 3, 1);
  if (unit === 'month') return Date.UTC(year, date.getUTCMonth(), 1);
  if (unit === 'millisecond') return millis;
  throw executionError(`Execution error: Unsupported date_trunc granularity: ${unit}`);
}

/** `date_trunc(unit, ts)`: the timestamp rounded down to the unit; keeps the timestamp type. */
const dateTrunc: ScalarFunction = {
  name: 'date_trunc',
  signature: 'date_trunc(Utf8, Timestamp) -> Timestamp',
  returnType(args) {
    expectArgCount('date_trunc', args, 2);
    if (!stringLike(args[0]) || !(isTimestamp(args[1]) || args[1] === 'Null'))
      throw noMatchingSignature('date_trunc', args);
    return args[1] === 'Null' ? 'Timestamp(Nanosecond, None)' : args[1];
  },
  evaluate(args, length, type) {
    const [units, times] = args;
    const perSecond = timestampTicksPerSecond(type);
    const out = new Float64Array(length);
    const source = times.values as Float64Array;
    const unitValues = units.values as string[];
    for (let i = 0; i < length; i++) {
      const unit = unitValues[i]?.toLowerCase() ?? 'second';
      const ticks = source[i];
      const millis = Math.floor((ticks * 1000) / perSecond);
      const subMillis = perSecond > 1000 ? ticks - (millis * perSecond) / 1000 : 0;
      const truncated = truncateMillis(unit, millis);
      out[i] = unit === 'millisecond' ? ticks - subMillis : (truncated * perSecond) / 1000;
    }
    return { type, length, values: out, valid: mergeNulls(args, length) };
  },
};

function mergeNulls(args: Column[], length: number): Uint8Array | null {
  let valid: Uint8Array | null = null;
  for (const column of args) {
    if (column.type === 'Null') return new Uint8Array(length);
    if (column.valid === null) continue;
    valid ??= new Uint8Array(length).fill(1);
    for (let i = 0; i < length; i++) valid[i] &= column.valid[i];
  }
  return valid;
}

/** `to_unixtime(x)`: seconds since the epoch (Int64) of a timestamp or a timestamp string. */
const toUnixtime: ScalarFunction = {
  name: 'to_unixtime',
  signature: 'to_unixtime(Timestamp | Utf8 | Int64) -> Int64',
  returnType(args) {
    expectArgCount('to_unixtime', args, 1);
    if (!timestampLike(args[0]) && args[0] !== 'Int64') throw noMatchingSignature('to_unixtime', args);
    return 'Int64';
  },
  evaluate(args, length, type) {
    const [input] = args;
    const out = new Float64Array(length);
    let valid = input.valid === null ? null : input.valid.slice();
    if (input.type === 'Null') return { type, length, values: out, valid: new Uint8Array(length) };
    if (input.type === 'Utf8') {
      const texts = input.values as string[];
      for (let i = 0; i < length; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const seconds = parseTimestampTicks(texts[i], 1);
        if (seconds === null) {
          valid ??= new Uint8Array(length).fill(1);
          valid[i] = 0;
        } else out[i] = seconds;
      }
      return { type, length, values: out, valid };
    }
    const perSecond = isTimestamp(input.type) ? timestampTicksPerSecond(input.type) : 1;
    const source = input.values as Float64Array;
    for (let i = 0; i < length; i++) out[i] = Math.floor(source[i] / perSecond);
    return { type, length, values: out, valid };
  },
};

/** Date and time functions, registered by registry.ts. */
export const datetimeFunctions: ScalarFunction[] = [now, dateTrunc, toUnixtime];
