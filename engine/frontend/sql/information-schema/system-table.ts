/**
 * What every `information_schema` (and `greptime_private`) table is made of: GreptimeDB's
 * columns with their GreptimeDB type names (what `information_schema.columns` and DESC report
 * for them) and a function that builds the rows for one statement from `SystemContext`.
 * Tables are built per statement, so they always show metasrv's current state.
 */
import { memoryTable } from '../../../query/index.ts';
import type { MemoryTable, SqlType } from '../../../query/index.ts';
import type { NodeInfo, ProcedureSummaryWire, TableRoute, WireRegionStatistics } from '../../../rpc/index.ts';
import type { CatalogTable } from './catalog-tables.ts';

/** GreptimeDB's type names for system columns. */
export type SystemColumnType =
  | 'String'
  | 'Boolean'
  | 'Int16'
  | 'Int32'
  | 'Int64'
  | 'Float64'
  | 'UInt8'
  | 'UInt32'
  | 'UInt64'
  | 'Binary'
  | 'DurationMillisecond'
  | 'TimestampSecond'
  | 'TimestampMillisecond'
  | 'TimestampMicrosecond'
  | 'TimestampNanosecond';

export interface SystemColumn {
  name: string;
  type: SystemColumnType;
  nullable: boolean;
}

export type SystemValue = number | string | boolean | null;
export type SystemRow = SystemValue[];

/** A statement that is running on this frontend (`process_list`, SHOW PROCESSLIST). */
export interface RunningStatement {
  id: string;
  catalog: string;
  database: string;
  query: string;
  client: string;
  frontend: string;
  startedAt: number;
}

/** What the system tables read, fetched lazily and at most once per statement. */
export interface SystemContext {
  catalog: string;
  /** Epoch ms when the statement started. */
  now: number;
  /** When this frontend started (create time of the system tables). */
  startedAt: number;
  /** Every user table of the catalog with its region peers (one metasrv call). */
  tables(): Promise<TableRoute[]>;
  /** The catalog's databases, without the system ones. */
  databases(): Promise<string[]>;
  clusterNodes(): Promise<NodeInfo[]>;
  /** Every table of the catalog, system tables included (`catalog-tables.ts`). */
  catalogTables(): Promise<CatalogTable[]>;
  runningStatements(): Promise<RunningStatement[]>;
  /** metasrv's DDL procedures: the last finished ones it remembers, then the running ones. */
  procedures(): Promise<ProcedureSummaryWire[]>;
  /** The counters of every region open on an alive datanode, by region id (asked of the datanodes). */
  regionStatistics(): Promise<Map<number, WireRegionStatistics>>;
}

export interface SystemTable {
  name: string;
  /** GreptimeDB's fixed id for the table (`information_schema.tables.table_id`). */
  tableId: number;
  columns: SystemColumn[];
  rows(context: SystemContext): Promise<SystemRow[]> | SystemRow[];
}

/**
 * Columns from `name Type` specs; a trailing `?` on the type marks the column nullable
 * (`peer_addr String?`).
 */
export function systemColumns(...specs: string[]): SystemColumn[] {
  return specs.map((spec) => {
    const [name = '', written = ''] = spec.trim().split(/\s+/);
    const nullable = written.endsWith('?');
    return { name, type: (nullable ? written.slice(0, -1) : written) as SystemColumnType, nullable };
  });
}

/** `n` String columns that are not nullable, the shape of MySQL's unused tables. */
export function stringColumns(...names: string[]): SystemColumn[] {
  return names.map((name) => ({ name, type: 'String', nullable: false }));
}

const engineTypes: Record<SystemColumnType, SqlType> = {
  String: 'Utf8',
  Boolean: 'Boolean',
  Int16: 'Int16',
  Int32: 'Int32',
  Int64: 'Int64',
  Float64: 'Float64',
  UInt8: 'UInt8',
  UInt32: 'UInt32',
  UInt64: 'UInt64',
  // The query engine has no binary or duration type: binary columns hold no rows today, and
  // durations are shown as GreptimeDB's HTTP API shows them (ISO 8601, `PT0.005S`).
  Binary: 'Utf8',
  DurationMillisecond: 'Utf8',
  TimestampSecond: 'Timestamp(Second, None)',
  TimestampMillisecond: 'Timestamp(Millisecond, None)',
  TimestampMicrosecond: 'Timestamp(Microsecond, None)',
  TimestampNanosecond: 'Timestamp(Nanosecond, None)',
};

/** The table's rows as a query engine table. Timestamps are numbers in the column's unit. */
export function systemMemoryTable(columns: SystemColumn[], rows: SystemRow[]): MemoryTable {
  return memoryTable(
    columns.map((column, index) => ({
      name: column.name,
      type: engineTypes[column.type],
      values: rows.map((row) => row[index] ?? null),
      nullable: column.nullable,
    })),
  );
}

export async function buildSystemTable(table: SystemTable, context: SystemContext): Promise<MemoryTable> {
  return systemMemoryTable(table.columns, await table.rows(context));
}

/** A table that holds no rows in GreptimeDB either (MySQL compatibility). */
export function emptyTable(name: string, tableId: number, columns: SystemColumn[]): SystemTable {
  return { name, tableId, columns, rows: () => [] };
}
