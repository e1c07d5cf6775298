/**
 * What every request handler gets: the engine's shared parts and settings. `StorageEngine`
 * builds it once; handlers are plain functions of (context, request), one file per kind.
 */

import { ErrorCode, TesseraError, type Logger } from '../../common/index.ts';
import type { ObjectStore } from '../object-store/index.ts';
import type { Wal } from '../wal/index.ts';
import type { SstBuildJob, SstBuildResult } from '../worker/sst-build.ts';
import type { Region } from './region.ts';
import type { WriteBuffer } from './write-buffer.ts';

/** Engine settings after defaults. */
export interface EngineSettings {
  walSync: boolean;
  /** Per-datanode budget for all memtables (bytes). */
  writeBufferBytes: number;
  /** A region flushes when its mutable memtable passes this (its `write_buffer_size` option wins). */
  regionWriteBufferBytes: number;
  /** A time window compacts once it holds this many files. */
  compactionTriggerFiles: number;
  /** Compact in the background after flushes. */
  autoCompaction: boolean;
  /** SSTs in data/ that the manifest does not list are deleted at open once older than this. */
  orphanGraceMs: number;
  /** Manifest checkpoint every this many edits. */
  checkpointInterval: number;
  /** Rows per SST row group. */
  rowGroupRows: number;
  /** The clock TTL is measured with (ms since the epoch). */
  now: () => number;
  /** Build flush and compaction SSTs on worker threads (worker/sst-build-pool.ts), not the event loop. */
  sstWorkers: boolean;
}

/** Shared by the handlers. */
export interface EngineContext {
  readonly store: ObjectStore;
  readonly wal: Wal;
  readonly logger: Logger;
  readonly settings: EngineSettings;
  readonly regions: Map<number, Region>;
  /** Regions being opened or created: a second request for one waits for the first. */
  readonly opening: Map<number, Promise<Region>>;
  readonly writeBuffer: WriteBuffer;
  /**
   * Merges sorted runs and encodes the SST of a flush or compaction — on a worker thread when
   * `settings.sstWorkers`, so the batches in `job` are handed over and must not be read again.
   */
  buildSst(job: SstBuildJob): Promise<SstBuildResult>;
  /** Called after each committed flush: may start a background compaction. */
  afterFlush(region: Region): void;
  /** Runs `job` in the background; `close` waits for it. Failures are logged, not thrown. */
  background(name: string, regionId: number, job: () => Promise<void>): void;
}

/** The open region, or `RegionNotFound` naming it. */
export function regionOf(context: EngineContext, regionId: number): Region {
  const region = context.regions.get(regionId);
  if (region === undefined || region.phase !== 'open') {
    throw new TesseraError(ErrorCode.RegionNotFound, `Region ${regionId} is not open on this datanode`);
  }
  return region;
}
