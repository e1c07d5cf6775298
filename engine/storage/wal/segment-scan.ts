/**
 * Reading a whole segment at open: every entry is checked, the regions it holds are
 * counted, and whatever follows the last whole write batch is classified as one of:
 *
 * - **clean end**: nothing, or only zeros (space preallocated for later batches);
 * - **torn tail**: only the final segment's last batch can be caught half-written, because
 *   the WAL writes a batch only after the previous one's fsync returned, and rolls to a
 *   new segment only after the old one is synced. So in the last segment, a bad entry (or
 *   a batch whose last-in-batch entry never arrived) is a torn tail unless a good entry
 *   *after* it says it was written once the damaged batch was synced (its synced-batch
 *   field is at least the damaged batch's number). The tail is cut at the end of the
 *   last whole batch, so a batch is kept whole or not at all (an `appendBatch` is atomic);
 * - **corruption**: anything else. A bad entry in an earlier segment, a bad entry followed
 *   by a good one from a batch written after it was synced, or a good-checksum entry that
 *   breaks the ordering rules. Reading stops with `StorageCorrupted` naming the segment file
 *   and the offset; nothing is skipped silently.
 *
 * A torn tail in a WAL opened with `sync: false` is more likely (several batches can be
 * unsynced at a crash); the synced-batch field is what stops those from looking like
 * corruption: batches written without an fsync in between do not vouch for each other.
 */

import {
  checkEntry,
  decodeSegmentHeader,
  describeEntryProblem,
  entryBatch,
  entryFlags,
  entryHeaderBytes,
  entryId,
  entryOverheadBytes,
  entryRegionId,
  entrySyncedBatch,
  lastInBatchFlag,
  segmentHeaderBytes,
  walCorrupted,
} from './wal-format.ts';
import type { SegmentHeader } from './wal-format.ts';

/** What is cut off the end of the last segment. */
export interface TornTail {
  /** Where the good data ends; the file is truncated here. */
  offset: number;
  /** Bytes after `offset`. */
  droppedBytes: number;
  /** Whole entries (of an unfinished batch) that are dropped with the tail. */
  droppedEntries: number;
  /** What was found, for the warning. */
  reason: string;
}

/** What `scanSegment` found. */
export interface SegmentScan {
  header: SegmentHeader;
  /** Where the last whole batch ends: the length of the good data, and where the next batch goes. */
  dataEnd: number;
  /** Entries kept (in whole batches). */
  entries: number;
  /** The id of the last entry kept; `header.firstEntryId - 1` when none is. */
  lastEntryId: number;
  /** The number of the last batch kept; `header.firstBatch - 1` when none is. */
  lastBatch: number;
  /** Region id → the largest entry id that region has in the segment. */
  regions: Map<number, number>;
  /** Set when the bytes after `dataEnd` are not all zeros and must be cut. */
  torn: TornTail | undefined;
}

/** How a segment is read: whether it is the WAL's last one, and the id every entry must exceed. */
export interface ScanOptions {
  last: boolean;
  /** The last entry id of the segment before this one (0 for the first segment). */
  afterEntryId: number;
}

/**
 * Checks every entry of the segment held whole in `bytes` (named `file` in messages) and
 * classifies its tail; see the module comment. Throws `StorageCorrupted` naming the file
 * and offset on damage; a torn tail is reported in `torn`, not cut here.
 */
export function scanSegment(bytes: Buffer, file: string, options: ScanOptions): SegmentScan {
  const header = decodeSegmentHeader(bytes, file);
  if (header.firstEntryId <= options.afterEntryId) {
    throw walCorrupted(
      `WAL segment ${file} starts at entry ${header.firstEntryId}, but the segment before it holds entries up to ${options.afterEntryId}`,
    );
  }
  const end = bytes.length;
  const regions = new Map<number, number>();
  // Region/entry id pairs of the batch being read, applied once its last entry is seen.
  const pending: number[] = [];
  let at = segmentHeaderBytes;
  let dataEnd = at;
  let entries = 0;
  let lastEntryId = header.firstEntryId - 1;
  let lastBatch = header.firstBatch - 1;
  let keptBatch = lastBatch;
  let previousId = options.afterEntryId;
  let closed = true;
  let batchEntries = 0;
  let problem: { at: number; code: number } | undefined;

  while (at < end) {
    const next = checkEntry(bytes, at, end, true);
    if (next < 0) {
      if (nextNonZero(bytes, at) < 0) break; // zeros to the end: unused space
      problem = { at, code: next };
      break;
    }
    const batch = entryBatch(bytes, at);
    const id = entryId(bytes, at);
    if (at === segmentHeaderBytes && (id !== header.firstEntryId || batch !== header.firstBatch)) {
      throw walCorrupted(
        `WAL segment ${file} starts with entry ${id} of batch ${batch} at offset ${at}, but its header says entry ${header.firstEntryId} of batch ${header.firstBatch}`,
      );
    }
    if (closed ? batch <= lastBatch : batch !== lastBatch) {
      throw walCorrupted(
        `WAL segment ${file} has an entry of batch ${batch} at offset ${at} after ` +
          (closed ? `batch ${lastBatch} was complete` : `batch ${lastBatch}, which had not ended`),
      );
    }
    if (id <= previousId) {
      throw walCorrupted(`WAL segment ${file} has entry ${id} at offset ${at} after entry ${previousId}`);
    }
    if (entrySyncedBatch(bytes, at) >= batch) {
      throw walCorrupted(
        `WAL segment ${file} has an entry at offset ${at} whose batch ${batch} claims to be synced already`,
      );
    }
    previousId = id;
    pending.push(entryRegionId(bytes, at), id);
    batchEntries++;
    lastBatch = batch;
    closed = (entryFlags(bytes, at) & lastInBatchFlag) !== 0;
    if (closed) {
      for (let i = 0; i < pending.length; i += 2) regions.set(pending[i], pending[i + 1]);
      pending.length = 0;
      entries += batchEntries;
      batchEntries = 0;
      lastEntryId = id;
      keptBatch = batch;
      dataEnd = next;
    }
    at = next;
  }

  const scan: SegmentScan = {
    header,
    dataEnd,
    entries,
    lastEntryId,
    lastBatch: keptBatch,
    regions,
    torn: undefined,
  };
  if (problem === undefined && closed) return scan;

  // Something after `dataEnd` is not a whole batch.
  const what =
    problem === undefined
      ? `batch ${lastBatch} has no last entry (the data stops at offset ${at})`
      : `bad entry at offset ${problem.at}: ${describeEntryProblem(problem.code, bytes, problem.at, end)}`;
  if (!options.last) {
    throw walCorrupted(
      `WAL segment ${file} is damaged: ${what}. Only the last segment can have a torn tail, so this is corruption`,
    );
  }
  if (problem !== undefined) {
    const damagedBatch = closed ? lastBatch + 1 : lastBatch;
    const later = findLaterSyncedEntry(bytes, problem.at + 1, damagedBatch);
    if (later !== undefined) {
      throw walCorrupted(
        `WAL segment ${file} is corrupted: ${what}, followed by a good entry at offset ${later} written after batch ${damagedBatch} was synced`,
      );
    }
  }
  scan.torn = { offset: dataEnd, droppedBytes: end - dataEnd, droppedEntries: batchEntries, reason: what };
  return scan;
}

/**
 * Looks past a bad entry for a good one whose synced-batch field is at least
 * `damagedBatch`, trying every offset (a bad entry's length cannot be trusted). Returns
 * its offset.
 */
function findLaterSyncedEntry(bytes: Buffer, from: number, damagedBatch: number): number | undefined {
  const end = bytes.length;
  for (let at = from; at + entryOverheadBytes <= end; at++) {
    const bodyLength = bytes.readUInt32LE(at);
    if (bodyLength === 0) {
      // A run of zeros (preallocated space, a hole): jump to just before its end.
      const nonZero = nextNonZero(bytes, at);
      if (nonZero < 0) return undefined;
      if (nonZero - 4 > at) at = nonZero - 4;
      continue;
    }
    // Cheap filters before the checksum: most offsets give an impossible length or flags.
    if (bodyLength < entryHeaderBytes || at + 8 + bodyLength > end || bytes[at + 9] !== 0) continue;
    const next = checkEntry(bytes, at, end, true);
    if (next < 0) continue;
    if (entrySyncedBatch(bytes, at) >= damagedBatch) return at;
    at = next - 1;
  }
  return undefined;
}

const zeros = Buffer.alloc(64 * 1024);

/** The offset of the first non-zero byte at or after `from`, or -1 when there is none. */
export function nextNonZero(bytes: Buffer, from: number): number {
  let at = from;
  while (at < bytes.length) {
    const chunk = Math.min(zeros.length, bytes.length - at);
    if (bytes.compare(zeros, 0, chunk, at, at + chunk) !== 0) {
      for (let i = at; i < at + chunk; i++) if (bytes[i] !== 0) return i;
    }
    at += chunk;
  }
  return -1;
}
