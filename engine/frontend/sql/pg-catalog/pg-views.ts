/** `pg_catalog.pg_views`: empty, as in GreptimeDB (views are listed by pg_class with kind `v`). */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgViewsTable = emptyTable(
  'pg_views',
  321,
  systemColumns('schemaname String?', 'viewname String?', 'viewowner String?', 'definition String?'),
);
