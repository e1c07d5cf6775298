/** `pg_catalog.pg_auth_members`: role memberships; there are no roles. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgAuthMembersTable = emptyTable(
  'pg_auth_members',
  276,
  systemColumns(
    'oid Int32',
    'roleid Int32',
    'member Int32',
    'grantor Int32',
    'admin_option Boolean',
    'inherit_option Boolean',
    'set_option Boolean',
  ),
);
