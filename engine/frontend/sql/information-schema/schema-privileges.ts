/** `information_schema.schema_privileges`: Database grants; no rows (no privilege system). */
import { emptyTable, stringColumns } from './system-table.ts';

export const schemaPrivilegesTable = emptyTable(
  'schema_privileges',
  22,
  stringColumns('grantee', 'table_catalog', 'table_schema', 'privilege_type', 'is_grantable'),
);
