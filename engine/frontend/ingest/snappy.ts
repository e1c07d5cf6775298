/**
 * Snappy block format (Prometheus remote write and read bodies) through `snappyjs`, a pure-JS
 * codec; loaded with `require` because the package ships no types. Corrupt input and bodies
 * that would expand past the limit become InvalidArguments.
 */
import { createRequire } from 'node:module';
import { ErrorCode, TesseraError } from '../../common/index.ts';

interface SnappyCodec {
  uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  compress(uncompressed: Uint8Array): Uint8Array;
}

const snappy = createRequire(import.meta.url)('snappyjs') as SnappyCodec;

/** Decompresses a snappy block of at most `maxBytes` uncompressed bytes. */
export function snappyDecompress(compressed: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return snappy.uncompress(compressed, maxBytes);
  } catch (error) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Failed to decompress the snappy body: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function snappyCompress(bytes: Uint8Array): Uint8Array {
  return snappy.compress(bytes);
}
