/**
 * The memcomparable encoding of primary keys: a tag tuple becomes one JS string whose plain
 * `<` / `===` order is primary-key order, so a series is compared across runs with one native
 * string comparison instead of a per-column, per-type comparator.
 *
 * Each string holds one char per byte (char codes 0..255), so JS's UTF-16 code-unit comparison
 * is exactly a byte comparison. Per tag, in primary-key order:
 *
 *   null             0x00
 *   non-null         0x01, then the value:
 *     string, binary the bytes (UTF-8 for strings) with each 0x00 written as 0x00 0xFF,
 *                    then 0x00 0x00 — so "a" < "a\0" < "ab" and a value never runs into the next tag
 *     signed int     big-endian two's complement with the sign bit flipped (int8..int64,
 *                    date, timestamp, decimal128)
 *     unsigned int   big-endian
 *     float          big-endian IEEE bits; negatives have every bit inverted, others the sign bit
 *                    flipped (so -inf < -1 < -0 < 0 < 1 < inf < NaN)
 *     boolean        0x00 false, 0x01 true
 *
 * Consequences that every reader and writer of sorted runs relies on: nulls sort first; strings
 * sort by UTF-8 bytes, which is the same as Unicode code point order (not JS's UTF-16 order:
 * "\u{10000}" sorts after "\uFFFF" here); two keys are equal exactly when every tag is equal.
 *
 * Fixed-width values are read as their little-endian in-memory bytes (Arrow's layout on every
 * platform Node runs on).
 */

import type { ColumnType } from '../region-schema.ts';

/** How a tag type's bytes turn into a key piece. */
export type KeyKind = 'bool' | 'signed' | 'unsigned' | 'float' | 'bytes';

/** The piece every null tag value encodes to. */
export const nullKeyPiece = '\u0000';

/** The key kind of a tag type. */
export function keyKindOf(type: ColumnType): KeyKind {
  switch (type.kind) {
    case 'boolean':
      return 'bool';
    case 'string':
    case 'binary':
      return 'bytes';
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return 'unsigned';
    case 'float32':
    case 'float64':
      return 'float';
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'date':
    case 'timestamp':
    case 'decimal128':
      return 'signed';
  }
}

/** `bytes[start, end)` as a string of one char per byte. */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  // Chunks keep the argument count bounded.
  for (let at = start; at < end; at += 4096)
    out += String.fromCharCode(...bytes.subarray(at, Math.min(end, at + 4096)));
  return out;
}

const scratch: number[] = [];

/**
 * The key piece of one non-null value. For `bytes` the value is `bytes[start, end)`; for the
 * fixed-width kinds it is the little-endian bytes of one value (`end - start` is its width); for
 * `bool`, `bytes[start]` is 0 or 1.
 */
export function encodeKeyPiece(kind: KeyKind, bytes: Uint8Array, start: number, end: number): string {
  if (kind === 'bytes') {
    let out = '\u0001';
    let runStart = start;
    for (let i = start; i < end; i++) {
      if (bytes[i] === 0) {
        out += latin1(bytes, runStart, i) + '\u0000\u00ff';
        runStart = i + 1;
      }
    }
    return out + latin1(bytes, runStart, end) + '\u0000\u0000';
  }
  if (kind === 'bool') return bytes[start] ? '\u0001\u0001' : '\u0001\u0000';
  const width = end - start;
  scratch.length = width + 1;
  scratch[0] = 1;
  // Big-endian: the most significant byte (the last in memory) first.
  for (let i = 0; i < width; i++) scratch[i + 1] = bytes[end - 1 - i]!;
  if (kind === 'signed') {
    scratch[1] = scratch[1]! ^ 0x80;
  } else if (kind === 'float') {
    if (scratch[1]! & 0x80) {
      for (let i = 1; i <= width; i++) scratch[i] = scratch[i]! ^ 0xff;
    } else {
      scratch[1] = scratch[1]! ^ 0x80;
    }
  }
  return String.fromCharCode(...scratch);
}
