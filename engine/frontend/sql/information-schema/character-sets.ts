/** `information_schema.character_sets`: utf8 is the one character set, as in GreptimeDB. */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

export const characterSetsTable: SystemTable = {
  name: 'character_sets',
  tableId: 9,
  columns: systemColumns(
    'character_set_name String',
    'default_collate_name String',
    'description String',
    'maxlen Int64',
  ),
  rows: () => [['utf8', 'utf8_bin', 'UTF-8 Unicode', 4]],
};
