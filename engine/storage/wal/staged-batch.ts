/**
 * One write batch being gathered: appends encode their entry straight into one buffer
 * (header, payload copy, checksum), so the commit is a single `write` of that buffer and
 * the caller may reuse its payload as soon as `append` returns. All appends of a batch
 * share one promise, settled after the batch's write (and fsync); no object is made per
 * entry here.
 */

import {
  entryChecksum,
  entryOverheadBytes,
  lastInBatchFlag,
  sealEntry,
  writeEntryHeader,
  writeU32,
} from './wal-format.ts';

/** A batch of encoded entries waiting for, or under, its write. */
export class StagedBatch {
  /** The encoded entries are `bytes[0, size)`; the buffer grows as entries arrive. */
  bytes: Buffer;
  size = 0;
  entries = 0;
  /** This batch's number, written into every entry. */
  readonly batch: number;
  /** The synced-batch field of every entry: the last batch known synced before this one is written. */
  readonly syncedBatch: number;
  firstEntryId = 0;
  lastEntryId = 0;
  /** Region id → its largest entry id in the batch (ids only grow, so the last set wins). */
  readonly regions = new Map<number, number>();
  /** Settles once the batch is written (and synced); appends hang their results off it. */
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;
  private lastEntryAt = -1;

  constructor(bytes: Buffer, batch: number, syncedBatch: number) {
    this.bytes = bytes;
    this.batch = batch;
    this.syncedBatch = syncedBatch;
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Every append chains its own promise off `done`; this keeps a failure with no such
    // chain (impossible today) from becoming an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Makes room for `bytes` more bytes. */
  reserve(bytes: number): void {
    if (this.size + bytes <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.size + bytes));
    this.bytes.copy(grown, 0, 0, this.size);
    this.bytes = grown;
  }

  /** Encodes one entry at the end of the batch; its payload is copied. */
  add(regionId: number, entryId: number, payload: Uint8Array): void {
    this.reserve(entryOverheadBytes + payload.length);
    const at = this.size;
    const bytes = this.bytes;
    writeEntryHeader(bytes, at, payload.length, this.batch, this.syncedBatch, regionId, entryId);
    bytes.set(payload, at + entryOverheadBytes);
    const end = at + entryOverheadBytes + payload.length;
    writeU32(bytes, at + 4, entryChecksum(bytes, at, end));
    if (this.entries === 0) this.firstEntryId = entryId;
    this.lastEntryId = entryId;
    this.entries++;
    this.lastEntryAt = at;
    this.size = end;
    this.regions.set(regionId, entryId);
  }

  /** Marks the last entry as the end of the batch (re-checksumming it) and returns the bytes to write. */
  seal(): Buffer {
    sealEntry(this.bytes, this.lastEntryAt, lastInBatchFlag);
    return this.bytes.subarray(0, this.size);
  }
}
