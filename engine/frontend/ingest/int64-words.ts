/**
 * Exact 64-bit integers without a BigInt per value: a column of int64 / uint64 / timestamps
 * is an `Int32Array` of little-endian word pairs (`[lo, hi]` per row) whose buffer becomes a
 * `BigInt64Array` (or `BigUint64Array`) when the Arrow batch is built. Decimal text is split
 * into `high * 1e9 + low` (both exact doubles) and recombined here with 16-bit limbs, so the
 * 19-digit nanosecond timestamps of line protocol stay exact at number speed.
 */

const twoTo32 = 4294967296;
const int64MaxHigh = 9223372036; // 9223372036854775807 = high * 1e9 + low
const int64MaxLow = 854775807;
const uint64MaxHigh = 18446744073; // 18446744073709551615
const uint64MaxLow = 709551615;

/** Writes `value` (an integer with |value| < 2^53) as word pair `index`. */
export function setWordsFromNumber(words: Int32Array, index: number, value: number): void {
  const hi = Math.floor(value / twoTo32);
  words[2 * index] = (value - hi * twoTo32) | 0;
  words[2 * index + 1] = hi | 0;
}

/**
 * Writes `±(high * 1e9 + low)` (high ≥ 0 and 0 ≤ low < 1e9, both integers) as word pair
 * `index`; false when the value does not fit (int64, or uint64 when `unsigned`).
 */
export function setWordsFromParts(
  words: Int32Array,
  index: number,
  high: number,
  low: number,
  negative: boolean,
  unsigned: boolean,
): boolean {
  if (unsigned) {
    if (negative && (high > 0 || low > 0)) return false;
    if (high > uint64MaxHigh || (high === uint64MaxHigh && low > uint64MaxLow)) return false;
  } else if (high > int64MaxHigh || (high === int64MaxHigh && low > int64MaxLow + (negative ? 1 : 0))) {
    return false;
  }
  const highHigh = Math.floor(high / 65536);
  const x = highHigh * 1e9; // < 2^49
  const y = (high - highHigh * 65536) * 1e9 + low; // < 2^47
  const xHigh = Math.floor(x / 65536);
  const t = (x - xHigh * 65536) * 65536 + y; // < 2^48
  const carry = Math.floor(t / twoTo32);
  let lo = t - carry * twoTo32;
  let hi = xHigh + carry;
  if (negative && (lo !== 0 || hi !== 0)) {
    // Two's complement of the magnitude.
    if (lo === 0) hi = twoTo32 - hi;
    else {
      lo = twoTo32 - lo;
      hi = twoTo32 - 1 - hi;
    }
  }
  words[2 * index] = lo | 0;
  words[2 * index + 1] = hi | 0;
  return true;
}

/** Writes a bigint (already range-checked) as word pair `index`. */
export function setWordsFromBigInt(words: Int32Array, index: number, value: bigint): void {
  const unsigned = BigInt.asUintN(64, value);
  words[2 * index] = Number(unsigned & 0xffffffffn) | 0;
  words[2 * index + 1] = Number(unsigned >> 32n) | 0;
}

/** Word pair `index` as a signed bigint (for the rare paths: unit conversion, tests). */
export function bigIntOfWords(words: Int32Array, index: number): bigint {
  return (BigInt(words[2 * index + 1]!) << 32n) | BigInt(words[2 * index]! >>> 0);
}
