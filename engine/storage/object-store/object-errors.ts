/**
 * The errors every object store raises for the same situations, worded the same way, so a
 * caller (and an operator reading the message) cannot tell a local store from S3 by them.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';

/** `ObjectNotFound`: "Object regions/1/sst/a.parquet not found in s3://bucket/prefix". */
export function objectNotFound(path: string, storeName: string, cause?: unknown): TesseraError {
  return new TesseraError(ErrorCode.ObjectNotFound, `Object ${path} not found in ${storeName}`, { cause });
}

/** `ObjectRangeOutOfBounds`, naming the range asked for and the size the object has. */
export function rangeOutOfBounds(
  path: string,
  storeName: string,
  offset: number,
  length: number,
  size: number,
): TesseraError {
  return new TesseraError(
    ErrorCode.ObjectRangeOutOfBounds,
    `Range [${offset}, ${offset + length}) is past the end of object ${path} in ${storeName}, which has ${size} bytes`,
  );
}

/** Thrown by every method of a closed store. Using a closed store is a bug, so not retryable. */
export function storeClosed(storeName: string): TesseraError {
  return new TesseraError(ErrorCode.Unexpected, `Object store ${storeName} is closed`);
}

/** Throws `ObjectRangeOutOfBounds` unless `[offset, offset + length)` lies within `size` bytes. */
export function checkWithinSize(path: string, storeName: string, offset: number, length: number, size: number): void {
  if (offset + length > size) throw rangeOutOfBounds(path, storeName, offset, length, size);
}
