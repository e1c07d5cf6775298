/**
 * The datanode's write-ahead log (DESIGN §4): one per datanode, shared by all its regions.
 *
 * Write path (group commit): `append` assigns the next entry id and encodes the entry into
 * the batch being gathered (`StagedBatch`); one commit loop writes each batch with one
 * `write` and one fdatasync, then settles every append of the batch at once. Appends
 * that arrive while a batch is on its way to disk gather into the next one, so N
 * concurrent writers pay about one fsync per disk round trip, not N. With `sync: false`
 * a batch is acknowledged after its `write`: a killed process loses nothing, a power cut
 * may lose the unsynced batches (`sync()` forces them down).
 *
 * Files (format in `wal-format.ts`): segments named by their first entry id, rolled at
 * `segmentBytes`; `*.tmp` files (a segment being created, the zero-filled spare) are
 * deleted at open. On open every segment is read and checked (`segment-scan.ts`); a torn
 * tail of the last segment is cut with a `wal.torn-tail` warning, anything else damaged
 * stops the open with `StorageCorrupted` naming the segment and offset.
 *
 * Obsolete segments: the region's manifest owns its flushed entry id; the WAL keeps, in
 * memory only, the ids regions report through `markFlushed`. A segment (not the active
 * one) is deleted once every region with entries in it has reported a flushed id at or
 * past its last entry there. After a restart nothing has been reported, so nothing is
 * deleted until each region that has entries in a segment re-registers; a region that
 * will not come back (dropped, moved to another datanode) is released with `dropRegion`.
 * So a crash can only keep segments longer, never delete a needed one.
 */

import { mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, TesseraError, asTesseraError, createLogger } from '../../common/index.ts';
import type { Logger } from '../../common/index.ts';
import { scanSegment } from './segment-scan.ts';
import { createSegmentFile, discardSpare, prepareSpare, readPrefix, syncDir, writeAll } from './segment-files.ts';
import type { SpareFile } from './segment-files.ts';
import { StagedBatch } from './staged-batch.ts';
import {
  checkEntry,
  describeEntryProblem,
  entryChecksum,
  entryId,
  entryOverheadBytes,
  entryRegionId,
  maxPayloadBytes,
  parseSegmentFileName,
  segmentFileName,
  segmentHeaderBytes,
  view,
  walCorrupted,
} from './wal-format.ts';

/** How `Wal.open` sets up the log. */
export interface WalOptions {
  /**
   * fdatasync every batch before acknowledging its appends. Default true. With false,
   * appends resolve after the `write`; the process may be killed without loss, the
   * machine may not.
   */
  sync?: boolean;
  /** Roll to a new segment when the next batch would take the active one past this. Default 64 MiB. */
  segmentBytes?: number;
  /**
   * Zero-fill and sync the next segment in the background, so appends overwrite
   * allocated blocks and each fdatasync has no metadata to write (measured 1.3–2.7× more
   * single-writer synced appends on ext4). Done only while the WAL fills slowly (the
   * last segment at under 32 MiB/s): at higher rates batches are large, fsync latency
   * matters less, and the zero-fill would take write bandwidth from the appends (it did,
   * measured). Costs one segment of disk. Default true.
   */
  preallocate?: boolean;
  /** A batch stops taking appends past this many bytes; later ones wait for the next. Default 8 MiB. */
  maxBatchBytes?: number;
  logger?: Logger;
}

/** One entry of `appendBatch`. */
export interface WalWrite {
  regionId: number;
  payload: Uint8Array;
}

/**
 * An entry read back by `replay`. `payload` is a view into a buffer that holds a whole
 * segment (zero-copy): copy it to keep it past the entry's use.
 */
export interface WalEntry {
  regionId: number;
  entryId: number;
  payload: Uint8Array;
}

/** Counters and sizes, for tests, benchmarks and the admin UI. Counters start at open. */
export interface WalStats {
  /** Live segment files, the active one included. */
  segments: number;
  /** Bytes of entries and headers in the live segments (preallocated space not counted). */
  bytes: number;
  /** The first entry id of the oldest live segment. */
  firstEntryId: number;
  /** The last entry id assigned (0 when none ever was). */
  lastEntryId: number;
  /** Entries appended since open. */
  entries: number;
  /** Batches written since open (one `write` each). */
  batches: number;
  /** fdatasync calls on segment files since open: one per batch when syncing, plus rolls and `sync()`. */
  syncs: number;
  /** Segments created by rolling since open. */
  rolls: number;
}

/** A segment file the WAL knows. */
interface Segment {
  name: string;
  path: string;
  firstEntryId: number;
  /** The id of its last entry; `firstEntryId - 1` while it has none. */
  lastEntryId: number;
  /** The end of its entries: the next batch goes here (zeros may follow). */
  dataEnd: number;
  /** Region id → the largest entry id of that region in this segment. */
  regions: Map<number, number>;
}

const defaultSegmentBytes = 64 * 1024 * 1024;
const defaultMaxBatchBytes = 8 * 1024 * 1024;
/** A batch buffer kept for reuse is dropped past this size rather than held. */
const maxRecycledBuffer = 16 * 1024 * 1024;
const initialBatchBuffer = 256 * 1024;
/** Above this fill rate (bytes per second) no spare segment is zero-filled; see `WalOptions.preallocate`. */
const spareMaxFillRate = 32 * 1024 * 1024;

/** WAL directories open in this process: a second `open` of one is refused. */
const openDirs = new Set<string>();

/** The datanode's WAL; open it with `Wal.open`. One process, one `Wal` per directory. */
export class Wal {
  /** The directory, absolute. */
  readonly dir: string;
  private readonly logger: Logger;
  private readonly syncEachBatch: boolean;
  private readonly segmentBytes: number;
  private readonly preallocate: boolean;
  private readonly maxBatchBytes: number;

  /** Ordered by first entry id; the last one is active (being appended to). */
  private segments: Segment[];
  private activeFile: FileHandle;
  private nextEntryId: number;
  private nextBatch: number;
  /** Every batch up to this number is on disk. */
  private syncedBatch: number;
  /** Every batch up to this number has been written. */
  private writtenBatch: number;

  /** Batches not yet written, oldest first; `filling` (the last, if any) still takes appends. */
  private queue: StagedBatch[] = [];
  private filling: StagedBatch | undefined;
  private freeBuffer: Buffer | undefined;
  private committing: Promise<void> | undefined;
  private syncWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];

  /** Region id → the entry id through which it reported its entries obsolete. */
  private readonly flushed = new Map<number, number>();
  /** Replays running; segments are not deleted under them. */
  private replays = 0;
  private deletionWanted = false;
  private deleting: Promise<void> = Promise.resolve();

  private spare: SpareFile | undefined;
  private sparePreparing: Promise<void> | undefined;
  /** When the active segment started taking writes, and its data end then: for its fill rate. */
  private segmentStart: { time: number; dataEnd: number };

  private state: 'open' | 'closing' | 'closed' | 'failed' = 'open';
  private failure: TesseraError | undefined;
  private closing: Promise<void> | undefined;
  private readonly counters = { entries: 0, batches: 0, syncs: 0, rolls: 0 };

  private constructor(init: {
    dir: string;
    logger: Logger;
    options: WalOptions;
    segments: Segment[];
    activeFile: FileHandle;
    lastBatch: number;
  }) {
    this.dir = init.dir;
    this.logger = init.logger;
    this.syncEachBatch = init.options.sync ?? true;
    this.segmentBytes = init.options.segmentBytes ?? defaultSegmentBytes;
    this.preallocate = init.options.preallocate ?? true;
    this.maxBatchBytes = Math.min(init.options.maxBatchBytes ?? defaultMaxBatchBytes, this.segmentBytes);
    this.segments = init.segments;
    this.activeFile = init.activeFile;
    this.nextEntryId = init.segments[init.segments.length - 1].lastEntryId + 1;
    this.nextBatch = init.lastBatch + 1;
    this.syncedBatch = init.lastBatch;
    this.writtenBatch = init.lastBatch;
    this.segmentStart = { time: performance.now(), dataEnd: init.segments[init.segments.length - 1].dataEnd };
  }

  /**
   * Opens (creating if needed) the WAL in `dir`: reads and checks every segment, cuts a
   * torn tail off the last one with a `wal.torn-tail` warning. Throws `StorageCorrupted`
   * naming the segment file and offset when a segment is damaged anywhere else,
   * `StorageUnavailable` when this process has the directory open already.
   */
  static async open(dir: string, options: WalOptions = {}): Promise<Wal> {
    const absolute = resolve(dir);
    const segmentBytes = options.segmentBytes ?? defaultSegmentBytes;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < 4096) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `WAL segmentBytes must be an integer ≥ 4096, got ${segmentBytes}`,
      );
    }
    const logger = (options.logger ?? createLogger({ role: 'datanode' })).child({ wal: absolute });
    if (openDirs.has(absolute)) {
      throw new TesseraError(ErrorCode.StorageUnavailable, `WAL ${absolute} is already open in this process`);
    }
    openDirs.add(absolute);
    try {
      const wal = await Wal.load(absolute, logger, options);
      wal.startSpare();
      return wal;
    } catch (error) {
      openDirs.delete(absolute);
      throw error;
    }
  }

  private static async load(dir: string, logger: Logger, options: WalOptions): Promise<Wal> {
    const started = performance.now();
    await mkdir(dir, { recursive: true });
    const names = await readdir(dir);
    // Leftovers of a segment creation or a spare cut short: never named as segments, never needed.
    for (const name of names) if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
    const found = names
      .map((name) => ({ name, firstEntryId: parseSegmentFileName(name) }))
      .filter((segment): segment is { name: string; firstEntryId: number } => segment.firstEntryId !== undefined)
      .sort((a, b) => a.firstEntryId - b.firstEntryId);

    if (found.length === 0) {
      const file = await createSegmentFile(dir, { firstEntryId: 1, firstBatch: 1 }, undefined);
      const name = segmentFileName(1);
      const segment = { name, path: join(dir, name), firstEntryId: 1, lastEntryId: 0, dataEnd: segmentHeaderBytes };
      logger.info('wal.created', { dir });
      return new Wal({
        dir,
        logger,
        options,
        segments: [{ ...segment, regions: new Map() }],
        activeFile: file,
        lastBatch: 0,
      });
    }

    const segments: Segment[] = [];
    let afterEntryId = 0;
    let lastBatch = 0;
    let entries = 0;
    for (let i = 0; i < found.length; i++) {
      const { name, firstEntryId } = found[i];
      const path = join(dir, name);
      const last = i === found.length - 1;
      const scan = scanSegment(await readFile(path), name, { last, afterEntryId });
      if (scan.header.firstEntryId !== firstEntryId) {
        throw walCorrupted(`WAL segment ${name} says at offset 8 that it starts at entry ${scan.header.firstEntryId}`);
      }
      if (scan.torn !== undefined) {
        logger.warn('wal.torn-tail', { segment: name, ...scan.torn });
        const file = await open(path, 'r+');
        try {
          await file.truncate(scan.torn.offset);
          await file.datasync();
        } finally {
          await file.close();
        }
      }
      segments.push({
        name,
        path,
        firstEntryId,
        lastEntryId: scan.lastEntryId,
        dataEnd: scan.dataEnd,
        regions: scan.regions,
      });
      afterEntryId = Math.max(afterEntryId, scan.lastEntryId);
      entries += scan.entries;
      lastBatch = scan.lastBatch;
    }

    const active = segments[segments.length - 1];
    const activeFile = await open(active.path, 'r+');
    try {
      // What the last process wrote without syncing (sync: false) is made durable now, so
      // the next batch can rightly say every earlier batch was synced.
      await activeFile.datasync();
    } catch (error) {
      await activeFile.close();
      throw error;
    }
    logger.info('wal.opened', {
      segments: segments.length,
      entries,
      lastEntryId: active.lastEntryId,
      ms: Math.round(performance.now() - started),
    });
    return new Wal({ dir, logger, options, segments, activeFile, lastBatch });
  }

  /** The id of the last entry appended (acknowledged or not); 0 when none ever was. */
  get lastEntryId(): number {
    return this.nextEntryId - 1;
  }

  /**
   * Appends one entry for `regionId` and resolves with its entry id once it is durable
   * (written and fsynced; only written with `sync: false`). The payload is copied before
   * this returns. Entry ids increase in call order.
   */
  append(regionId: number, payload: Uint8Array): Promise<number> {
    if (this.state !== 'open') return Promise.reject(this.unusable());
    if (!Number.isSafeInteger(regionId) || regionId < 0) return Promise.reject(badRegion(regionId));
    if (payload.length > maxPayloadBytes) return Promise.reject(tooLarge(payload.length));
    const batch = this.batchFor(entryOverheadBytes + payload.length);
    const id = this.nextEntryId++;
    batch.add(regionId, id, payload);
    this.counters.entries++;
    this.kick();
    return batch.done.then(() => id);
  }

  /**
   * Appends several entries (any regions) in one batch and resolves with the first one's
   * entry id; they take consecutive ids in order. The batch is atomic: after a crash
   * either all of its entries replay or none does.
   */
  appendBatch(writes: readonly WalWrite[]): Promise<number> {
    if (this.state !== 'open') return Promise.reject(this.unusable());
    if (writes.length === 0) {
      return Promise.reject(new TesseraError(ErrorCode.InvalidArguments, 'WAL appendBatch needs at least one entry'));
    }
    let bytes = 0;
    for (const { regionId, payload } of writes) {
      if (!Number.isSafeInteger(regionId) || regionId < 0) return Promise.reject(badRegion(regionId));
      if (payload.length > maxPayloadBytes) return Promise.reject(tooLarge(payload.length));
      bytes += entryOverheadBytes + payload.length;
    }
    const batch = this.batchFor(bytes);
    batch.reserve(bytes);
    const first = this.nextEntryId;
    for (const { regionId, payload } of writes) batch.add(regionId, this.nextEntryId++, payload);
    this.counters.entries += writes.length;
    this.kick();
    return batch.done.then(() => first);
  }

  /**
   * The entries of `regionId` with ids above `afterEntryId`, in id order: what the region
   * must re-apply after its last flush. Covers what was appended and acknowledged when
   * iteration started. Payloads are views (see `WalEntry`). Segments are not deleted while
   * a replay runs.
   */
  replay(regionId: number, afterEntryId: number): AsyncIterable<WalEntry> {
    return this.replayRegions(new Map([[regionId, afterEntryId]]));
  }

  /**
   * `replay` for several regions in one pass over the segments (each segment is read once,
   * not once per region): region id → the entry id to replay after. Entries come in id
   * order across all the regions.
   */
  async *replayRegions(afterEntryIds: ReadonlyMap<number, number>): AsyncIterable<WalEntry> {
    if (this.state !== 'open') throw this.unusable();
    for (const [regionId, after] of afterEntryIds) {
      if (!Number.isSafeInteger(regionId) || regionId < 0) throw badRegion(regionId);
      if (!Number.isSafeInteger(after) || after < 0) throw badEntryId(after);
    }
    // Taken now, in one step with the pin below: segments and how far each was written.
    const plan = this.segments
      .filter((segment) => wanted(segment, afterEntryIds))
      .map((segment) => ({ segment, end: segment.dataEnd }));
    this.replays++;
    try {
      for (const { segment, end } of plan) {
        const bytes = await readPrefix(segment.path, segment.name, end);
        let at = segmentHeaderBytes;
        while (at < end) {
          // Entries were checked at open or written by this process; a length that no longer
          // parses means the file changed under us.
          const next = checkEntry(bytes, at, end, false);
          if (next < 0) {
            throw walCorrupted(
              `WAL segment ${segment.name} has a bad entry at offset ${at} on replay: ${describeEntryProblem(next, bytes, at, end)}`,
            );
          }
          const regionId = entryRegionId(bytes, at);
          const after = afterEntryIds.get(regionId);
          if (after !== undefined) {
            const id = entryId(bytes, at);
            if (id > after) {
              if (bytes.readUInt32LE(at + 4) !== entryChecksum(bytes, at, next)) {
                throw walCorrupted(`WAL segment ${segment.name} has a checksum mismatch at offset ${at} on replay`);
              }
              yield { regionId, entryId: id, payload: view(bytes, at + entryOverheadBytes, next) };
            }
          }
          at = next;
        }
      }
    } finally {
      this.replays--;
      if (this.replays === 0 && this.deletionWanted) {
        this.deletionWanted = false;
        void this.scheduleDeletion();
      }
    }
  }

  /**
   * Records that `regionId`'s entries up to `entryId` are obsolete (flushed to SSTs and
   * recorded in its manifest) and deletes the segments that no region needs any more;
   * resolves when they are deleted. Call it after every flush and when a region opens
   * (with its manifest's flushed entry id), since the WAL does not persist these ids.
   *
   * If `entryId` is at or past the last id the WAL has assigned (its unsynced tail was
   * lost, or the region was flushed elsewhere), later entries skip ahead past it: an
   * entry id must never be one the region considers flushed.
   */
  async markFlushed(regionId: number, entryId: number): Promise<void> {
    if (this.state !== 'open') throw this.unusable();
    if (!Number.isSafeInteger(regionId) || regionId < 0) throw badRegion(regionId);
    if (!Number.isSafeInteger(entryId) || entryId < 0) throw badEntryId(entryId);
    if (entryId > (this.flushed.get(regionId) ?? -1)) this.flushed.set(regionId, entryId);
    if (entryId >= this.nextEntryId) {
      this.logger.warn('wal.entry-id-jump', { regionId, flushedEntryId: entryId, nextEntryId: entryId + 1 });
      this.nextEntryId = entryId + 1;
    }
    await this.scheduleDeletion();
  }

  /**
   * Declares every entry `regionId` has in the WAL obsolete: for a region dropped, or
   * moved to another datanode, or no longer hosted here after a restart (see `regionIds`).
   * Entries it appends later are kept as usual.
   */
  async dropRegion(regionId: number): Promise<void> {
    await this.markFlushed(regionId, this.nextEntryId - 1);
  }

  /** The regions that have entries in live segments, ascending. */
  regionIds(): number[] {
    const ids = new Set<number>();
    for (const segment of this.segments) for (const regionId of segment.regions.keys()) ids.add(regionId);
    return [...ids].sort((a, b) => a - b);
  }

  /**
   * Resolves once everything appended before the call is written and fsynced. With the
   * default `sync: true` that is when those appends resolve; with `sync: false` it forces
   * an fsync (call it before recording a flushed entry id in a manifest).
   */
  sync(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(this.unusable());
    return this.requestSync();
  }

  /** Sizes and counters; see `WalStats`. */
  stats(): WalStats {
    let bytes = 0;
    for (const segment of this.segments) bytes += segment.dataEnd;
    return {
      segments: this.segments.length,
      bytes,
      firstEntryId: this.segments[0].firstEntryId,
      lastEntryId: this.nextEntryId - 1,
      ...this.counters,
    };
  }

  /** Writes and syncs what is queued, then closes the files. Appends made after the call are refused. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.state === 'open') this.state = 'closing';
    if (this.state === 'closing') await this.requestSync().catch(() => undefined);
    while (this.committing !== undefined) await this.committing;
    await this.deleting;
    await this.sparePreparing;
    if (this.spare !== undefined) await discardSpare(this.dir, this.spare).catch(() => undefined);
    this.spare = undefined;
    await this.activeFile.close().catch(() => undefined);
    if (this.state === 'closing') this.state = 'closed';
    openDirs.delete(this.dir);
    this.logger.info('wal.closed', { lastEntryId: this.nextEntryId - 1 });
  }

  private unusable(): TesseraError {
    if (this.state === 'failed' && this.failure !== undefined) return this.failure;
    return new TesseraError(ErrorCode.StorageUnavailable, `WAL ${this.dir} is closed`);
  }

  /** The batch a new entry of `bytes` bytes joins: the one filling, or a new one when it is full. */
  private batchFor(bytes: number): StagedBatch {
    const filling = this.filling;
    if (filling !== undefined && (filling.size === 0 || filling.size + bytes <= this.maxBatchBytes)) return filling;
    const number = this.nextBatch++;
    // When every batch is synced before the next is written, the previous one will be; otherwise
    // only what is synced now can be vouched for (later syncs make this merely conservative).
    const synced = this.syncEachBatch ? number - 1 : this.syncedBatch;
    let buffer = this.freeBuffer;
    if (buffer !== undefined && buffer.length >= bytes) this.freeBuffer = undefined;
    else buffer = Buffer.allocUnsafe(Math.max(bytes, initialBatchBuffer));
    const batch = new StagedBatch(buffer, number, synced);
    this.queue.push(batch);
    this.filling = batch;
    return batch;
  }

  private requestSync(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Starts the commit loop unless it is running; it drains the queue and the sync requests, then stops. */
  private kick(): void {
    if (this.committing !== undefined) return;
    this.committing = this.commitLoop().finally(() => {
      this.committing = undefined;
      if ((this.queue.length > 0 || this.syncWaiters.length > 0) && this.state !== 'failed') this.kick();
    });
  }

  private async commitLoop(): Promise<void> {
    while (this.state !== 'failed' && this.state !== 'closed') {
      if (this.queue.length > 0) {
        // Let callbacks already due (writers whose last append just resolved) join this batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.failure !== undefined) return;
        const batch = this.queue.shift()!;
        if (batch === this.filling) this.filling = undefined;
        try {
          await this.commit(batch);
        } catch (error) {
          const active = this.segments[this.segments.length - 1];
          this.fail(ioError(this.dir, `writing batch ${batch.batch} to WAL segment ${active.name}`, error));
          batch.reject(this.failure);
          return;
        }
        continue;
      }
      if (this.syncWaiters.length > 0) {
        const waiters = this.syncWaiters;
        this.syncWaiters = [];
        try {
          if (this.writtenBatch > this.syncedBatch) {
            await this.activeFile.datasync();
            this.counters.syncs++;
            this.syncedBatch = this.writtenBatch;
          }
        } catch (error) {
          this.fail(ioError(this.dir, `syncing WAL segment ${this.segments[this.segments.length - 1].name}`, error));
          for (const waiter of waiters) waiter.reject(this.failure);
          return;
        }
        for (const waiter of waiters) waiter.resolve();
        continue;
      }
      return;
    }
  }

  /** Writes (and syncs) one batch, rolling first when it does not fit; then settles its appends. */
  private async commit(batch: StagedBatch): Promise<void> {
    const bytes = batch.seal();
    let segment = this.segments[this.segments.length - 1];
    const empty = segment.dataEnd === segmentHeaderBytes;
    // An empty segment is named by its first entry; ids that jumped past the name need a new one.
    if (
      (!empty && segment.dataEnd + bytes.length > this.segmentBytes) ||
      (empty && segment.firstEntryId !== batch.firstEntryId)
    ) {
      segment = await this.roll(batch);
    }
    await writeAll(this.activeFile, bytes, segment.dataEnd);
    this.counters.batches++;
    if (this.syncEachBatch) {
      await this.activeFile.datasync();
      this.counters.syncs++;
      this.syncedBatch = batch.batch;
    }
    this.writtenBatch = batch.batch;
    segment.dataEnd += bytes.length;
    segment.lastEntryId = batch.lastEntryId;
    for (const [regionId, id] of batch.regions) segment.regions.set(regionId, id);
    if (batch.bytes.length <= maxRecycledBuffer && (this.freeBuffer?.length ?? 0) < batch.bytes.length) {
      this.freeBuffer = batch.bytes;
    }
    batch.resolve();
  }

  /** Seals the active segment and starts a new one named by `batch`'s first entry. */
  private async roll(batch: StagedBatch): Promise<Segment> {
    const old = this.segments[this.segments.length - 1];
    if (this.writtenBatch > this.syncedBatch) {
      // Only the last segment may be torn, so the old one must be whole on disk before the new one exists.
      await this.activeFile.datasync();
      this.counters.syncs++;
      this.syncedBatch = this.writtenBatch;
    }
    const spare = this.spare;
    this.spare = undefined;
    const file = await createSegmentFile(
      this.dir,
      { firstEntryId: batch.firstEntryId, firstBatch: batch.batch },
      spare,
    );
    this.counters.syncs++;
    this.counters.rolls++;
    const name = segmentFileName(batch.firstEntryId);
    const segment: Segment = {
      name,
      path: join(this.dir, name),
      firstEntryId: batch.firstEntryId,
      lastEntryId: batch.firstEntryId - 1,
      dataEnd: segmentHeaderBytes,
      regions: new Map(),
    };
    const oldFile = this.activeFile;
    this.activeFile = file;
    this.segments.push(segment);
    await oldFile.close().catch(() => undefined);
    const now = performance.now();
    const fillRate = ((old.dataEnd - this.segmentStart.dataEnd) * 1000) / Math.max(1, now - this.segmentStart.time);
    this.segmentStart = { time: now, dataEnd: segment.dataEnd };
    this.logger.debug('wal.rolled', {
      sealed: old.name,
      sealedBytes: old.dataEnd,
      segment: name,
      preallocated: spare !== undefined,
      fillRate: Math.round(fillRate),
    });
    if (fillRate < spareMaxFillRate) this.startSpare();
    void this.scheduleDeletion();
    return segment;
  }

  /** Zero-fills the next segment in the background (see `segment-files.ts`), unless one is ready or on its way. */
  private startSpare(): void {
    if (!this.preallocate || this.spare !== undefined || this.sparePreparing !== undefined || this.state !== 'open') {
      return;
    }
    this.sparePreparing = prepareSpare(this.dir, this.segmentBytes, () => this.state !== 'open')
      .then(
        (spare) => {
          this.spare = spare;
        },
        (error: unknown) => {
          // Only slower: the next roll creates its segment without preallocating.
          this.logger.warn('wal.preallocate-failed', { error });
        },
      )
      .finally(() => {
        this.sparePreparing = undefined;
      });
  }

  /** Queues a pass that deletes every obsolete segment; passes run one at a time and never reject. */
  private scheduleDeletion(): Promise<void> {
    this.deleting = this.deleting.then(() => this.deleteObsolete());
    return this.deleting;
  }

  private async deleteObsolete(): Promise<void> {
    if (this.state === 'failed' || this.state === 'closed') return;
    if (this.replays > 0) {
      this.deletionWanted = true;
      return;
    }
    const active = this.segments[this.segments.length - 1];
    const doomed: Segment[] = [];
    // Decided and removed in one synchronous step, so a replay starting later never plans to read them.
    this.segments = this.segments.filter((segment) => {
      if (segment === active || !this.obsolete(segment)) return true;
      doomed.push(segment);
      return false;
    });
    for (const segment of doomed) {
      try {
        await rm(segment.path, { force: true });
        this.logger.info('wal.segment-deleted', {
          segment: segment.name,
          lastEntryId: segment.lastEntryId,
          regions: segment.regions.size,
        });
      } catch (error) {
        // Harmless: the file comes back at the next open and is deleted once its regions report again.
        this.logger.error('wal.segment-delete-failed', { segment: segment.name, error });
      }
    }
    if (doomed.length > 0) await syncDir(this.dir).catch(() => undefined);
  }

  /** Whether every region with entries in `segment` has reported them flushed. */
  private obsolete(segment: Segment): boolean {
    for (const [regionId, lastId] of segment.regions) {
      const flushed = this.flushed.get(regionId);
      if (flushed === undefined || flushed < lastId) return false;
    }
    return true;
  }

  /** After a failed write or fsync the page cache cannot be trusted: refuse everything until reopened. */
  private fail(error: TesseraError): void {
    this.logger.error('wal.failed', { error });
    this.state = 'failed';
    this.failure = error;
    const queued = this.queue;
    this.queue = [];
    this.filling = undefined;
    for (const batch of queued) batch.reject(error);
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}

/** Whether `segment` holds an entry some region in `afterEntryIds` wants. */
function wanted(segment: Segment, afterEntryIds: ReadonlyMap<number, number>): boolean {
  for (const [regionId, after] of afterEntryIds) {
    const lastId = segment.regions.get(regionId);
    if (lastId !== undefined && lastId > after) return true;
  }
  return false;
}

function badRegion(regionId: number): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `WAL region id must be a non-negative safe integer, got ${regionId}`,
  );
}

function badEntryId(entryId: number): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `WAL entry id must be a non-negative safe integer, got ${entryId}`,
  );
}

function tooLarge(bytes: number): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `WAL entry payload is ${bytes} bytes; the limit is ${maxPayloadBytes}`,
  );
}

function ioError(dir: string, action: string, cause: unknown): TesseraError {
  const reason = asTesseraError(cause).message;
  return new TesseraError(ErrorCode.StorageUnavailable, `WAL ${dir} failed ${action}: ${reason}`, { cause });
}
