/** DESC TABLE of an information_schema table: its columns, all FIELDs, none a key. */
import type { SqlOutput } from '../../http/handle-sql.ts';
import type { SystemTable } from './system-table.ts';

export function describeSystemTable(table: SystemTable): SqlOutput {
  const names = ['Column', 'Type', 'Key', 'Null', 'Default', 'Semantic Type'];
  const rows = table.columns.map((column) => [
    column.name,
    column.type,
    '',
    column.nullable ? 'YES' : 'NO',
    '',
    'FIELD',
  ]);
  return {
    records: {
      schema: { column_schemas: names.map((name) => ({ name, data_type: 'String' })) },
      rows,
      total_rows: rows.length,
    },
  };
}
