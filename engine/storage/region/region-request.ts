/**
 * What a datanode asks of its region engine, and what it gets back (GreptimeDB
 * `store-api/src/region_request.rs`): requests are one discriminated union, so the datanode's
 * rpc can decode a request once and hand it over; results are plain data, and rows travel as
 * Arrow (`RecordBatch` in, `AsyncIterable<RecordBatch>` out of `scan`).
 *
 * Times in requests and statistics are in the region's time index unit, as `bigint`.
 */

import type { RecordBatch } from 'apache-arrow';
import type { RegionOptions } from '../manifest/index.ts';
import type { ColumnSchema, ColumnType, RegionSchema } from '../region-schema.ts';

/** Create a region (its manifest, in the object store) and open it here. */
export interface CreateRegionRequest {
  type: 'create';
  regionId: number;
  schema: RegionSchema;
  /** Typed options (`parseRegionOptions` turns the SQL spelling into these); default: defaults. */
  options?: RegionOptions;
}

/** Open an existing region from its manifest and replay its WAL entries here. */
export interface OpenRegionRequest {
  type: 'open';
  regionId: number;
}

/**
 * Close a region on this engine: running flushes and compactions finish, the memtable is
 * dropped (its rows are in this datanode's WAL, replayed if the region opens here again).
 */
export interface CloseRegionRequest {
  type: 'close';
  regionId: number;
}

/** Drop a region everywhere: manifest, SSTs, and its WAL entries here. */
export interface DropRegionRequest {
  type: 'drop';
  regionId: number;
}

/**
 * Insert (or overwrite, by primary key and time) the rows of `batch`. Columns are matched by
 * name; missing nullable columns are null. String tags may be `Utf8` or dictionaries.
 */
export interface PutRequest {
  type: 'put';
  regionId: number;
  batch: RecordBatch;
}

/** Delete the keys in `batch`: it needs the tag columns and the time index (others are ignored). */
export interface DeleteRequest {
  type: 'delete';
  regionId: number;
  batch: RecordBatch;
}

/** Write the memtable to an SST now; resolves when it is in the manifest. */
export interface FlushRegionRequest {
  type: 'flush';
  regionId: number;
}

/** Run time-window compaction (and TTL expiry) now; resolves when done. */
export interface CompactRegionRequest {
  type: 'compact';
  regionId: number;
}

/**
 * Remove every row (SSTs and memtable); schema and options stay. `truncateId` (metasrv's
 * procedure id) is recorded in the manifest and shown as the region's `lastTruncateId`.
 */
export interface TruncateRegionRequest {
  type: 'truncate';
  regionId: number;
  truncateId?: string;
}

/**
 * Region migration (docs/region-migration.md): the region refuses puts and deletes (retryable
 * RegionReadonly), then flushes; resolves when everything acknowledged is in the manifest.
 */
export interface DowngradeRegionRequest {
  type: 'downgrade';
  regionId: number;
}

/** A downgraded region takes writes again (a migration rolled back). */
export interface UpgradeRegionRequest {
  type: 'upgrade';
  regionId: number;
}

/** A column to add; `columnId` defaults to one above the highest the region has used. */
export type AddColumn = Omit<ColumnSchema, 'columnId'> & { columnId?: number };

/** A schema or options change. */
export type AlterKind =
  /**
   * Fields, or tags appended to the primary key; old rows read as the column's `defaultValue`
   * (null without one). A column without a default must be nullable.
   */
  | { kind: 'add_columns'; columns: AddColumn[] }
  /** Field columns to drop (tags and the time index cannot be dropped). */
  | { kind: 'drop_columns'; names: string[] }
  /**
   * New types for nullable field columns (same column ids). Nothing is rewritten: rows written
   * with an older type are cast when read (`file-column-adapter.ts`); a value that does not
   * convert reads as null.
   */
  | { kind: 'modify_column_types'; columns: { name: string; type: ColumnType }[] }
  /** Options to set (merged into the current ones); `unset` names typed keys to remove. */
  | { kind: 'set_options'; options: Partial<RegionOptions>; unset?: (keyof RegionOptions)[] };

/** ALTER: the region flushes first, so every SST and WAL entry after it has the new schema. */
export type AlterRegionRequest = { type: 'alter'; regionId: number } & AlterKind;

/** Everything `RegionEngine.handle` accepts; `type` tells which. */
export type RegionRequest =
  | CreateRegionRequest
  | OpenRegionRequest
  | CloseRegionRequest
  | DropRegionRequest
  | PutRequest
  | DeleteRequest
  | FlushRegionRequest
  | CompactRegionRequest
  | TruncateRegionRequest
  | AlterRegionRequest
  | DowngradeRegionRequest
  | UpgradeRegionRequest;

/** The request kinds, for routing and messages. */
export const regionRequestTypes = [
  'create',
  'open',
  'close',
  'drop',
  'put',
  'delete',
  'flush',
  'compact',
  'truncate',
  'alter',
  'downgrade',
  'upgrade',
] as const;

/** The answer to every request: rows written or deleted (0 for the others). */
export interface RegionResponse {
  affectedRows: number;
}

/** A comparison of one tag or field with a constant; predicates in a list are AND-ed. */
export type ScanPredicate =
  | {
      column: string;
      op: '=' | '!=' | '<' | '<=' | '>' | '>=';
      /** number, bigint (64-bit integers, timestamps), string, boolean; null never matches. */
      value: ScanValue;
    }
  | { column: string; op: 'in'; values: ScanValue[] };

/** A constant in a predicate. */
export type ScanValue = number | bigint | string | boolean;

/** What to read from a region. */
export interface ScanRequest {
  /** Columns to return, in this order; default every column in storage order. */
  projection?: readonly string[];
  /** Rows with `start <= time < end` (time index unit); either end may be left open. */
  timeRange?: { start?: bigint; end?: bigint };
  /** Conjunction of simple predicates: prunes SSTs and row groups, then filters rows. */
  predicates?: readonly ScanPredicate[];
  /** Rows per output batch at most. Default 8192. */
  batchRows?: number;
}

/** A region's counters (statistics are cheap: no I/O). */
export interface RegionStatistics {
  regionId: number;
  /** Rows in memtables plus rows in SSTs (versions and tombstones counted until compacted away). */
  rows: number;
  memtableRows: number;
  /** Bytes held by the mutable and frozen memtables. */
  memtableBytes: number;
  sstCount: number;
  sstBytes: number;
  sstRows: number;
  /** This datanode's WAL position: the last entry id it assigned. */
  walLastEntryId: number;
  /** WAL entries up to this id are in SSTs (from the manifest). */
  flushedEntryId: number;
  flushedSequence: number;
  /** The next write's sequence. */
  nextSequence: number;
  manifestVersion: number;
  schemaVersion: number;
  /** The `truncateId` of the region's last TRUNCATE, when it named one. */
  lastTruncateId?: string;
}
