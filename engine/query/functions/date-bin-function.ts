/**
 * `date_bin(stride, source [, origin])` as DataFusion has it: the start of the stride-wide bin
 * that holds `source`, bins counted from `origin` (default the Unix epoch). Strides are day /
 * time intervals, or whole months (not both); the result keeps the source's timestamp type.
 */
import type { Column } from '../column.ts';
import { isTimestamp, timestampTicksPerSecond } from '../data-type.ts';
import { executionError } from '../errors.ts';
import type { IntervalValue } from '../interval.ts';
import { parseTimestampTicks } from '../timestamp.ts';
import type { ScalarFunction } from './function.ts';
import { expectArgCount, mergeValidity, noMatchingSignature } from './helpers.ts';

const NANOS_PER_SECOND = 1_000_000_000;

export const dateBin: ScalarFunction = {
  name: 'date_bin',
  signature: 'date_bin(Interval, Timestamp [, Timestamp]) -> Timestamp',
  returnType(args) {
    expectArgCount('date_bin', args, 2, 3);
    const [stride, source, origin] = args;
    const strideOk = stride === 'Interval(MonthDayNano)' || stride === 'Utf8' || stride === 'Null';
    const sourceOk = isTimestamp(source!) || source === 'Null';
    const originOk = origin === undefined || isTimestamp(origin) || origin === 'Utf8' || origin === 'Null';
    if (!strideOk || !sourceOk || !originOk) throw noMatchingSignature('date_bin', args);
    return source === 'Null' ? 'Timestamp(Nanosecond, None)' : source!;
  },
  evaluate(args, length, type) {
    const [strideColumn, source, originColumn] = args as [Column, Column, Column | undefined];
    const perSecond = timestampTicksPerSecond(type);
    const out = new Float64Array(length);
    const valid = mergeValidity(args, length);
    if (source.type === 'Null' || strideColumn.type === 'Null') {
      return { type, length, values: out, valid: new Uint8Array(length) };
    }
    const times = source.values as Float64Array;
    for (let row = 0; row < length; row++) {
      if (valid !== null && valid[row] === 0) continue;
      const stride = strideAt(strideColumn, row);
      const origin = originAt(originColumn, row, perSecond);
      out[row] = bin(stride, times[row]!, origin, perSecond);
    }
    return { type, length, values: out, valid };
  },
};

function strideAt(column: Column, row: number): IntervalValue {
  const value = (column.values as unknown[])[row];
  if (typeof value === 'object' && value !== null && 'months' in value) return value as IntervalValue;
  throw executionError(`Execution error: DATE_BIN expects an interval stride, got ${String(value)}`);
}

function originAt(column: Column | undefined, row: number, perSecond: number): number {
  if (column === undefined || column.type === 'Null') return 0;
  if (column.type === 'Utf8') {
    const text = (column.values as string[])[row]!;
    const ticks = parseTimestampTicks(text, perSecond);
    if (ticks === null) throw executionError(`Execution error: DATE_BIN origin '${text}' is not a timestamp`);
    return ticks;
  }
  const ticks = (column.values as Float64Array)[row]!;
  const originPerSecond = timestampTicksPerSecond(column.type);
  return (ticks * perSecond) / originPerSecond;
}

function bin(stride: IntervalValue, ticks: number, origin: number, perSecond: number): number {
  if (stride.months !== 0) {
    if (stride.days !== 0 || stride.nanos !== 0n) {
      throw executionError(
        'Execution error: DATE_BIN stride does not support combination of month, day and nanosecond intervals',
      );
    }
    if (stride.months < 0) throw executionError('Execution error: DATE_BIN stride must be non-zero');
    return binMonths(stride.months, ticks, origin, perSecond);
  }
  const strideNanos = Number(BigInt(stride.days) * 86_400_000_000_000n + stride.nanos);
  if (strideNanos <= 0) throw executionError('Execution error: DATE_BIN stride must be non-zero');
  const strideTicks = (strideNanos * perSecond) / NANOS_PER_SECOND;
  if (strideTicks < 1) {
    // A stride finer than the source's unit leaves every value in its own bin.
    return ticks;
  }
  return origin + Math.floor((ticks - origin) / strideTicks) * strideTicks;
}

/** Month strides count calendar months from the origin's month (UTC). */
function binMonths(months: number, ticks: number, origin: number, perSecond: number): number {
  const toMillis = (value: number) => (value * 1000) / perSecond;
  const time = new Date(toMillis(ticks));
  const start = new Date(toMillis(origin));
  let elapsed = (time.getUTCFullYear() - start.getUTCFullYear()) * 12 + (time.getUTCMonth() - start.getUTCMonth());
  const candidate = (count: number) =>
    Date.UTC(
      start.getUTCFullYear(),
      start.getUTCMonth() + count,
      start.getUTCDate(),
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
      start.getUTCMilliseconds(),
    );
  let binned = Math.floor(elapsed / months) * months;
  if (candidate(binned) > toMillis(ticks)) binned -= months;
  elapsed = binned;
  return (candidate(elapsed) * perSecond) / 1000;
}
