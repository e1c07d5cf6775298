/**
 * The one interface a datanode drives its storage through (GreptimeDB
 * `store-api/src/region_engine.rs`). The datanode owns this contract's use; `StorageEngine`
 * (storage-engine.ts) is the implementation.
 */

import type { RecordBatch } from 'apache-arrow';
import type { RegionRequest, RegionResponse, RegionStatistics, ScanRequest } from './region-request.ts';

/** A datanode's region engine; see region-request.ts for the requests. */
export interface RegionEngine {
  /**
   * Runs one request. Puts and deletes resolve once durable in the WAL (and visible to scans).
   * Errors are `TesseraError`s: `RegionNotFound` (4005) for a region not open here,
   * `RegionAlreadyExists` (4006), `InvalidArguments` (1004) for a bad batch or alter.
   */
  handle(request: RegionRequest): Promise<RegionResponse>;

  /**
   * Reads a region: deduplicated by its merge mode, tombstones applied, TTL and predicates
   * applied, in (primary key, time) order. The snapshot (memtables and SSTs) is taken when the
   * first batch is pulled; files it reads are kept until the scan ends or is abandoned.
   */
  scan(regionId: number, request?: ScanRequest): AsyncIterable<RecordBatch>;

  /** Counters of an open region; throws `RegionNotFound` otherwise. */
  statistics(regionId: number): RegionStatistics;

  /** The regions open on this engine, ascending. */
  regionIds(): number[];

  /** Closes every region (waiting for running flushes and compactions), then the WAL. */
  close(): Promise<void>;
}
