/**
 * The embedded store's file format: `kv.log`, a header and then an append-only run of
 * checksummed records, one per put or delete. Writes arrive in batches (one group
 * commit = one `write` + one fsync), and the batch number in each record is what lets a
 * reader tell a torn tail from corruption:
 *
 * - A crash can only tear the last batch: the next batch is written only after the
 *   previous one's fsync returned. So a bad record followed only by records of its own
 *   batch (or nothing) is a torn tail and is cut off.
 * - A bad record followed by a record of a later batch sat in a batch that had been
 *   fsynced, and acknowledged: that is corruption, and reading stops with an error.
 * - Bytes before the header's base length were fsynced before the file got its name
 *   (compaction writes whole files and renames them into place), so any bad record
 *   there is corruption too.
 *
 * Header (32 bytes, little-endian):
 *
 *     0   8  magic "TSKVLOG1"
 *     8   6  base length: bytes [0, base) were durable before the file took its name
 *    14   2  zero
 *    16   6  first batch: the batch number of the first write appended after base
 *    22   2  zero
 *    24   4  CRC32 of bytes 0..24
 *    28   4  zero
 *
 * Record:
 *
 *     0   4  payload length n (u32)
 *     4   4  CRC32 of the payload
 *     8   n  payload:
 *              0  1  op: 1 put, 2 delete
 *              1  1  flags: bit 0 set on the last record of its batch
 *              2  6  batch number (u48)
 *              8  4  key length k in bytes (u32)
 *             12  k  key, UTF-8
 *           12+k     value: the rest of the payload (puts only; deletes end at the key)
 */

import { crc32 } from 'node:zlib';
import { ErrorCode, TesseraError } from '../../common/index.ts';

export const logHeaderBytes = 32;
/** Bytes a record adds around its key and value: 8 framing + 12 payload fields. */
export const recordOverheadBytes = 20;

const magic = Buffer.from('TSKVLOG1', 'latin1');
const payloadFixedBytes = 12;
const lastInBatchFlag = 1;

export const opPut = 1;
export const opDelete = 2;
export type LogOp = typeof opPut | typeof opDelete;

/** What the header says; see the layout above. */
export interface LogHeader {
  baseLength: number;
  firstBatch: number;
}

/** One change to append: a put carries a value, a delete does not. */
export interface LogChange {
  key: string;
  value: Uint8Array | undefined;
}

/** Encodes the 32-byte header. */
export function encodeLogHeader(header: LogHeader): Buffer {
  const bytes = Buffer.alloc(logHeaderBytes);
  magic.copy(bytes, 0);
  bytes.writeUIntLE(header.baseLength, 8, 6);
  bytes.writeUIntLE(header.firstBatch, 16, 6);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 24)), 24);
  return bytes;
}

/** Decodes the header; a bad one is corruption, since headers are written before a file is named. */
export function decodeLogHeader(bytes: Buffer, file: string): LogHeader {
  if (bytes.length < logHeaderBytes || !bytes.subarray(0, 8).equals(magic)) {
    throw corrupted(`${file} is not a metadata log (no TSKVLOG1 header at offset 0)`);
  }
  if (bytes.readUInt32LE(24) !== crc32(bytes.subarray(0, 24))) {
    throw corrupted(`${file} has a header checksum mismatch at offset 24`);
  }
  const header = { baseLength: bytes.readUIntLE(8, 6), firstBatch: bytes.readUIntLE(16, 6) };
  if (header.baseLength < logHeaderBytes || header.baseLength > bytes.length) {
    throw corrupted(
      `${file} header says ${header.baseLength} bytes were written at compaction, but the file has ${bytes.length}`,
    );
  }
  return header;
}

/** The size of a change's record, for sizing buffers and estimating live data. */
export function recordBytes(keyBytes: number, valueBytes: number): number {
  return recordOverheadBytes + keyBytes + valueBytes;
}

/**
 * Encodes `changes` as one batch numbered `batch` into a single buffer (one `write`).
 * The last record carries the end-of-batch flag.
 */
export function encodeBatch(changes: readonly LogChange[], batch: number): Buffer {
  let size = 0;
  const keyBytes = new Array<number>(changes.length);
  for (let i = 0; i < changes.length; i++) {
    keyBytes[i] = Buffer.byteLength(changes[i].key, 'utf8');
    size += recordBytes(keyBytes[i], changes[i].value?.length ?? 0);
  }
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < changes.length; i++) {
    at = writeRecord(bytes, at, changes[i], keyBytes[i], batch, i === changes.length - 1);
  }
  return bytes;
}

function writeRecord(
  bytes: Buffer,
  at: number,
  change: LogChange,
  keyBytes: number,
  batch: number,
  last: boolean,
): number {
  const valueBytes = change.value?.length ?? 0;
  const payloadLength = payloadFixedBytes + keyBytes + valueBytes;
  const payload = at + 8;
  bytes[payload] = change.value === undefined ? opDelete : opPut;
  bytes[payload + 1] = last ? lastInBatchFlag : 0;
  bytes.writeUIntLE(batch, payload + 2, 6);
  bytes.writeUInt32LE(keyBytes, payload + 8);
  bytes.write(change.key, payload + 12, keyBytes, 'utf8');
  if (change.value !== undefined) bytes.set(change.value, payload + 12 + keyBytes);
  bytes.writeUInt32LE(payloadLength, at);
  bytes.writeUInt32LE(crc32(bytes.subarray(payload, payload + payloadLength)), at + 4);
  return payload + payloadLength;
}

/** A record that parsed and passed its checksum; offsets index the scanned buffer. */
interface RecordView {
  op: LogOp;
  batch: number;
  last: boolean;
  keyStart: number;
  keyEnd: number;
  /** The value's end; the value starts at `keyEnd`. */
  end: number;
}

/** Parses the record at `at`, or returns undefined when it is cut short or fails its checks. */
function readRecord(bytes: Buffer, at: number): RecordView | undefined {
  if (at + 8 > bytes.length) return undefined;
  const payloadLength = bytes.readUInt32LE(at);
  const payload = at + 8;
  const end = payload + payloadLength;
  if (payloadLength < payloadFixedBytes || end > bytes.length) return undefined;
  const op = bytes[payload];
  if (op !== opPut && op !== opDelete) return undefined;
  const keyLength = bytes.readUInt32LE(payload + 8);
  const keyEnd = payload + 12 + keyLength;
  if (keyEnd > end || (op === opDelete && keyEnd !== end)) return undefined;
  if (bytes.readUInt32LE(at + 4) !== crc32(bytes.subarray(payload, end))) return undefined;
  return {
    op,
    batch: bytes.readUIntLE(payload + 2, 6),
    last: (bytes[payload + 1] & lastInBatchFlag) !== 0,
    keyStart: payload + 12,
    keyEnd,
    end,
  };
}

/** What reading a whole log found. */
export interface LogScan {
  header: LogHeader;
  /** Where the last good record ends: the length the file should have. */
  end: number;
  /** The number the next batch must take. */
  nextBatch: number;
  /** Records read. */
  records: number;
}

/**
 * Reads every record of a log held in `bytes`, calling `apply` for each in order; the
 * value handed to `apply` is a view into `bytes` (copy it to keep it). A torn tail is left
 * out (`end` says where the good part stops); corruption throws `StorageCorrupted`
 * naming `file` and the offset.
 */
export function scanLog(
  bytes: Buffer,
  file: string,
  apply: (op: LogOp, key: string, value: Uint8Array) => void,
): LogScan {
  const header = decodeLogHeader(bytes, file);
  // The batch of the last good record at or after base, and whether it closed its batch.
  let lastBatch = header.firstBatch - 1;
  let lastClosed = true;
  let highestBatch = lastBatch;
  let records = 0;
  let at = logHeaderBytes;
  while (at < bytes.length) {
    const record = readRecord(bytes, at);
    if (record === undefined) {
      if (at < header.baseLength) {
        throw corrupted(`${file} has a bad record at offset ${at}, inside the part compaction wrote and synced`);
      }
      const damagedBatch = lastClosed ? lastBatch + 1 : lastBatch;
      const later = findLaterBatch(bytes, at + 1, damagedBatch);
      if (later !== undefined) {
        throw corrupted(
          `${file} has a bad record at offset ${at} followed by a good record of a later write at offset ${later}; ` +
            `the log is corrupted, not torn (${bytes.length} bytes)`,
        );
      }
      break;
    }
    apply(record.op, bytes.toString('utf8', record.keyStart, record.keyEnd), bytes.subarray(record.keyEnd, record.end));
    records++;
    if (at >= header.baseLength) {
      lastBatch = record.batch;
      lastClosed = record.last;
    }
    if (record.batch > highestBatch) highestBatch = record.batch;
    at = record.end;
  }
  return { header, end: at, nextBatch: Math.max(highestBatch + 1, header.firstBatch), records };
}

/**
 * Looks past a bad record for a good one from a batch after `damagedBatch`, trying
 * every offset (a bad record's length cannot be trusted). Returns its offset.
 */
function findLaterBatch(bytes: Buffer, from: number, damagedBatch: number): number | undefined {
  for (let at = from; at + 8 + payloadFixedBytes <= bytes.length; at++) {
    const payloadLength = bytes.readUInt32LE(at);
    // Cheap filter before the checksum: most offsets give an impossible length.
    if (payloadLength < payloadFixedBytes || at + 8 + payloadLength > bytes.length) continue;
    const record = readRecord(bytes, at);
    if (record === undefined) continue;
    if (record.batch > damagedBatch) return at;
    at = record.end - 1;
  }
  return undefined;
}

function corrupted(message: string): TesseraError {
  return new TesseraError(ErrorCode.StorageCorrupted, message);
}
