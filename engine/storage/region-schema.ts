/**
 * The table model a region stores (DESIGN §4): tag columns (the primary key, in order),
 * exactly one time index, and field columns. Shared by the WAL payloads, memtables, SSTs,
 * the manifest and the region engine's requests.
 *
 * Region ids are numbers: `tableId * 2**32 + regionNumber` (GreptimeDB's `(table_id << 32) |
 * region_number`), exact while table ids stay below 2**21.
 */

export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

/** A column's logical type; each maps to one Arrow type (see `arrowTypeOf` when it exists). */
export type ColumnType =
  | { kind: 'boolean' }
  | { kind: 'int8' }
  | { kind: 'int16' }
  | { kind: 'int32' }
  | { kind: 'int64' }
  | { kind: 'uint8' }
  | { kind: 'uint16' }
  | { kind: 'uint32' }
  | { kind: 'uint64' }
  | { kind: 'float32' }
  | { kind: 'float64' }
  | { kind: 'string' }
  | { kind: 'binary' }
  /** Days since the epoch. */
  | { kind: 'date' }
  | { kind: 'timestamp'; unit: TimeUnit }
  | { kind: 'decimal128'; precision: number; scale: number };

/** The role a column plays: part of the primary key, the time index, or a value. */
export type SemanticType = 'tag' | 'timestamp' | 'field';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  semantic: SemanticType;
  nullable: boolean;
  /** Stable across renames and drops; SSTs refer to columns by id. */
  columnId: number;
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
