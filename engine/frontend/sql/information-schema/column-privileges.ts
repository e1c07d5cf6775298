/** `information_schema.column_privileges`: MySQL's column grants; no rows (no privilege system). */
import { emptyTable, stringColumns } from './system-table.ts';

export const columnPrivilegesTable = emptyTable(
  'column_privileges',
  6,
  stringColumns(
    'grantee',
    'table_catalog',
    'table_schema',
    'table_name',
    'column_name',
    'privilege_type',
    'is_grantable',
  ),
);
