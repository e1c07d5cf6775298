/**
 * Typing and evaluation of the operators whose operands are boxed values (column.ts):
 * decimal arithmetic (exact, on scaled bigints), interval arithmetic, and timestamps or dates
 * moved by an interval. `binaryType` (expr-type.ts) and `compileBinary` (evaluate.ts) ask
 * here first and fall back to plain numbers when the answer is null.
 */
import type { Column } from './column.ts';
import { bigintAt, nullColumn } from './column.ts';
import type { SqlType } from './data-type.ts';
import { decimalParams, isDecimal, isTimestamp, timestampTicksPerSecond } from './data-type.ts';
import { decimalArithmeticType, rescale } from './decimal.ts';
import { executionError } from './errors.ts';
import { mergeValidity } from './functions/helpers.ts';
import type { IntervalValue } from './interval.ts';
import {
  addIntervalToDays,
  addIntervalToExactTicks,
  addIntervalToTicks,
  addIntervals,
  compareIntervals,
} from './interval.ts';
import { isWide, packExact } from './exact-integers.ts';

const INTERVAL: SqlType = 'Interval(MonthDayNano)';

/**
 * The result type of `left op right` when an operand is a decimal or an interval (null when
 * neither is, so the caller's numeric rules apply); throws nothing, a null return with such
 * operands is left to the caller's error.
 */
export function boxedBinaryType(op: string, left: SqlType, right: SqlType): SqlType | null {
  if (isDecimal(left) || isDecimal(right)) {
    const other = isDecimal(left) ? right : left;
    if (other === 'Float32' || other === 'Float64') return 'Float64';
    if (other === 'Null') return isDecimal(left) ? left : right;
    return decimalArithmeticType(op, left, right);
  }
  if (left !== INTERVAL && right !== INTERVAL) return null;
  if (op !== '+' && op !== '-') return null;
  if (left === INTERVAL && (right === INTERVAL || right === 'Null')) return INTERVAL;
  if (right === INTERVAL && left === 'Null') return INTERVAL;
  if (right === INTERVAL && (isTimestamp(left) || left === 'Date')) return left;
  if (op === '+' && left === INTERVAL && (isTimestamp(right) || right === 'Date')) return right;
  return null;
}

/** Evaluates `a op b` into `type` for operands `boxedBinaryType` typed; the caller cast nothing. */
export function evaluateBoxedBinary(op: string, a: Column, b: Column, type: SqlType, length: number): Column {
  if (a.type === 'Null' || b.type === 'Null') return nullColumn(type, length);
  const valid = mergeValidity([a, b], length);
  if (type === 'Float64') return floatArithmetic(op, toFloat(a), toFloat(b), valid, length);
  if (isDecimal(type)) return decimalArithmetic(op, a, b, type, valid, length);
  if (type === INTERVAL) {
    const x = a.values as IntervalValue[];
    const y = b.values as IntervalValue[];
    const sign = op === '-' ? -1 : 1;
    const out = new Array<IntervalValue>(length);
    for (let i = 0; i < length; i++) out[i] = addIntervals(x[i], y[i], sign);
    return { type, length, values: out, valid };
  }
  // A timestamp or date moved by an interval (either side for +).
  const [point, interval] = a.type === INTERVAL ? [b, a] : [a, b];
  const sign = op === '-' ? -1 : 1;
  const ticks = point.values as Float64Array;
  const intervals = interval.values as IntervalValue[];
  const out = new Float64Array(length);
  if (type === 'Date') {
    for (let i = 0; i < length; i++) out[i] = addIntervalToDays(ticks[i], intervals[i], sign);
  } else {
    const perSecond = timestampTicksPerSecond(type);
    let rows: (number | bigint)[] | null = null;
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      out[i] = addIntervalToTicks(ticks[i], perSecond, intervals[i], sign);
      if (isWide(out[i]) || isWide(ticks[i])) {
        // Past 2^53 ticks (nanoseconds): again exactly, from the exact ticks.
        rows ??= Array.from(out);
        rows[i] = addIntervalToExactTicks(bigintAt(point, i), perSecond, intervals[i], sign);
      } else if (rows !== null) rows[i] = out[i];
    }
    if (rows !== null) {
      const packed = packExact(rows, false);
      return { type, length, values: packed.values, valid, exact: packed.exact };
    }
  }
  return { type, length, values: out, valid };
}

function toFloat(column: Column): Float64Array {
  if (!isDecimal(column.type)) return column.values as Float64Array;
  const { scale } = decimalParams(column.type);
  const source = column.values as bigint[];
  const out = new Float64Array(column.length);
  const divisor = 10 ** scale;
  for (let i = 0; i < out.length; i++) out[i] = Number(source[i]) / divisor;
  return out;
}

function floatArithmetic(op: string, x: Float64Array, y: Float64Array, valid: Uint8Array | null, length: number) {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    if (op === '+') out[i] = x[i] + y[i];
    else if (op === '-') out[i] = x[i] - y[i];
    else if (op === '*') out[i] = x[i] * y[i];
    else if (op === '/') out[i] = x[i] / y[i];
    else out[i] = x[i] % y[i];
  }
  return { type: 'Float64' as SqlType, length, values: out, valid };
}

/** Scaled bigints of a decimal or integer column, and their scale. */
function scaledValues(column: Column): { values: bigint[]; scale: number } {
  if (isDecimal(column.type)) return { values: column.values as bigint[], scale: decimalParams(column.type).scale };
  const source = column.values as Float64Array;
  const values = new Array<bigint>(column.length);
  for (let i = 0; i < values.length; i++) values[i] = Number.isFinite(source[i]) ? BigInt(Math.trunc(source[i])) : 0n;
  return { values, scale: 0 };
}

function decimalArithmetic(
  op: string,
  a: Column,
  b: Column,
  type: SqlType,
  valid: Uint8Array | null,
  length: number,
): Column {
  const { scale } = decimalParams(type as `Decimal128(${number}, ${number})`);
  const left = scaledValues(a);
  const right = scaledValues(b);
  const out = new Array<bigint>(length).fill(0n);
  const live = (i: number): boolean => valid === null || valid[i] === 1;
  switch (op) {
    case '+':
    case '-':
    case '%':
      for (let i = 0; i < length; i++) {
        const x = rescale(left.values[i], left.scale, scale);
        const y = rescale(right.values[i], right.scale, scale);
        if (op === '%') {
          if (y === 0n) {
            if (live(i)) throw executionError('Arrow error: Divide by zero error');
            continue;
          }
          out[i] = x % y;
        } else out[i] = op === '+' ? x + y : x - y;
      }
      break;
    case '*':
      for (let i = 0; i < length; i++) out[i] = left.values[i] * right.values[i];
      break;
    case '/': {
      // arrow-rs: (l * 10^(s + s2 - s1)) / r, truncated.
      const shift = scale + right.scale - left.scale;
      for (let i = 0; i < length; i++) {
        const y = right.values[i];
        if (y === 0n) {
          if (live(i)) throw executionError('Arrow error: Divide by zero error');
          continue;
        }
        out[i] = rescale(left.values[i], 0, shift) / y;
      }
      break;
    }
    default:
      throw executionError(`Unsupported binary operator ${op} for ${type}`);
  }
  return { type, length, values: out, valid };
}

/** -x for a decimal or interval column. */
export function negateBoxed(column: Column): Column {
  const source = column.values as unknown[];
  const out = new Array<unknown>(column.length);
  for (let i = 0; i < out.length; i++) {
    const value = source[i];
    out[i] =
      typeof value === 'bigint'
        ? -value
        : {
            months: -(value as IntervalValue).months,
            days: -(value as IntervalValue).days,
            nanos: -(value as IntervalValue).nanos,
          };
  }
  return { ...column, values: out as Column['values'] };
}

/** Three-way comparison of two boxed values of one type (bigints, intervals, byte arrays). */
export function compareBoxed(a: unknown, b: unknown): number {
  if (typeof a === 'bigint') return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0;
  if (a instanceof Uint8Array) {
    const y = b as Uint8Array;
    const n = Math.min(a.length, y.length);
    for (let i = 0; i < n; i++) if (a[i] !== y[i]) return a[i] < y[i] ? -1 : 1;
    return a.length - y.length;
  }
  return compareIntervals(a as IntervalValue, b as IntervalValue);
}
