/**
 * `StorageEngine`: the `RegionEngine` a datanode hosts. It only wires things together — the
 * WAL (under `dataHome`), the object store, the write-buffer budget, background jobs — and
 * routes each request to its handler (one file per kind: handle-put.ts, handle-flush.ts, …).
 */

import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError, createLogger, type Logger } from '../../common/index.ts';
import { compactRegion } from '../compaction/compact-region.ts';
import type { ObjectStore } from '../object-store/index.ts';
import { Wal } from '../wal/index.ts';
import type { EngineContext, EngineSettings } from './engine-context.ts';
import { regionOf } from './engine-context.ts';
import { flushRegion } from './flush-region.ts';
import { handleAlter } from './handle-alter.ts';
import { closeRegion, handleClose } from './handle-close.ts';
import { handleCompact } from './handle-compact.ts';
import { handleCreate } from './handle-create.ts';
import { handleDelete } from './handle-delete.ts';
import { handleDowngrade } from './handle-downgrade.ts';
import { handleDrop } from './handle-drop.ts';
import { handleFlush } from './handle-flush.ts';
import { handleOpen } from './handle-open.ts';
import { handlePut } from './handle-put.ts';
import { handleTruncate } from './handle-truncate.ts';
import { handleUpgrade } from './handle-upgrade.ts';
import type { Region } from './region.ts';
import type { RegionEngine } from './region-engine.ts';
import type { RegionRequest, RegionResponse, RegionStatistics, ScanRequest } from './region-request.ts';
import { scanRegion } from './scan-region.ts';
import { WriteBuffer } from './write-buffer.ts';
import { buildSst } from '../worker/sst-build.ts';
import { sstBuildPool } from '../worker/sst-build-pool.ts';

/** How `StorageEngine.open` sets up a datanode's storage. */
export interface StorageEngineOptions {
  /** The datanode's local directory; the WAL lives in `<dataHome>/wal`. */
  dataHome: string;
  /** Where region files live (shared by the datanodes that may open each other's regions). Not closed by the engine. */
  objectStore: ObjectStore;
  /** fsync the WAL before acknowledging writes. Default true. */
  walSync?: boolean;
  /** Budget for all memtables of this datanode, bytes. Default 256 MiB. */
  writeBufferBytes?: number;
  /** A region flushes when its memtable passes this (unless its `write_buffer_size` says otherwise). Default 32 MiB. */
  regionWriteBufferBytes?: number;
  /** A time window compacts in the background once it holds this many files. Default 4. */
  compactionTriggerFiles?: number;
  /** Compact in the background after flushes. Default true. */
  autoCompaction?: boolean;
  /** Unlisted SSTs older than this are deleted when a region opens. Default 1 hour. */
  orphanGraceMs?: number;
  /** Manifest checkpoint every this many edits. Default 10. */
  checkpointInterval?: number;
  /** Rows per SST row group. Default 65,536. */
  rowGroupRows?: number;
  /** WAL segment size. Default 64 MiB. */
  walSegmentBytes?: number;
  /** Clock for TTL, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /**
   * Merge and encode flush and compaction SSTs on worker threads, keeping the event loop free for
   * requests, heartbeats and pings (worker/). Default true; false runs them on the event loop.
   */
  sstWorkers?: boolean;
  logger?: Logger;
}

/** The region engine; see the module comment and region-engine.ts for the contract. */
export class StorageEngine implements RegionEngine {
  private readonly context: EngineContext;
  private readonly jobs = new Set<Promise<void>>();
  private closed = false;

  private constructor(store: ObjectStore, wal: Wal, logger: Logger, settings: EngineSettings) {
    const regions = new Map<number, Region>();
    const writeBuffer = new WriteBuffer(settings.writeBufferBytes, {
      regions: () => regions.values(),
      requestFlush: (region, reason) => this.requestFlush(region, reason),
      regionLimitBytes: (region) => region.options.writeBufferBytes ?? settings.regionWriteBufferBytes,
      flushComing: () => {
        if (settings.sstWorkers) sstBuildPool.warm();
      },
    });
    this.context = {
      store,
      wal,
      logger,
      settings,
      regions,
      opening: new Map(),
      writeBuffer,
      buildSst: (job) => (settings.sstWorkers ? sstBuildPool.build(job) : buildSst(job)),
      afterFlush: (region) => this.afterFlush(region),
      background: (name, regionId, job) => this.background(name, regionId, job),
    };
  }

  /** Opens the WAL under `dataHome`; regions are opened by requests. */
  static async open(options: StorageEngineOptions): Promise<StorageEngine> {
    const logger = options.logger ?? createLogger({ role: 'storage', level: 'warn' });
    const settings: EngineSettings = {
      walSync: options.walSync ?? true,
      writeBufferBytes: positive(options.writeBufferBytes, 256 * 1024 * 1024, 'writeBufferBytes'),
      regionWriteBufferBytes: positive(options.regionWriteBufferBytes, 32 * 1024 * 1024, 'regionWriteBufferBytes'),
      compactionTriggerFiles: positive(options.compactionTriggerFiles, 4, 'compactionTriggerFiles'),
      autoCompaction: options.autoCompaction ?? true,
      orphanGraceMs: options.orphanGraceMs ?? 3_600_000,
      checkpointInterval: positive(options.checkpointInterval, 10, 'checkpointInterval'),
      rowGroupRows: positive(options.rowGroupRows, 65_536, 'rowGroupRows'),
      now: options.now ?? Date.now,
      sstWorkers: options.sstWorkers ?? true,
    };
    const wal = await Wal.open(join(options.dataHome, 'wal'), {
      sync: settings.walSync,
      logger,
      ...(options.walSegmentBytes === undefined ? {} : { segmentBytes: options.walSegmentBytes }),
    });
    return new StorageEngine(options.objectStore, wal, logger, settings);
  }

  handle(request: RegionRequest): Promise<RegionResponse> {
    if (this.closed) return Promise.reject(new TesseraError(ErrorCode.Unexpected, 'The storage engine is closed'));
    const context = this.context;
    switch (request?.type) {
      case 'create':
        return handleCreate(context, request);
      case 'open':
        return handleOpen(context, request);
      case 'close':
        return handleClose(context, request);
      case 'drop':
        return handleDrop(context, request);
      case 'put':
        return handlePut(context, request);
      case 'delete':
        return handleDelete(context, request);
      case 'flush':
        return handleFlush(context, request);
      case 'compact':
        return handleCompact(context, request);
      case 'truncate':
        return handleTruncate(context, request);
      case 'alter':
        return handleAlter(context, request);
      case 'downgrade':
        return handleDowngrade(context, request);
      case 'upgrade':
        return handleUpgrade(context, request);
      default:
        return Promise.reject(
          new TesseraError(
            ErrorCode.InvalidArguments,
            `Unknown region request type ${JSON.stringify((request as { type?: unknown } | undefined)?.type)}`,
          ),
        );
    }
  }

  scan(regionId: number, request: ScanRequest = {}): AsyncIterable<RecordBatch> {
    return scanRegion(this.context, regionId, request);
  }

  statistics(regionId: number): RegionStatistics {
    const region = regionOf(this.context, regionId);
    const state = region.state;
    let memtableRows = 0;
    for (const slot of region.memtableSlots()) memtableRows += slot.memtable.rows;
    let sstBytes = 0;
    let sstRows = 0;
    for (const file of state.files.values()) {
      sstBytes += file.sizeBytes;
      sstRows += file.rows;
    }
    return {
      regionId,
      rows: memtableRows + sstRows,
      memtableRows,
      memtableBytes: region.memtableBytes(),
      sstCount: state.files.size,
      sstBytes,
      sstRows,
      walLastEntryId: this.context.wal.lastEntryId,
      flushedEntryId: state.flushedEntryId,
      flushedSequence: state.flushedSequence,
      nextSequence: region.nextSequence,
      manifestVersion: state.version,
      schemaVersion: state.schema.version,
      ...(state.lastTruncateId === undefined ? {} : { lastTruncateId: state.lastTruncateId }),
    };
  }

  regionIds(): number[] {
    return [...this.context.regions.values()]
      .filter((r) => r.phase === 'open')
      .map((r) => r.regionId)
      .sort((a, b) => a - b);
  }

  /** Memtable bytes of all regions and writes that waited for memory (for tests and the admin UI). */
  writeBufferStats(): { usedBytes: number; budgetBytes: number; stalls: number } {
    const buffer = this.context.writeBuffer;
    return { usedBytes: buffer.usage(), budgetBytes: buffer.budgetBytes, stalls: buffer.stalls };
  }

  /** Resolves when the background flushes and compactions started so far are done. */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all([...this.jobs]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const region of [...this.context.regions.values()]) {
      if (region.phase === 'open') await closeRegion(this.context, region);
    }
    await this.idle();
    await this.context.wal.close();
  }

  private requestFlush(region: Region, reason: string): void {
    if (region.flushing !== undefined || region.phase !== 'open') return;
    region.logger.debug('storage.flush-requested', { reason });
    this.background('flush', region.regionId, () => flushRegion(this.context, region));
  }

  private afterFlush(region: Region): void {
    const settings = this.context.settings;
    if (!settings.autoCompaction || region.compacting !== undefined || region.phase !== 'open') return;
    // A downgraded region hands over to another datanode: it edits its manifest no more.
    if (region.downgraded) return;
    if (region.state.files.size < settings.compactionTriggerFiles) return;
    this.background('compaction', region.regionId, () =>
      compactRegion(this.context, region, { minFiles: settings.compactionTriggerFiles }),
    );
  }

  private background(name: string, regionId: number, job: () => Promise<void>): void {
    const run = (async () => {
      try {
        await job();
      } catch (error) {
        const region = this.context.regions.get(regionId);
        // A region closed or dropped under its job is not a failure worth a warning.
        if (region === undefined || region.phase !== 'open') return;
        this.context.logger.warn(`storage.${name}-failed`, { regionId, error: String(error) });
      }
    })();
    this.jobs.add(run);
    void run.finally(() => this.jobs.delete(run));
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Storage engine option ${name} must be positive, got ${value}`);
  }
  return value;
}
