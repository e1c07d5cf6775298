/** `information_schema.table_constraints`: each table's TIME INDEX and PRIMARY KEY constraints. */
import { stringColumns } from './system-table.ts';
import type { SystemRow, SystemTable } from './system-table.ts';

export const tableConstraintsTable: SystemTable = {
  name: 'table_constraints',
  tableId: 30,
  columns: stringColumns(
    'constraint_catalog',
    'constraint_schema',
    'constraint_name',
    'table_schema',
    'table_name',
    'constraint_type',
    'enforced',
  ),
  rows: async (context) => {
    const rows: SystemRow[] = [];
    for (const table of await context.catalogTables()) {
      if (table.columns.some((column) => column.semantic === 'TIMESTAMP')) {
        rows.push(['def', table.schema, 'TIME INDEX', table.schema, table.name, 'TIME INDEX', 'YES']);
      }
      if (table.columns.some((column) => column.semantic === 'TAG')) {
        rows.push(['def', table.schema, 'PRIMARY', table.schema, table.name, 'PRIMARY KEY', 'YES']);
      }
    }
    return rows;
  },
};
