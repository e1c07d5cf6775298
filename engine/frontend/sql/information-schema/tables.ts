/**
 * `information_schema.tables`: every table of the catalog, information_schema's own
 * included, as GreptimeDB lists them (sizes and row counts are 0 until region statistics
 * reach the frontend).
 */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

/** GreptimeDB's `create_options`: `key=value` pairs separated by spaces. */
export function createOptionsText(options: Record<string, string>): string {
  return Object.entries(options)
    .filter(([key]) => key !== 'comment' && key !== 'engine')
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

export const tablesTable: SystemTable = {
  name: 'tables',
  tableId: 3,
  columns: systemColumns(
    'table_catalog String',
    'table_schema String',
    'table_name String',
    'table_type String',
    'table_id UInt32?',
    'data_length UInt64?',
    'max_data_length UInt64?',
    'index_length UInt64?',
    'max_index_length UInt64?',
    'avg_row_length UInt64?',
    'engine String?',
    'version UInt64?',
    'row_format String?',
    'table_rows UInt64?',
    'data_free UInt64?',
    'auto_increment UInt64?',
    'create_time TimestampSecond?',
    'update_time TimestampSecond?',
    'check_time TimestampSecond?',
    'table_collation String?',
    'checksum UInt64?',
    'create_options String?',
    'table_comment String?',
    'temporary String?',
  ),
  rows: async (context) =>
    (await context.catalogTables()).map((table) => {
      const seconds = Math.floor(table.createdAt / 1000);
      return [
        table.catalog,
        table.schema,
        table.name,
        table.tableType,
        table.tableId,
        0,
        0,
        0,
        0,
        0,
        table.engine,
        // MariaDB's default table version, as GreptimeDB reports.
        11,
        'Fixed',
        0,
        0,
        0,
        seconds,
        seconds,
        null,
        'utf8_bin',
        0,
        createOptionsText(table.options),
        table.options.comment ?? null,
        table.tableType === 'LOCAL TEMPORARY' ? 'Y' : 'N',
      ];
    }),
};
