/** `information_schema.views`: the views of the catalog, each with its CREATE VIEW text. */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

export const viewsTable: SystemTable = {
  name: 'views',
  tableId: 32,
  columns: systemColumns(
    'table_catalog String',
    'table_schema String',
    'table_name String',
    'view_definition String',
    'check_option String?',
    'is_updatable String?',
    'definer String?',
    'security_type String?',
    'character_set_client String?',
    'collation_connection String?',
  ),
  rows: async (context) =>
    (await context.tables())
      .filter(({ info }) => info.kind === 'view')
      .map(({ info }) => [
        info.catalog,
        info.schema,
        info.name,
        info.viewCreateText ?? info.viewDefinition ?? '',
        null,
        null,
        null,
        null,
        'utf8',
        'utf8_bin',
      ]),
};
