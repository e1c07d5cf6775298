/**
 * `information_schema.key_column_usage`: the time index and primary key columns of every
 * table, in column order, as GreptimeDB lists them (MySQL's `def` catalog, the real one in
 * `real_table_catalog`; primary keys use the dense encoding).
 */
import { systemColumns } from './system-table.ts';
import type { SystemRow, SystemTable } from './system-table.ts';

export const keyColumnUsageTable: SystemTable = {
  name: 'key_column_usage',
  tableId: 16,
  columns: systemColumns(
    'constraint_catalog String',
    'constraint_schema String',
    'constraint_name String',
    'table_catalog String',
    'real_table_catalog String',
    'table_schema String',
    'table_name String',
    'column_name String',
    'ordinal_position UInt32',
    'position_in_unique_constraint UInt32?',
    'referenced_table_schema String?',
    'referenced_table_name String?',
    'referenced_column_name String?',
    'greptime_index_type String?',
  ),
  rows: async (context) => {
    const rows: SystemRow[] = [];
    const row = (
      table: { catalog: string; schema: string; name: string },
      constraint: string,
      column: string,
      position: number,
      indexType: string,
    ): SystemRow => [
      'def',
      table.schema,
      constraint,
      'def',
      table.catalog,
      table.schema,
      table.name,
      column,
      position,
      null,
      null,
      null,
      null,
      indexType,
    ];
    for (const table of await context.catalogTables()) {
      for (const column of table.columns) {
        if (column.semantic === 'TIMESTAMP') rows.push(row(table, 'TIME INDEX', column.name, 1, ''));
        const keySeq = table.primaryKey.indexOf(column.name);
        if (keySeq >= 0) rows.push(row(table, 'PRIMARY', column.name, keySeq + 1, 'dense'));
      }
    }
    return rows;
  },
};
