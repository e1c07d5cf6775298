/** SHOW TABLES and DESC TABLE, with GreptimeDB's column names and values. */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { listTables } from '../../rpc/index.ts';
import type { DescribeTable, ShowTables } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { numbersTableName } from './numbers-table.ts';
import { greptimeColumnTypeName } from './column-types.ts';
import { defaultCatalog, requireTable, resolveTableName } from './table-catalog.ts';
import type { TableContext } from './table-catalog.ts';

export function stringRecords(names: string[], rows: string[][]): SqlOutput {
  return {
    records: {
      schema: { column_schemas: names.map((name) => ({ name, data_type: 'String' })) },
      rows,
      total_rows: rows.length,
    },
  };
}

/** SQL LIKE (`%`, `_`, backslash escapes) as a RegExp, case-sensitive as GreptimeDB's. */
export function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (char === '%') source += '[\\s\\S]*';
    else if (char === '_') source += '[\\s\\S]';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export async function runShowTables(
  statement: ShowTables,
  context: TableContext,
  database: string,
): Promise<SqlOutput> {
  const schema = statement.database?.value ?? database;
  if (statement.filter?.kind === 'where') {
    throw new TesseraError(ErrorCode.Unsupported, 'SHOW TABLES WHERE is not supported yet; SHOW TABLES LIKE is');
  }
  let { names } = await context.metasrv.call(listTables, { catalog: defaultCatalog, schema }, { deadlineMs: 10_000 });
  if (schema === 'public' && !names.includes(numbersTableName)) names = [...names, numbersTableName].sort();
  if (statement.filter?.kind === 'like') {
    const pattern = likePattern(statement.filter.pattern);
    names = names.filter((name) => pattern.test(name));
  }
  const column = `Tables_in_${schema}`;
  return statement.full
    ? stringRecords(
        [column, 'Table_type'],
        names.map((name) => [name, 'BASE TABLE']),
      )
    : stringRecords(
        [column],
        names.map((name) => [name]),
      );
}

export async function runDescribeTable(
  statement: DescribeTable,
  context: TableContext,
  database: string,
): Promise<SqlOutput> {
  const written = statement.name.parts.map((part) => part.text).join('.');
  const { info } = await requireTable(context, resolveTableName(statement.name, database), written);
  const columns = new Map(info.regionSchema.columns.map((column) => [column.name, column]));
  const rows = info.columnOrder.map((name) => {
    const column = columns.get(name)!;
    return [
      name,
      greptimeColumnTypeName(column.type),
      column.semantic === 'field' ? '' : 'PRI',
      column.nullable ? 'YES' : 'NO',
      info.defaults?.[name] ?? '',
      column.semantic.toUpperCase(),
    ];
  });
  return stringRecords(['Column', 'Type', 'Key', 'Null', 'Default', 'Semantic Type'], rows);
}
