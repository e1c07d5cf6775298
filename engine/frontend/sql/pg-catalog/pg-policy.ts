/** `pg_catalog.pg_policy`: row-level security policies; Tessera has none. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgPolicyTable = emptyTable(
  'pg_policy',
  298,
  systemColumns(
    'oid Int32',
    'polname String',
    'polrelid Int32',
    'polcmd String',
    'polpermissive Boolean',
    'polroles String',
    'polqual String?',
    'polwithcheck String?',
  ),
);
