/**
 * Key rules both backends share. Keys are stored as UTF-8 (in the embedded log and in
 * etcd), so a key must be well-formed UTF-16: a lone surrogate has no UTF-8 form and
 * would come back as U+FFFD, a different key. The empty key is refused because etcd
 * refuses it.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws `InvalidArguments` naming the store when `key` cannot be stored. */
export function checkKey(key: string, storeName: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Metadata key must be a non-empty string (store ${storeName})`);
  }
  if (loneSurrogate.test(key)) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Metadata key ${JSON.stringify(key)} holds a lone surrogate and has no UTF-8 form (store ${storeName})`,
    );
  }
}

/** Like `checkKey`, but the empty prefix (every key) is allowed. */
export function checkPrefix(prefix: string, storeName: string): void {
  if (typeof prefix !== 'string') {
    throw new TesseraError(ErrorCode.InvalidArguments, `Metadata key prefix must be a string (store ${storeName})`);
  }
  if (prefix.length > 0) checkKey(prefix, storeName);
}

/** Throws `InvalidArguments` unless `value` is a `Uint8Array` (a `Buffer` is one). */
export function checkValue(value: Uint8Array, key: string, storeName: string): void {
  if (!(value instanceof Uint8Array)) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Value for metadata key ${JSON.stringify(key)} must be a Uint8Array (store ${storeName})`,
    );
  }
}

/** A range limit as a count (Infinity when absent); throws `InvalidArguments` unless it is a whole number >= 0. */
export function checkLimit(limit: number | undefined, storeName: string): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Range limit must be a whole number >= 0, got ${String(limit)} (store ${storeName})`,
    );
  }
  return limit;
}

/**
 * Orders keys by UTF-16 code unit, the order the `KvBackend` contract promises (and what
 * `<` on JS strings does). UTF-8 byte order, etcd's, differs only between a character in
 * U+E000..U+FFFF and one above U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Byte-for-byte equality of two values; `undefined` (absent) equals only itself. */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  return Buffer.compare(a, b) === 0;
}

/** A plain `Uint8Array` copy, so callers never share memory with the store (and a `Buffer` never leaks out). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}
