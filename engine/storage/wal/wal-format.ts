/**
 * The WAL's bytes on disk. A WAL is a directory of segment files, each named by the id of
 * its first entry (`00000000000000000001.wal`, 20 digits so names sort like ids) and
 * holding a 32-byte header followed by entries. Entries are appended in write batches
 * (one group commit = one `write` + one fdatasync); every entry carries its batch number
 * and the number of the last batch known synced when it was written, which is what lets
 * a reader tell a torn tail from damage (see `segment-scan.ts`).
 *
 * Segment header (32 bytes, little-endian). Written to a temporary file and synced before
 * the file takes its name, so a named segment always has a whole header:
 *
 *     0   8  magic "TSWAL001"
 *     8   8  first entry id (u64): the id of the first entry, equal to the file name
 *    16   6  first batch (u48): the batch number of the first batch written here
 *    22   2  zero
 *    24   4  CRC32 of bytes 0..24
 *    28   4  zero
 *
 * Entry (40 bytes + payload):
 *
 *     0   4  body length n (u32) = 32 + payload length
 *     4   4  CRC32 of the body (bytes 8 .. 8+n)
 *     8   n  body:
 *              0  1  flags: bit 0 set on the last entry of its batch; other bits zero
 *              1  1  zero
 *              2  6  batch number (u48); batches increase along a segment and across segments
 *              8  6  synced batch (u48): every batch up to this one was fsynced before this
 *                    entry's batch was written (batch - 1 when syncing every batch)
 *             14  2  zero
 *             16  8  region id (u64)
 *             24  8  entry id (u64): strictly increasing along the WAL, usually by one
 *             32  …  payload, opaque
 *
 * A segment may end in zeros: space preallocated for later batches (a zero length is
 * never a valid entry). Ids are JavaScript numbers, so u64 fields hold safe integers
 * (below 2**53); anything larger fails validation.
 */

import { crc32 } from 'node:zlib';
import { ErrorCode, TesseraError } from '../../common/index.ts';

export const segmentHeaderBytes = 32;
/** The length and checksum in front of every entry body. */
export const entryFrameBytes = 8;
/** The fixed fields at the start of every entry body. */
export const entryHeaderBytes = 32;
/** Bytes an entry adds around its payload. */
export const entryOverheadBytes = entryFrameBytes + entryHeaderBytes;
/** The largest payload one entry may carry (the length field is u32; Node buffers stay far below). */
export const maxPayloadBytes = 512 * 1024 * 1024;

/** Set in an entry's flags byte when it is the last entry of its write batch. */
export const lastInBatchFlag = 1;
export const segmentSuffix = '.wal';

const magic = Buffer.from('TSWAL001', 'latin1');
const twoTo32 = 2 ** 32;
/** The largest high word of a u64 that still makes a safe integer. */
const maxSafeHigh = 2 ** 21 - 1;

/** What a segment header says; see the layout above. */
export interface SegmentHeader {
  firstEntryId: number;
  firstBatch: number;
}

/** The file name of the segment whose first entry is `firstEntryId`. */
export function segmentFileName(firstEntryId: number): string {
  return String(firstEntryId).padStart(20, '0') + segmentSuffix;
}

/** The first entry id a segment file name stands for, or undefined when the name is not a segment's. */
export function parseSegmentFileName(name: string): number | undefined {
  if (!/^\d{20}\.wal$/.test(name)) return undefined;
  const id = Number(name.slice(0, 20));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Encodes the 32-byte segment header. */
export function encodeSegmentHeader(header: SegmentHeader): Buffer {
  const bytes = Buffer.alloc(segmentHeaderBytes);
  magic.copy(bytes, 0);
  writeU64(bytes, 8, header.firstEntryId);
  writeU48(bytes, 16, header.firstBatch);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 24)), 24);
  return bytes;
}

/** Decodes a segment header; a bad one is corruption, since headers are synced before a file is named. */
export function decodeSegmentHeader(bytes: Uint8Array, file: string): SegmentHeader {
  const buffer = asBuffer(bytes);
  if (buffer.length < segmentHeaderBytes || !buffer.subarray(0, 8).equals(magic)) {
    throw walCorrupted(`WAL segment ${file} has no TSWAL001 header at offset 0 (${buffer.length} bytes)`);
  }
  if (buffer.readUInt32LE(24) !== crc32(buffer.subarray(0, 24))) {
    throw walCorrupted(`WAL segment ${file} has a header checksum mismatch at offset 24`);
  }
  const firstEntryId = readU64(buffer, 8);
  if (firstEntryId < 1) throw walCorrupted(`WAL segment ${file} has an impossible first entry id at offset 8`);
  return { firstEntryId, firstBatch: readU48(buffer, 16) };
}

/**
 * Writes an entry's length and fixed fields (flags cleared, checksum not set) at
 * `bytes[at]`; the payload goes at `at + entryOverheadBytes`.
 */
export function writeEntryHeader(
  bytes: Uint8Array,
  at: number,
  payloadBytes: number,
  batch: number,
  syncedBatch: number,
  regionId: number,
  entryId: number,
): void {
  writeU32(bytes, at, entryHeaderBytes + payloadBytes);
  const body = at + entryFrameBytes;
  bytes[body] = 0;
  bytes[body + 1] = 0;
  writeU48(bytes, body + 2, batch);
  writeU48(bytes, body + 8, syncedBatch);
  bytes[body + 14] = 0;
  bytes[body + 15] = 0;
  writeU64(bytes, body + 16, regionId);
  writeU64(bytes, body + 24, entryId);
}

/**
 * CRC32 of the body of the entry at `bytes[at]` that ends at `end`. One checksum call over
 * a plain view: measured faster than checksumming the fixed fields from a scratch buffer
 * and continuing over the payload (two native calls, ~100 ns more per entry), and the
 * view dies young.
 */
export function entryChecksum(bytes: Uint8Array, at: number, end: number): number {
  return crc32(view(bytes, at + entryFrameBytes, end));
}

/** A plain view of `bytes[start, end)`: cheaper to make than a Buffer `subarray`. */
export function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

/** Sets the flags byte of the entry at `at` and (re)computes its checksum. */
export function sealEntry(bytes: Buffer, at: number, flags: number): void {
  bytes[at + entryFrameBytes] = flags;
  const end = at + entryFrameBytes + bytes.readUInt32LE(at);
  bytes.writeUInt32LE(entryChecksum(bytes, at, end), at + 4);
}

/** Why `checkEntry` rejected an entry; negative so a valid end offset can share the return value. */
export const entryCutShort = -1;
export const entryMalformed = -2;
export const entryChecksumMismatch = -3;

/**
 * Checks the entry at `at` in `bytes[0, end)`: framing, the fixed fields that must be zero,
 * safe-integer ids, and (when `verify`) the checksum. Returns the entry's end offset, or
 * one of the negative `entry…` codes.
 */
export function checkEntry(bytes: Buffer, at: number, end: number, verify: boolean): number {
  if (at + entryOverheadBytes > end) return entryCutShort;
  const bodyLength = bytes.readUInt32LE(at);
  const body = at + entryFrameBytes;
  if (bodyLength < entryHeaderBytes) return entryMalformed;
  const entryEnd = body + bodyLength;
  if (entryEnd > end) return entryCutShort;
  if ((bytes[body] & ~lastInBatchFlag) !== 0 || bytes[body + 1] !== 0 || bytes[body + 14] !== 0) {
    return entryMalformed;
  }
  if (bytes[body + 15] !== 0) return entryMalformed;
  // The high words of the ids: above 2**21 - 1 the id is not a safe integer.
  if (bytes.readUInt32LE(body + 20) > maxSafeHigh || bytes.readUInt32LE(body + 28) > maxSafeHigh) {
    return entryMalformed;
  }
  if (verify && bytes.readUInt32LE(at + 4) !== entryChecksum(bytes, at, entryEnd)) return entryChecksumMismatch;
  return entryEnd;
}

/** Words for a negative `checkEntry` result, for error messages. */
export function describeEntryProblem(code: number, bytes: Buffer, at: number, end: number): string {
  if (code === entryChecksumMismatch) return 'checksum mismatch';
  if (code === entryMalformed) return 'malformed entry header';
  if (at + entryOverheadBytes > end) return `only ${end - at} bytes left, less than an entry header`;
  return `length ${bytes.readUInt32LE(at)} runs past the end of the data at offset ${end}`;
}

/** The fields of an entry that `checkEntry` accepted. */
export function entryFlags(bytes: Buffer, at: number): number {
  return bytes[at + entryFrameBytes];
}
export function entryBatch(bytes: Buffer, at: number): number {
  return readU48(bytes, at + entryFrameBytes + 2);
}
export function entrySyncedBatch(bytes: Buffer, at: number): number {
  return readU48(bytes, at + entryFrameBytes + 8);
}
export function entryRegionId(bytes: Buffer, at: number): number {
  return readU64(bytes, at + entryFrameBytes + 16);
}
export function entryId(bytes: Buffer, at: number): number {
  return readU64(bytes, at + entryFrameBytes + 24);
}
/** Where the entry's payload starts; it ends where the entry ends. */
export function entryPayloadStart(at: number): number {
  return at + entryOverheadBytes;
}

/** A StorageCorrupted error; messages name the segment file and the offset. */
export function walCorrupted(message: string): TesseraError {
  return new TesseraError(ErrorCode.StorageCorrupted, message);
}

/** Little-endian stores by hand: they take any Uint8Array and skip Buffer's range checks on the hot path. */
export function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value;
  bytes[at + 1] = value >>> 8;
  bytes[at + 2] = value >>> 16;
  bytes[at + 3] = value >>> 24;
}

function writeU48(bytes: Uint8Array, at: number, value: number): void {
  const low = value >>> 0;
  writeU32(bytes, at, low);
  const high = (value - low) / twoTo32;
  bytes[at + 4] = high;
  bytes[at + 5] = high >>> 8;
}

function readU48(bytes: Buffer, at: number): number {
  return bytes.readUInt32LE(at) + bytes.readUInt16LE(at + 4) * twoTo32;
}

function writeU64(bytes: Uint8Array, at: number, value: number): void {
  const low = value >>> 0;
  writeU32(bytes, at, low);
  writeU32(bytes, at + 4, (value - low) / twoTo32);
}

function readU64(bytes: Buffer, at: number): number {
  return bytes.readUInt32LE(at) + bytes.readUInt32LE(at + 4) * twoTo32;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
