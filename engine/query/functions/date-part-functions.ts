/**
 * `date_part(field, t)` (and `EXTRACT(field FROM t)`, planned as date_part): one field of a
 * timestamp or date, in UTC. Int32 for every field, as GreptimeDB prints them (`2008`, `45123456`).
 */
import type { Column } from '../column.ts';
import { isWide } from '../exact-integers.ts';
import { isTemporal, timestampTicksPerSecond } from '../data-type.ts';
import { executionError } from '../errors.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, mergeValidity, noMatchingSignature, stringLike } from './helpers.ts';

/** The field's value for a time given as whole milliseconds plus nanoseconds within the second. */
function fieldValue(field: string, millis: number, nanosOfSecond: number): number {
  const date = new Date(millis);
  switch (field) {
    case 'year':
    case 'years':
      return date.getUTCFullYear();
    case 'quarter':
      return Math.floor(date.getUTCMonth() / 3) + 1;
    case 'month':
    case 'months':
      return date.getUTCMonth() + 1;
    case 'week': {
      // ISO week number.
      const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
      const weekday = day.getUTCDay() || 7;
      day.setUTCDate(day.getUTCDate() + 4 - weekday);
      const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
      return Math.ceil(((day.getTime() - yearStart) / 86400000 + 1) / 7);
    }
    case 'day':
    case 'days':
      return date.getUTCDate();
    case 'hour':
    case 'hours':
      return date.getUTCHours();
    case 'minute':
    case 'minutes':
      return date.getUTCMinutes();
    case 'second':
    case 'seconds':
      return date.getUTCSeconds();
    case 'millisecond':
    case 'milliseconds':
      return date.getUTCSeconds() * 1000 + Math.floor(nanosOfSecond / 1e6);
    case 'microsecond':
    case 'microseconds':
      return date.getUTCSeconds() * 1e6 + Math.floor(nanosOfSecond / 1e3);
    case 'nanosecond':
    case 'nanoseconds':
      return date.getUTCSeconds() * 1e9 + nanosOfSecond;
    case 'dow':
      return date.getUTCDay();
    case 'doy':
      return Math.floor((millis - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86400000) + 1;
    case 'epoch':
      return Math.floor(millis / 1000);
    default:
      throw executionError(`Execution error: Date part '${field.toUpperCase()}' not supported`);
  }
}

/** Whole seconds and nanoseconds within the second of exact ticks (floor division). */
function splitExactTicks(ticks: bigint, perSecond: number): { seconds: number; nanos: number } {
  const unit = BigInt(perSecond);
  let seconds = ticks / unit;
  if (seconds * unit > ticks) seconds -= 1n;
  return { seconds: Number(seconds), nanos: Number(((ticks - seconds * unit) * 1_000_000_000n) / unit) };
}

const datePart: ScalarFunction = {
  name: 'date_part',
  signature: 'date_part(Utf8, Timestamp | Date) -> Int32',
  returnType(args) {
    expectArgCount('date_part', args, 2);
    if (!stringLike(args[0]) || !(isTemporal(args[1]) || args[1] === 'Null')) {
      throw noMatchingSignature('date_part', args);
    }
    return 'Int32';
  },
  evaluate(args, length, type): Column {
    const [fields, times] = args;
    const out = new Float64Array(length);
    const valid = mergeValidity(args, length);
    if (times.type === 'Null' || fields.type === 'Null') return { type, length, values: out, valid };
    const perSecond = timestampTicksPerSecond(times.type);
    const ticks = times.values as Float64Array;
    const names = fields.values as string[];
    const exact = times.exact ?? null;
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      let seconds = Math.floor(ticks[i] / perSecond);
      let nanos = perSecond >= 1 ? Math.round(((ticks[i] - seconds * perSecond) * 1e9) / perSecond) : 0;
      if (exact !== null && isWide(ticks[i])) {
        // Nanoseconds past 2^53: split the exact ticks (exact-integers.ts).
        const split = splitExactTicks(exact[i], perSecond);
        seconds = split.seconds;
        nanos = split.nanos;
      }
      out[i] = fieldValue(names[i].toLowerCase(), seconds * 1000 + Math.floor(nanos / 1e6), nanos);
    }
    return { type, length, values: out, valid };
  },
};

/** Date-part functions, registered by registry.ts. */
export const datePartFunctions: ScalarFunction[] = [datePart];
