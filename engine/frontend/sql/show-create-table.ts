/**
 * SHOW CREATE TABLE in GreptimeDB's format: every name double-quoted, each column with its
 * SQL type and NULL / NOT NULL (and DEFAULT), then TIME INDEX and PRIMARY KEY, the engine,
 * and the table options as `WITH(...)` sorted by key. Built from the TableInfo metasrv keeps,
 * so it shows what the table is, not how the CREATE was spelled.
 */
import type { ShowCreate } from '../../sql/index.ts';
import type { TableInfo } from '../../rpc/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import type { WireColumnType } from './column-types.ts';
import { isInternalColumn } from './metric-tables.ts';
import { stringRecords } from './show-statements.ts';
import { withClauseText } from './table-options.ts';
import { requireTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

const sqlTypeNames: Partial<Record<WireColumnType['kind'], string>> = {
  boolean: 'BOOLEAN',
  int8: 'TINYINT',
  int16: 'SMALLINT',
  int32: 'INT',
  int64: 'BIGINT',
  uint8: 'TINYINT UNSIGNED',
  uint16: 'SMALLINT UNSIGNED',
  uint32: 'INT UNSIGNED',
  uint64: 'BIGINT UNSIGNED',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  string: 'STRING',
  binary: 'VARBINARY',
  date: 'DATE',
};

const precisionOfUnit = { s: 0, ms: 3, us: 6, ns: 9 } as const;

/** The SQL spelling GreptimeDB prints for a column type (`TIMESTAMP(3)`, `INT UNSIGNED`). */
export function sqlTypeName(type: WireColumnType): string {
  if (type.kind === 'timestamp') return `TIMESTAMP(${precisionOfUnit[type.unit]})`;
  if (type.kind === 'decimal128') return `DECIMAL(${type.precision}, ${type.scale})`;
  return sqlTypeNames[type.kind] ?? type.kind.toUpperCase();
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The CREATE TABLE text of a table as GreptimeDB prints it. */
export function createTableText(info: TableInfo): string {
  const columns = new Map(info.regionSchema.columns.map((column) => [column.name, column]));
  const shown = info.columnOrder.filter((name) => !isInternalColumn(name));
  const lines = shown.map((name) => {
    const column = columns.get(name)!;
    const defaultText = info.defaults?.[name];
    const comment = info.columnComments?.[name];
    const index = info.columnIndexes?.[name];
    return `  ${quoted(name)} ${sqlTypeName(column.type)} ${column.nullable ? 'NULL' : 'NOT NULL'}${
      defaultText === undefined ? '' : ` DEFAULT ${defaultText}`
    }${comment === undefined ? '' : ` COMMENT '${comment.replace(/'/g, "''")}'`}${index === undefined ? '' : ` ${index}`}`;
  });
  const timeIndex = info.regionSchema.columns.find((column) => column.semantic === 'timestamp');
  if (timeIndex) lines.push(`  TIME INDEX (${quoted(timeIndex.name)})`);
  const tags = shown.filter((name) => columns.get(name)?.semantic === 'tag');
  if (tags.length > 0) lines.push(`  PRIMARY KEY (${tags.map(quoted).join(', ')})`);
  const text = `CREATE TABLE IF NOT EXISTS ${quoted(info.name)} (\n${lines.join(',\n')}\n)\n\nENGINE=${info.engine ?? 'mito'}\n`;
  return text + withClauseText(info.options);
}

export async function runShowCreateTable(
  statement: ShowCreate,
  context: TableContext,
  database: string,
): Promise<SqlOutput> {
  const written = statement.name.parts.map((part) => part.text).join('.');
  const { info } = await requireTable(context, resolveTableName(statement.name, database), written);
  return stringRecords(['Table', 'Create Table'], [[info.name, createTableText(info)]]);
}
