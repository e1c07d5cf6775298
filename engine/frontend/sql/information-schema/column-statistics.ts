/** `information_schema.column_statistics`: MySQL's histogram statistics; no rows. */
import { emptyTable, stringColumns } from './system-table.ts';

export const columnStatisticsTable = emptyTable(
  'column_statistics',
  7,
  stringColumns('schema_name', 'table_name', 'column_name', 'histogram'),
);
