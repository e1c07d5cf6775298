/** `information_schema.schemata`: the catalog's databases, system ones included. */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

/** The databases every catalog has besides the ones users create. */
export const systemDatabases = ['greptime_private', 'information_schema'];

export const schemataTable: SystemTable = {
  name: 'schemata',
  tableId: 15,
  columns: systemColumns(
    'catalog_name String',
    'schema_name String',
    'default_character_set_name String',
    'default_collation_name String',
    'sql_path String?',
    'options String?',
  ),
  rows: async (context) => {
    const names = new Set([...systemDatabases, ...(await context.databases())]);
    return [...names].sort().map((name) => [context.catalog, name, 'utf8', 'utf8_bin', null, '']);
  },
};
