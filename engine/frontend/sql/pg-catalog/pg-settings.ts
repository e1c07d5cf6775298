/**
 * `pg_catalog.pg_settings`: the one setting GreptimeDB reports, `standard_conforming_strings`
 * (drivers check it before escaping literals).
 */
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemTable } from '../information-schema/system-table.ts';

export const pgSettingsTable: SystemTable = {
  name: 'pg_settings',
  tableId: 318,
  columns: systemColumns(
    'name String?',
    'setting String?',
    'unit String?',
    'category String?',
    'short_desc String?',
    'extra_desc String?',
    'context String?',
    'vartype String?',
    'source String?',
    'min_val String?',
    'max_val String?',
    'enumvals String?',
    'boot_val String?',
    'reset_val String?',
    'sourcefile String?',
    'sourceline Int32?',
    'pending_restart Boolean?',
  ),
  rows: () => [['standard_conforming_strings', 'on', ...new Array<null>(15).fill(null)]],
};
