/**
 * Decoded rows against table schemas: the schema a first write creates (tags, then the time
 * index, then fields, as GreptimeDB's auto-created tables), the columns a later write adds,
 * and the check that every decoded column fits the table's column of that name — a type or
 * tag/field conflict is refused naming the table, the column, where it first appeared in the
 * request and both types.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { TableInfo, WireRegionSchema } from '../../rpc/index.ts';
import { greptimeColumnTypeName } from '../sql/column-types.ts';
import type { WireColumnSchema, WireColumnType } from '../sql/column-types.ts';
import type { IngestColumn, IngestColumnKind, TableRows } from './table-rows.ts';

/** The table column type a decoded column becomes when it creates the column. */
export function columnTypeOfKind(kind: IngestColumnKind, timeUnit: 'ns' | 'ms'): WireColumnType {
  switch (kind) {
    case 'tag':
    case 'string':
      return { kind: 'string' };
    case 'float64':
      return { kind: 'float64' };
    case 'int64':
      return { kind: 'int64' };
    case 'uint64':
      return { kind: 'uint64' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'timestamp':
      return { kind: 'timestamp', unit: timeUnit };
  }
}

function columnSchemaOf(column: IngestColumn, timeUnit: 'ns' | 'ms', columnId: number): WireColumnSchema {
  const semantic = column.kind === 'tag' ? 'tag' : column.kind === 'timestamp' ? 'timestamp' : 'field';
  return {
    name: column.name,
    type: columnTypeOfKind(column.kind, timeUnit),
    semantic,
    nullable: semantic !== 'timestamp',
    columnId,
  };
}

/** Where the time index goes in `columnOrder` of a created table. */
export type TimeIndexPlacement = 'after-tags' | 'after-fields' | 'first';

/** The region schema and column order of a table created by its first write. */
export function createdTableSchema(
  rows: TableRows,
  placement: TimeIndexPlacement,
): { regionSchema: WireRegionSchema; columnOrder: string[] } {
  const tags = rows.columns.filter((column) => column.kind === 'tag');
  const fields = rows.columns.filter((column) => column.kind !== 'tag');
  const storage = [...tags, rows.timeColumn, ...fields];
  const columns = storage.map((column, index) => columnSchemaOf(column, rows.timeUnit, index));
  const names = (list: IngestColumn[]) => list.map((column) => column.name);
  const time = rows.timeColumn.name;
  const columnOrder =
    placement === 'first'
      ? [time, ...names(fields), ...names(tags)]
      : placement === 'after-fields'
        ? [...names(tags), ...names(fields), time]
        : [...names(tags), time, ...names(fields)];
  return { regionSchema: { version: 0, columns }, columnOrder };
}

function semanticName(semantic: WireColumnSchema['semantic']): string {
  return semantic === 'tag' ? 'tag' : semantic === 'timestamp' ? 'time index' : 'field';
}

/**
 * Checks every decoded column against the table's column of the same name and returns the
 * columns the table lacks (to add). The time index must be the table's.
 */
export function checkAgainstTable(rows: TableRows, info: TableInfo): IngestColumn[] {
  const byName = new Map(info.regionSchema.columns.map((column) => [column.name, column]));
  const time = info.regionSchema.columns.find((column) => column.semantic === 'timestamp');
  if (!time || time.name !== rows.timeColumn.name) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Table ${info.name} has time index ${time?.name ?? '(none)'}, but this protocol writes ${rows.timeColumn.name}`,
    );
  }
  const missing: IngestColumn[] = [];
  for (const column of rows.columns) {
    const existing = byName.get(column.name);
    if (!existing) {
      missing.push(column);
      continue;
    }
    const wantSemantic = column.kind === 'tag' ? 'tag' : 'field';
    const wantType = columnTypeOfKind(column.kind, rows.timeUnit);
    if (existing.semantic !== wantSemantic || existing.type.kind !== wantType.kind) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `${rows.unitName} ${column.firstSeenAt}: column ${column.name} of table ${info.name} is ${greptimeColumnTypeName(existing.type)} (${semanticName(existing.semantic)}), but this write gives ${greptimeColumnTypeName(wantType)} (${wantSemantic})`,
      );
    }
  }
  return missing;
}

/** The table's metadata with `added` columns appended (tags stay before the rest in storage order). */
export function withAddedColumns(info: TableInfo, added: IngestColumn[], timeUnit: 'ns' | 'ms'): TableInfo {
  const columns = info.regionSchema.columns;
  let nextId = Math.max(0, ...columns.map((column) => column.columnId)) + 1;
  const newColumns = added.map((column) => columnSchemaOf(column, timeUnit, nextId++));
  const tags = [...columns.filter((c) => c.semantic === 'tag'), ...newColumns.filter((c) => c.semantic === 'tag')];
  const rest = [...columns.filter((c) => c.semantic !== 'tag'), ...newColumns.filter((c) => c.semantic !== 'tag')];
  return {
    ...info,
    regionSchema: { version: info.regionSchema.version + 1, columns: [...tags, ...rest] },
    columnOrder: [...info.columnOrder, ...newColumns.map((column) => column.name)],
  };
}

/** The new column schemas of `withAddedColumns`, for the region alter. */
export function addedColumnSchemas(before: TableInfo, after: TableInfo): WireColumnSchema[] {
  const known = new Set(before.regionSchema.columns.map((column) => column.name));
  return after.regionSchema.columns.filter((column) => !known.has(column.name));
}
