/** `information_schema.collations`: utf8_bin is the one collation, as in GreptimeDB. */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

export const collationsTable: SystemTable = {
  name: 'collations',
  tableId: 10,
  columns: systemColumns(
    'collation_name String',
    'character_set_name String',
    'id Int64',
    'is_default String',
    'is_compiled String',
    'sortlen Int64',
  ),
  rows: () => [['utf8_bin', 'utf8', 1, 'Yes', 'Yes', 1]],
};
