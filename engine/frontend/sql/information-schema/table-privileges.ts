/** `information_schema.table_privileges`: Table grants; no rows (no privilege system). */
import { emptyTable, stringColumns } from './system-table.ts';

export const tablePrivilegesTable = emptyTable(
  'table_privileges',
  23,
  stringColumns('grantee', 'table_catalog', 'table_schema', 'table_name', 'privilege_type', 'is_grantable'),
);
