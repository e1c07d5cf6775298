/** `pg_catalog.pg_tables`: the view of every relation pg_class lists, by schema and name, owned by `postgres`. */
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemTable } from '../information-schema/system-table.ts';

export const pgTablesTable: SystemTable = {
  name: 'pg_tables',
  tableId: 320,
  columns: systemColumns(
    'schemaname String',
    'tablename String',
    'tableowner String',
    'tablespace String?',
    'hasindex Boolean',
    'hasrules Boolean',
    'hastriggers Boolean',
    'rowsecurity Boolean',
  ),
  rows: async (context) =>
    (await context.catalogTables()).map((table) => [
      table.schema,
      table.name,
      'postgres',
      null,
      false,
      false,
      false,
      false,
    ]),
};
