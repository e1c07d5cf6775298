/**
 * Every table of the catalog described one way, for the listings of `information_schema`
 * (`tables`, `columns`, `key_column_usage`, `table_constraints`, `statistics`, ...): the
 * system tables (information_schema's own, as GreptimeDB lists them), `public.numbers`, and
 * the user tables metasrv holds (one `table.listRoutes` call per statement). Ordered by
 * database, then name.
 */
import type { TableRoute } from '../../../rpc/index.ts';
import { greptimeColumnTypeName } from '../column-types.ts';
import type { SystemColumn, SystemContext, SystemTable } from './system-table.ts';

export const informationSchemaName = 'information_schema';

export type SemanticType = 'TAG' | 'TIMESTAMP' | 'FIELD';

export interface CatalogColumn {
  name: string;
  /** GreptimeDB's type name: `String`, `Int64`, `TimestampMillisecond`, `Decimal(10, 2)`. */
  greptimeType: string;
  semantic: SemanticType;
  nullable: boolean;
  /** The DEFAULT as SQL text, when there is one. */
  defaultValue: string | null;
}

export interface CatalogTable {
  catalog: string;
  schema: string;
  name: string;
  tableId: number;
  tableType: 'BASE TABLE' | 'LOCAL TEMPORARY' | 'VIEW';
  engine: string;
  columns: CatalogColumn[];
  /** The primary key's columns in key order. */
  primaryKey: string[];
  /** Column → its index clause as SHOW CREATE TABLE prints it (`INVERTED INDEX`, `FULLTEXT INDEX WITH(...)`). */
  columnIndexes: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
  options: Record<string, string>;
  /** The user table's metadata and region peers (absent for system tables). */
  route?: TableRoute;
}

function systemCatalogTable(
  context: SystemContext,
  schema: string,
  table: { name: string; tableId: number; columns: SystemColumn[] },
): CatalogTable {
  return {
    catalog: context.catalog,
    schema,
    name: table.name,
    tableId: table.tableId,
    tableType: 'LOCAL TEMPORARY',
    engine: '',
    primaryKey: [],
    columnIndexes: {},
    columns: table.columns.map((column) => ({
      name: column.name,
      greptimeType: column.type,
      semantic: 'FIELD',
      nullable: column.nullable,
      defaultValue: null,
    })),
    createdAt: context.startedAt,
    options: {},
  };
}

const semanticNames: Record<'tag' | 'timestamp' | 'field', SemanticType> = {
  tag: 'TAG',
  timestamp: 'TIMESTAMP',
  field: 'FIELD',
};

export function userCatalogTable(route: TableRoute): CatalogTable {
  const { info } = route;
  const isView = info.kind === 'view';
  const byName = new Map(info.regionSchema.columns.map((column) => [column.name, column]));
  return {
    catalog: info.catalog,
    schema: info.schema,
    name: info.name,
    tableId: info.tableId,
    tableType: isView ? 'VIEW' : 'BASE TABLE',
    engine: isView ? '' : (info.engine ?? 'mito'),
    // The region schema keeps tags in primary key order.
    primaryKey: info.regionSchema.columns.filter((column) => column.semantic === 'tag').map((column) => column.name),
    columnIndexes: info.columnIndexes ?? {},
    // GreptimeDB lists no columns for a view.
    columns: (isView ? [] : info.columnOrder).flatMap((name) => {
      const column = byName.get(name);
      if (!column) return [];
      return [
        {
          name,
          greptimeType: greptimeColumnTypeName(column.type),
          semantic: semanticNames[column.semantic],
          nullable: column.nullable,
          defaultValue: info.defaults?.[name] ?? null,
        },
      ];
    }),
    createdAt: info.createdAt,
    options: info.options,
    route,
  };
}

/** `public.numbers` as GreptimeDB lists it (a test table with id 2). */
function numbersCatalogTable(context: SystemContext): CatalogTable {
  return {
    catalog: context.catalog,
    schema: 'public',
    name: 'numbers',
    tableId: 2,
    tableType: 'LOCAL TEMPORARY',
    engine: 'test_engine',
    primaryKey: ['number'],
    columnIndexes: {},
    columns: [{ name: 'number', greptimeType: 'UInt32', semantic: 'TAG', nullable: false, defaultValue: null }],
    createdAt: context.startedAt,
    options: {},
  };
}

/**
 * Every table of the catalog. `systemTables` are information_schema's own (passed in so this
 * file does not depend on the registry that depends on it).
 */
export async function catalogTables(
  context: SystemContext,
  systemTables: readonly SystemTable[],
): Promise<CatalogTable[]> {
  const all: CatalogTable[] = [
    ...systemTables.map((table) => systemCatalogTable(context, informationSchemaName, table)),
    numbersCatalogTable(context),
    ...(await context.tables()).map(userCatalogTable),
  ];
  return all.sort((a, b) => (a.schema === b.schema ? compare(a.name, b.name) : compare(a.schema, b.schema)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The key of a column in `columns.column_key` and DESC: `PRI` for tags, `TIME INDEX` for the time index. */
export function columnKey(semantic: SemanticType): string {
  return semantic === 'TAG' ? 'PRI' : semantic === 'TIMESTAMP' ? 'TIME INDEX' : '';
}

const sqlTypeNames: Record<string, string> = {
  String: 'string',
  Boolean: 'boolean',
  Int8: 'tinyint',
  Int16: 'smallint',
  Int32: 'int',
  Int64: 'bigint',
  UInt8: 'tinyint unsigned',
  UInt16: 'smallint unsigned',
  UInt32: 'int unsigned',
  UInt64: 'bigint unsigned',
  Float32: 'float',
  Float64: 'double',
  Date: 'date',
  Binary: 'varbinary',
  TimestampSecond: 'timestamp(0)',
  TimestampMillisecond: 'timestamp(3)',
  TimestampMicrosecond: 'timestamp(6)',
  TimestampNanosecond: 'timestamp(9)',
};

/** The SQL type name `columns.data_type` shows (`int unsigned`, `timestamp(3)`, `decimal(10,2)`). */
export function sqlTypeName(greptimeType: string): string {
  const decimal = /^Decimal\((\d+), ?(-?\d+)\)$/.exec(greptimeType);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  return sqlTypeNames[greptimeType] ?? greptimeType;
}

const integerPrecisions: Record<string, number> = {
  Int8: 3,
  UInt8: 3,
  Int16: 5,
  UInt16: 5,
  Int32: 10,
  UInt32: 10,
  Int64: 19,
  UInt64: 20,
};

/** `numeric_precision` and `numeric_scale` of a numeric column (null for others). */
export function numericPrecision(greptimeType: string): { precision: number | null; scale: number | null } {
  if (greptimeType in integerPrecisions) return { precision: integerPrecisions[greptimeType]!, scale: 0 };
  if (greptimeType === 'Float32') return { precision: 12, scale: null };
  if (greptimeType === 'Float64') return { precision: 22, scale: null };
  const decimal = /^Decimal\((\d+), ?(-?\d+)\)$/.exec(greptimeType);
  if (decimal) return { precision: Number(decimal[1]), scale: Number(decimal[2]) };
  return { precision: null, scale: null };
}

/** `datetime_precision` of a timestamp column. */
export function datetimePrecision(greptimeType: string): number | null {
  const precisions: Record<string, number> = {
    TimestampSecond: 0,
    TimestampMillisecond: 3,
    TimestampMicrosecond: 6,
    TimestampNanosecond: 9,
  };
  return precisions[greptimeType] ?? null;
}
