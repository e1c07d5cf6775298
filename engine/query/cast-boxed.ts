/**
 * CAST to and from the boxed types (decimals, intervals, binaries), with arrow-cast's results
 * and error texts: a decimal rounds half away from zero and must fit its precision, an integer
 * from a decimal must fit its type, a string to BYTEA is its UTF-8 bytes.
 */
import type { Column } from './column.ts';
import { bigintAt, emptyValues } from './column.ts';
import { hasExactStorage, packExact } from './exact-integers.ts';
import type { DecimalType, SqlType } from './data-type.ts';
import { decimalParams, isDecimal, isInteger, isTemporal } from './data-type.ts';
import {
  checkPrecision,
  decimalFromFloat,
  formatDecimal,
  parseDecimal,
  pow10,
  rescale,
  rustFloatDebug,
} from './decimal.ts';
import { executionError } from './errors.ts';
import { formatInterval, parseInterval } from './interval.ts';
import type { IntervalValue } from './interval.ts';

const INT_RANGES: Record<string, [bigint, bigint]> = {
  Int8: [-128n, 127n],
  Int16: [-32768n, 32767n],
  Int32: [-2147483648n, 2147483647n],
  Int64: [-(2n ** 63n), 2n ** 63n - 1n],
  UInt8: [0n, 255n],
  UInt16: [0n, 65535n],
  UInt32: [0n, 4294967295n],
  UInt64: [0n, 2n ** 64n - 1n],
};

const I128_MAX = 2n ** 127n - 1n;

/** The cast of `column` (a boxed type on either side) to `type`; `format` prints plain values as text. */
export function castBoxed(
  column: Column,
  type: SqlType,
  tryCast: boolean,
  format: (column: Column, i: number) => string,
): Column {
  const length = column.length;
  let valid = column.valid === null ? null : column.valid.slice();
  const live = (i: number): boolean => valid === null || valid[i] === 1;
  const fail = (i: number, error: Error): void => {
    if (!tryCast) throw error;
    valid ??= new Uint8Array(length).fill(1);
    valid[i] = 0;
  };
  const out = emptyValues(type, length);
  const values = out as unknown as Record<number, unknown>;
  if (isDecimal(type)) {
    const { precision, scale } = decimalParams(type);
    for (let i = 0; i < length; i++) {
      if (!live(i)) continue;
      try {
        values[i] = toDecimal(column, i, type, precision, scale);
      } catch (error) {
        fail(i, error as Error);
      }
    }
    return { type, length, values: out, valid };
  }
  if (column.type === 'Binary' && type === 'Utf8') {
    const decoder = new TextDecoder();
    const source = column.values as Uint8Array[];
    for (let i = 0; i < length; i++) values[i] = decoder.decode(source[i]);
    return { type, length, values: out, valid };
  }
  if (type === 'Utf8') {
    for (let i = 0; i < length; i++) if (live(i)) values[i] = format(column, i);
    return { type, length, values: out, valid };
  }
  if (type === 'Interval(MonthDayNano)') {
    if (column.type !== 'Utf8') throw castError(column.type, type);
    const texts = column.values as string[];
    for (let i = 0; i < length; i++) {
      if (!live(i)) continue;
      const parsed = parseInterval(texts[i]);
      if (parsed === null)
        fail(i, executionError(`Cast error: Cannot cast string '${texts[i]}' to value of ${type} type`));
      else values[i] = parsed;
    }
    return { type, length, values: out, valid };
  }
  if (type === 'Binary') {
    if (column.type !== 'Utf8') throw castError(column.type, type);
    const encoder = new TextEncoder();
    const texts = column.values as string[];
    for (let i = 0; i < length; i++) if (live(i)) values[i] = encoder.encode(texts[i]);
    return { type, length, values: out, valid };
  }
  if (isDecimal(column.type)) {
    const { scale } = decimalParams(column.type);
    const source = column.values as bigint[];
    if (type === 'Float64' || type === 'Float32') {
      const round = type === 'Float32' ? Math.fround : (value: number) => value;
      for (let i = 0; i < length; i++) values[i] = round(Number(formatDecimal(source[i], scale)));
      return { type, length, values: out, valid };
    }
    if (isInteger(type)) {
      const [min, max] = INT_RANGES[type];
      const wholes = new Array<number | bigint>(length).fill(0);
      for (let i = 0; i < length; i++) {
        if (!live(i)) continue;
        const whole = source[i] / pow10(scale);
        if (whole < min || whole > max) {
          fail(i, executionError(`Cast error: value of ${whole < 0n ? -whole : whole} is out of range ${type}`));
        } else wholes[i] = whole;
      }
      // Int64 / UInt64 past 2^53 keep their exact words (exact-integers.ts).
      const packed = packExact(wholes, type === 'UInt64');
      (out as Float64Array).set(packed.values);
      if (packed.exact !== null && hasExactStorage(type))
        return { type, length, values: out, valid, exact: packed.exact };
      return { type, length, values: out, valid };
    }
    if (type === 'Boolean') {
      for (let i = 0; i < length; i++) values[i] = source[i] !== 0n ? 1 : 0;
      return { type, length, values: out, valid };
    }
  }
  throw castError(column.type, type);
}

function castError(from: SqlType, to: SqlType): Error {
  return executionError(`Cast error: Casting from ${from} to ${to} not supported`);
}

function toDecimal(column: Column, i: number, type: DecimalType, precision: number, scale: number): bigint {
  const from = column.type;
  if (isDecimal(from)) {
    const value = rescale((column.values as bigint[])[i], decimalParams(from).scale, scale);
    return checkPrecision(value, precision, scale);
  }
  if (from === 'Utf8') {
    const text = (column.values as string[])[i];
    const parsed = parseDecimal(text, scale);
    if (parsed === null) throw executionError(`Cast error: Cannot cast string '${text}' to value of ${type} type`);
    return checkPrecision(parsed, precision, scale);
  }
  if (from === 'Boolean')
    return checkPrecision(BigInt((column.values as Uint8Array)[i]) * pow10(scale), precision, scale);
  const number = (column.values as Float64Array)[i];
  if (isInteger(from)) {
    const whole = bigintAt(column, i);
    const scaled = whole * pow10(scale);
    if (scaled > I128_MAX || scaled < -I128_MAX) {
      throw executionError(`Arithmetic overflow: Overflow happened on: ${whole} * ${pow10(scale)}`);
    }
    return checkPrecision(scaled, precision, scale);
  }
  if (isTemporal(from)) throw castError(from, type);
  // As arrow: the float times 10^scale, rounded; past 2^53 that product is an exact integer,
  // binary digits and all (1.4751947891758972e22 is 14751947891758971486208).
  const product = Math.round(number * 10 ** scale);
  if (!Number.isFinite(product) || Math.abs(product) >= 2 ** 127) {
    const text = rustFloatDebug(number, from === 'Float32');
    throw executionError(`Cast error: Cannot cast to ${type}. Overflowing on ${text}`);
  }
  if (Math.abs(product) >= 2 ** 53) return checkPrecision(BigInt(product), precision, scale);
  const scaled = decimalFromFloat(number, scale);
  if (scaled === null) throw executionError(`Cast error: Cannot cast to ${type}. Overflowing on ${number}`);
  return checkPrecision(scaled, precision, scale);
}

/** Display text of a boxed value (decimals with their scale, intervals as arrow prints them, bytes as hex). */
export function formatBoxed(type: SqlType, value: unknown): string {
  if (isDecimal(type)) return formatDecimal(value as bigint, decimalParams(type).scale);
  if (type === 'Interval(MonthDayNano)') return formatInterval(value as IntervalValue);
  return Buffer.from(value as Uint8Array).toString('hex');
}
