/**
 * `date_bin(stride, source [, origin])` as DataFusion has it: the start of the stride-wide bin
 * that holds `source`, bins counted from `origin` (default the Unix epoch). Strides are day /
 * time intervals, or whole months (not both); the result keeps the source's timestamp type.
 */
import type { Column } from '../column.ts';
import { bigintAt } from '../column.ts';
import { exactMultipleLimit, floorToStride, isWide, packExact } from '../exact-integers.ts';
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
    const exact = source.exact ?? null;
    const words = exact === null ? null : new Int32Array(exact.buffer, exact.byteOffset, length * 2);
    let rows: (number | bigint)[] | null = null;
    for (let row = 0; row < length; row++) {
      if (valid !== null && valid[row] === 0) continue;
      const stride = strideAt(strideColumn, row);
      const origin = originAt(originColumn, row, perSecond);
      out[row] = bin(stride, times[row]!, origin, perSecond);
      if (isWide(times[row]!) && stride.months === 0) {
        // Ticks past 2^53 (nanoseconds): the bin corrected on the exact ticks, as a float when
        // the bin is one exactly (whole seconds, minutes), else in BigInt.
        const fixed = words === null ? null : binWords(stride, words, row, out[row], origin, perSecond);
        if (fixed !== null) {
          out[row] = fixed;
          if (rows !== null) rows[row] = fixed;
          continue;
        }
        rows ??= Array.from(out);
        rows[row] = binExact(stride, bigintAt(source, row), origin, perSecond);
      } else if (rows !== null) rows[row] = out[row];
    }
    if (rows !== null) {
      const packed = packExact(rows, false);
      return { type, length, values: packed.values, valid, exact: packed.exact };
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

/** A day / nanosecond stride's bin of exact ticks (the origin as its float rounds). */
function binExact(stride: IntervalValue, ticks: bigint, origin: number, perSecond: number): bigint {
  // Strides and origins are nearly always constants: their bigints are made once, not per row.
  if (stride !== lastStride || origin !== lastOrigin || perSecond !== lastPerSecond) {
    const strideNanos = BigInt(stride.days) * 86_400_000_000_000n + stride.nanos;
    lastStrideTicks = (strideNanos * BigInt(perSecond)) / BigInt(NANOS_PER_SECOND);
    lastStart = BigInt(Math.round(origin));
    lastStride = stride;
    lastOrigin = origin;
    lastPerSecond = perSecond;
  }
  const strideTicks = lastStrideTicks;
  if (strideTicks < 1n) return ticks;
  const offset = ticks - lastStart;
  let bins = offset / strideTicks;
  if (bins * strideTicks > offset) bins -= 1n;
  return lastStart + bins * strideTicks;
}

/** The exact bin of a row of 64-bit words as a float (floorToStride), or null. */
function binWords(
  stride: IntervalValue,
  words: Int32Array,
  row: number,
  approx: number,
  origin: number,
  perSecond: number,
): number | null {
  if (stride !== wordsStride || origin !== wordsOrigin || perSecond !== wordsPerSecond) {
    wordsStrideTicks =
      (Number(BigInt(stride.days) * 86_400_000_000_000n + stride.nanos) * perSecond) / NANOS_PER_SECOND;
    wordsLimit =
      Number.isInteger(wordsStrideTicks) && Number.isInteger(origin) ? exactMultipleLimit(wordsStrideTicks, origin) : 0;
    wordsStride = stride;
    wordsOrigin = origin;
    wordsPerSecond = perSecond;
  }
  if (wordsLimit === 0 || wordsStrideTicks < 1) return null;
  return floorToStride(words, row, approx, wordsStrideTicks, wordsLimit);
}

let wordsStride: IntervalValue | null = null;
let wordsOrigin = 0;
let wordsPerSecond = 0;
let wordsStrideTicks = 1;
let wordsLimit = 0;

let lastStride: IntervalValue | null = null;
let lastOrigin = 0;
let lastPerSecond = 0;
let lastStrideTicks = 1n;
let lastStart = 0n;

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
