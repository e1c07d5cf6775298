/**
 * The table model a region stores (DESIGN §4): tag columns (the primary key, in order),
 * exactly one time index, and field columns. Shared by the WAL payloads, memtables, SSTs,
 * the manifest and the region engine's requests.
 *
 * Region ids are numbers: `tableId * 2**32 + regionNumber` (GreptimeDB's `(table_id << 32) |
 * region_number`), exact while table ids stay below 2**21.
 */

// The column types live in engine/common, shared with the frontend and the query engine.
import type { ColumnType } from '../common/index.ts';
export type { ColumnType, TimeUnit } from '../common/index.ts';

/** The role a column plays: part of the primary key, the time index, or a value. */
export type SemanticType = 'tag' | 'timestamp' | 'field';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  semantic: SemanticType;
  nullable: boolean;
  /** Stable across renames and drops; SSTs refer to columns by id. */
  columnId: number;
  /**
   * What rows written before the column existed read as (a column added by ALTER with a
   * DEFAULT): the constant as text in the column's type (`42`, `true`, `idc`; 64-bit integers,
   * timestamps in the column's unit and dates in days as decimal text). Absent: null.
   */
  defaultValue?: string;
}

export interface RegionSchema {
  /** Tags first in primary-key order, then the time index, then fields (storage order). */
  columns: ColumnSchema[];
  /** Bumped by every alter; an SST records the version it was written with. */
  version: number;
}

export function makeRegionId(tableId: number, regionNumber: number): number {
  return tableId * 2 ** 32 + regionNumber;
}

export function tableIdOf(regionId: number): number {
  return Math.floor(regionId / 2 ** 32);
}

export function regionNumberOf(regionId: number): number {
  return regionId % 2 ** 32;
}
