/**
 * Exact 64-bit integers beside the Float64 view of a column (see column.ts, README "Exact 64-bit
 * values"). Int64, UInt64 and timestamps compute on a `Float64Array`, which is exact below 2^53;
 * a column whose values reach past that (BIGINT extremes, every nanosecond timestamp of this
 * century) also carries `exact`, a `BigInt64Array` / `BigUint64Array` of the true values.
 * Operators that only move, compare or group values read the floats and consult `exact` only
 * where two floats tie beyond 2^53, so the common path stays a Float64 loop; operators that
 * make new values (arithmetic, casts, date_trunc) compute exact rows with BigInt where needed.
 */
import type { SqlType } from './data-type.ts';

/** The exact words of a column: signed for Int64 and timestamps, unsigned for UInt64. */
export type ExactValues = BigInt64Array | BigUint64Array;

/** Floats below this magnitude are exact integers; at or past it a float may stand for several. */
export const SAFE_LIMIT = 2 ** 53;

const TWO_32 = 4294967296;

/** Whether the type's values are 64-bit integers that may carry `exact` (Int64, UInt64, timestamps). */
export function hasExactStorage(type: SqlType): boolean {
  return type === 'Int64' || type === 'UInt64' || type.startsWith('Timestamp');
}

/** Whether a float is at or past 2^53 (or not finite), where it may not be the exact value. */
export function isWide(value: number): boolean {
  return !(value < SAFE_LIMIT && value > -SAFE_LIMIT);
}

/**
 * Fills `out` with the nearest floats of 64-bit words, read through 32-bit views (no BigInt per
 * row), and says whether any value is wide (so the words must be kept).
 */
export function floatsOfWords(source: ExactValues, length: number, out: Float64Array): boolean {
  const words = new Int32Array(source.buffer, source.byteOffset, length * 2);
  let wide = false;
  if (source instanceof BigUint64Array) {
    for (let i = 0; i < length; i++) {
      const high = words[2 * i + 1] >>> 0;
      out[i] = high * TWO_32 + (words[2 * i] >>> 0);
      if (high >= 0x200000) wide = true;
    }
  } else {
    for (let i = 0; i < length; i++) {
      const high = words[2 * i + 1];
      out[i] = high * TWO_32 + (words[2 * i] >>> 0);
      if (high >= 0x200000 || high < -0x200000) wide = true;
    }
  }
  return wide;
}

/**
 * 64-bit words of float integers without a BigInt per row: each value split into its two's
 * complement 32-bit words. Exact below 2^53 (the floats' own precision past it); non-finite
 * values become 0.
 */
export function wordsOfFloats(source: Float64Array, length: number, unsigned: boolean): ExactValues {
  const out = unsigned ? new BigUint64Array(length) : new BigInt64Array(length);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < length; i++) {
    const value = source[i];
    if (!Number.isFinite(value)) continue;
    const integer = Math.trunc(unsigned ? Math.max(0, value) : value);
    const high = Math.floor(integer / TWO_32);
    words[2 * i] = integer - high * TWO_32;
    words[2 * i + 1] = high >>> 0;
  }
  return out;
}

/** The exact words of rows `indices` (-1: zero), copied as 32-bit pairs. */
export function takeWords(source: ExactValues, indices: Uint32Array | Int32Array): ExactValues {
  const length = indices.length;
  const out = source instanceof BigUint64Array ? new BigUint64Array(length) : new BigInt64Array(length);
  const from = new Int32Array(source.buffer, source.byteOffset, source.length * 2);
  const to = new Int32Array(out.buffer);
  for (let i = 0; i < length; i++) {
    const index = indices[i];
    if (index < 0) continue;
    to[2 * i] = from[2 * index];
    to[2 * i + 1] = from[2 * index + 1];
  }
  return out;
}

/** A float integer as a bigint (0 for non-finite values, fractions truncated). */
export function bigintOfFloat(value: number): bigint {
  return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
}

/** A row of a 64-bit column as a JS value: the float while exact, else the bigint. */
export function exactRowValue(
  values: Float64Array,
  exact: ExactValues | null | undefined,
  row: number,
): number | bigint {
  const value = values[row];
  if (exact === null || exact === undefined || !isWide(value)) return value;
  return exact[row];
}

/** The inclusive range of a 64-bit integer type, for wrapping and range checks. */
export function int64Range(type: SqlType): [bigint, bigint] {
  return type === 'UInt64' ? [0n, 2n ** 64n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
}

/** A bigint wrapped into the type's 64 bits, as Arrow's wrapping kernels do. */
export function wrapInt64(value: bigint, type: SqlType): bigint {
  return type === 'UInt64' ? BigInt.asUintN(64, value) : BigInt.asIntN(64, value);
}

/**
 * A column's float values and exact words from per-row results that may be bigints: the words
 * are kept only when some value is not exactly its float.
 */
export function packExact(
  results: (number | bigint)[] | Float64Array,
  unsigned: boolean,
): { values: Float64Array; exact: ExactValues | null } {
  const length = results.length;
  const values = new Float64Array(length);
  let wide = false;
  for (let i = 0; i < length; i++) {
    const value = results[i];
    if (typeof value === 'bigint') {
      const float = Number(value);
      values[i] = float;
      // A wide value the float holds exactly (a whole second of nanoseconds) needs no words.
      if (!wide && isWide(float) && BigInt(float) !== value) wide = true;
    } else values[i] = value;
  }
  if (!wide) return { values, exact: null };
  const exact = unsigned ? new BigUint64Array(length) : new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    const value = results[i];
    exact[i] = typeof value === 'bigint' ? value : bigintOfFloat(value);
  }
  return { values, exact };
}

/**
 * The magnitude below which every multiple of `stride` offset by `origin` (both integers) is a
 * float exactly: 2^(52 + the power of two dividing both, up to 2^11). Whole seconds of
 * nanoseconds (multiples of 2^9) are exact floats below 2^61 ns (2043), whole minutes (2^11)
 * below 2^63 (every nanosecond timestamp).
 */
export function exactMultipleLimit(stride: number, origin: number): number {
  let bits = 0;
  while (bits < 11 && stride % 2 ** (bits + 1) === 0 && origin % 2 ** (bits + 1) === 0) bits++;
  return 2 ** (52 + bits);
}

/**
 * `origin + floor((ticks - origin) / stride) * stride` for row `row` of 64-bit words, exactly and
 * without BigInt: `approx` (the same computed on the row's float) is corrected by whole strides
 * until the exact remainder, taken from the words, lies in [0, stride). Null when the result
 * is past `limit` (exactMultipleLimit), where it may not be a float; the caller then uses BigInt.
 */
export function floorToStride(
  words: Int32Array,
  row: number,
  approx: number,
  stride: number,
  limit: number,
): number | null {
  let result = approx;
  if (!(result < limit && result > -limit)) return null;
  const high = Math.floor(result / TWO_32);
  // The exact ticks minus the candidate: small, so exact as a float.
  let remainder = (words[2 * row + 1] - high) * TWO_32 + ((words[2 * row] >>> 0) - (result - high * TWO_32));
  while (remainder < 0) {
    result -= stride;
    remainder += stride;
  }
  while (remainder >= stride) {
    result += stride;
    remainder -= stride;
  }
  return result < limit && result > -limit ? result : null;
}
