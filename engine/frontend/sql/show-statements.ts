/**
 * DESC TABLE with GreptimeDB's column names and values, and the helpers other SHOW statements
 * share (SHOW TABLES and the other information_schema-backed SHOWs are in show-queries.ts).
 */
import type { DescribeTable } from '../../sql/index.ts';
import type { SqlOutput } from '../http/handle-sql.ts';
import { greptimeColumnTypeName } from './column-types.ts';
import { requireTable, resolveTableName } from './table-catalog.ts';
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

/** A DEFAULT as DESC shows it: a string constant without its quotes, as GreptimeDB prints the value. */
function defaultShown(text: string | undefined): string {
  if (text === undefined) return '';
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  return quoted ? quoted[1]!.replace(/''/g, "'") : text;
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
      defaultShown(info.defaults?.[name]),
      column.semantic.toUpperCase(),
    ];
  });
  return stringRecords(['Column', 'Type', 'Key', 'Null', 'Default', 'Semantic Type'], rows);
}
