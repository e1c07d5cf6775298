/** Date and time functions: now, date_trunc, to_unixtime. Times are UTC (no session zone yet). */
import type { Column } from '../column.ts';
import { bigintAt } from '../column.ts';
import { exactMultipleLimit, floorToStride, isWide, packExact } from '../exact-integers.ts';
import { isTemporal, isTimestamp, timestampTicksPerSecond } from '../data-type.ts';
import { executionError } from '../errors.ts';
import { parseTimestampTicks } from '../timestamp.ts';
import { zoneOffsetMs } from '../time-zone.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, mapRows, noMatchingSignature, stringLike, timestampLike } from './helpers.ts';

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
    let rows: (number | bigint)[] | null = null;
    const words = times.exact ? new Int32Array(times.exact.buffer, times.exact.byteOffset, length * 2) : null;
    for (let i = 0; i < length; i++) {
      const unit = unitValues[i]?.toLowerCase() ?? 'second';
      const ticks = source[i];
      const seconds = TRUNCATE_SECONDS[unit];
      if (isWide(ticks) && words !== null && seconds !== undefined) {
        // A fixed unit (second ... week) of exact ticks, corrected on the words while the result
        // is a float exactly (exactMultipleLimit); BigInt below otherwise.
        const stride = seconds * perSecond;
        const origin = unit === 'week' ? 4 * 86400 * perSecond : 0;
        const approx = Math.floor((ticks - origin) / stride) * stride + origin;
        const fixed = floorToStride(words, i, approx, stride, exactMultipleLimit(stride, origin));
        if (fixed !== null) {
          out[i] = fixed;
          if (rows !== null) rows[i] = fixed;
          continue;
        }
      }
      if (isWide(ticks) && perSecond > 1000) {
        // Nanoseconds (or microseconds) past 2^53: truncate the exact ticks to whole milliseconds.
        rows ??= Array.from(out);
        const perMilli = BigInt(perSecond / 1000);
        const exact = bigintAt(times, i);
        let millis = exact / perMilli;
        if (millis * perMilli > exact) millis -= 1n;
        rows[i] = unit === 'millisecond' ? millis * perMilli : BigInt(truncateMillis(unit, Number(millis))) * perMilli;
        continue;
      }
      const millis = Math.floor((ticks * 1000) / perSecond);
      const subMillis = perSecond > 1000 ? ticks - (millis * perSecond) / 1000 : 0;
      const truncated = truncateMillis(unit, millis);
      out[i] = unit === 'millisecond' ? ticks - subMillis : (truncated * perSecond) / 1000;
      if (rows !== null) rows[i] = out[i];
    }
    if (rows !== null) {
      const packed = packExact(rows, false);
      return { type, length, values: packed.values, valid: mergeNulls(args, length), exact: packed.exact };
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
    // A second argument is the session time zone for text (bind-time-zone.ts adds it).
    if (args.length === 2 && args[1] === 'Utf8') args = args.slice(0, 1);
    expectArgCount('to_unixtime', args, 1);
    if (!timestampLike(args[0]) && args[0] !== 'Int64') throw noMatchingSignature('to_unixtime', args);
    return 'Int64';
  },
  evaluate(args, length, type) {
    const [input, zoneColumn] = args;
    const zone = zoneColumn === undefined ? undefined : (zoneColumn.values as string[])[0];
    const out = new Float64Array(length);
    let valid = input.valid === null ? null : input.valid.slice();
    if (input.type === 'Null') return { type, length, values: out, valid: new Uint8Array(length) };
    if (input.type === 'Utf8') {
      const texts = input.values as string[];
      for (let i = 0; i < length; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const seconds = parseTimestampTicks(texts[i], 1, zone);
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
    if (input.exact && perSecond > 1) {
      // Ticks past 2^53 (nanoseconds): the seconds of the exact ticks, floor division.
      const unit = BigInt(perSecond);
      for (let i = 0; i < length; i++) {
        if (!isWide(source[i])) continue;
        const ticks = input.exact[i];
        const seconds = ticks / unit;
        out[i] = Number(seconds * unit > ticks ? seconds - 1n : seconds);
      }
    }
    return { type, length, values: out, valid };
  },
};

/** Date and time functions, registered by registry.ts. */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Formats a time (seconds plus nanoseconds, UTC) with chrono's strftime specifiers: %Y %C %y %m
 * %b %B %d %e %j %H %I %M %S %p %f %3f %6f %9f %.3f %.6f %.9f %a %A %u %w %s %T %D %F %R %Z %z %%.
 */
export function strftime(format: string, seconds: number, nanos: number): string {
  const date = new Date(seconds * 1000);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const year = date.getUTCFullYear();
  const hour = date.getUTCHours();
  const fraction = pad(nanos, 9);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%' || i + 1 >= format.length) {
      out += format[i];
      continue;
    }
    let spec = format[++i];
    let digits = '';
    if (spec === '.' || /[369]/.test(spec)) {
      digits = spec === '.' ? format[++i] : spec;
      spec = format[++i];
      if (spec === 'f') {
        const dot = format[i - 2] === '.' ? '.' : '';
        out += dot + fraction.slice(0, Number(digits));
        continue;
      }
    }
    switch (spec) {
      case 'Y':
        out += String(year);
        break;
      case 'C':
        out += pad(Math.floor(year / 100));
        break;
      case 'y':
        out += pad(year % 100);
        break;
      case 'm':
        out += pad(date.getUTCMonth() + 1);
        break;
      case 'b':
      case 'h':
        out += MONTHS[date.getUTCMonth()].slice(0, 3);
        break;
      case 'B':
        out += MONTHS[date.getUTCMonth()];
        break;
      case 'd':
        out += pad(date.getUTCDate());
        break;
      case 'e':
        out += String(date.getUTCDate()).padStart(2, ' ');
        break;
      case 'j':
        out += pad(
          Math.floor((Date.UTC(year, date.getUTCMonth(), date.getUTCDate()) - Date.UTC(year, 0, 1)) / 86400000) + 1,
          3,
        );
        break;
      case 'H':
        out += pad(hour);
        break;
      case 'I':
        out += pad(hour % 12 === 0 ? 12 : hour % 12);
        break;
      case 'M':
        out += pad(date.getUTCMinutes());
        break;
      case 'S':
        out += pad(date.getUTCSeconds());
        break;
      case 'p':
        out += hour < 12 ? 'AM' : 'PM';
        break;
      case 'f':
        out += fraction;
        break;
      case 'a':
        out += WEEKDAYS[date.getUTCDay()].slice(0, 3);
        break;
      case 'A':
        out += WEEKDAYS[date.getUTCDay()];
        break;
      case 'u':
        out += String(date.getUTCDay() === 0 ? 7 : date.getUTCDay());
        break;
      case 'w':
        out += String(date.getUTCDay());
        break;
      case 's':
        out += String(seconds);
        break;
      case 'T':
        out += `${pad(hour)}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
        break;
      case 'R':
        out += `${pad(hour)}:${pad(date.getUTCMinutes())}`;
        break;
      case 'D':
        out += `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${pad(year % 100)}`;
        break;
      case 'F':
        out += `${year}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
        break;
      case 'Z':
        out += 'UTC';
        break;
      case 'z':
        out += '+0000';
        break;
      case '%':
        out += '%';
        break;
      default:
        out += `%${digits}${spec}`;
    }
  }
  return out;
}

/** `date_format(ts, format)`: the time as text by a strftime format (UTC). */
const dateFormat: ScalarFunction = {
  name: 'date_format',
  signature: 'date_format(Timestamp | Date, Utf8) -> Utf8',
  returnType(args) {
    // A third argument is the session time zone (bind-time-zone.ts adds it).
    if (args.length === 3 && args[2] === 'Utf8') args = args.slice(0, 2);
    expectArgCount('date_format', args, 2);
    if (!(isTemporal(args[0]) || args[0] === 'Null') || !stringLike(args[1]))
      throw noMatchingSignature('date_format', args);
    return 'Utf8';
  },
  evaluate(args, length, type) {
    const [time, format, zoneColumn] = args;
    const zone = zoneColumn === undefined ? undefined : (zoneColumn.values as string[])[0];
    const ticksPerSecond = timestampTicksPerSecond(time.type);
    return mapRows(
      args,
      length,
      type,
      (_columns, row) => ({ ticks: (time.values as Float64Array)[row], text: (format.values as string[])[row] }),
      ({ ticks, text }) => {
        const seconds = Math.floor(ticks / ticksPerSecond);
        const nanos = Math.round(((ticks - seconds * ticksPerSecond) * 1e9) / ticksPerSecond);
        // Wall-clock fields in the session zone: shift the instant by the zone's offset then.
        const local = zone === undefined ? seconds : seconds + zoneOffsetMs(zone, seconds * 1000) / 1000;
        return strftime(text, local, nanos);
      },
    );
  },
};

export const datetimeFunctions: ScalarFunction[] = [now, dateTrunc, toUnixtime, dateFormat];
