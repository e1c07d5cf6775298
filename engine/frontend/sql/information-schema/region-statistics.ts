/**
 * `information_schema.region_statistics`: one row per region. Sizes and row counts are 0:
 * datanodes do not report per-region statistics to the frontend yet.
 */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';
import { tableRegions } from './table-regions.ts';

export const regionStatisticsTable: SystemTable = {
  name: 'region_statistics',
  tableId: 35,
  columns: systemColumns(
    'region_id UInt64',
    'table_id UInt32',
    'region_number UInt32',
    'region_rows UInt64?',
    'written_bytes_since_open UInt64?',
    'query_cpu_time_millis UInt64?',
    'query_scanned_bytes UInt64?',
    'disk_size UInt64?',
    'memtable_size UInt64?',
    'manifest_size UInt64?',
    'sst_size UInt64?',
    'sst_num UInt64?',
    'index_size UInt64?',
    'engine String?',
    'region_role String?',
  ),
  rows: async (context) =>
    (await tableRegions(context)).map(({ route, regionId, regionNumber }) => [
      regionId,
      route.info.tableId,
      regionNumber,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      route.info.options.engine ?? 'mito',
      'Leader',
    ]),
};
