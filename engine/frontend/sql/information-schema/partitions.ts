/**
 * `information_schema.partitions`: one row per region of each user table (`p0`, `p1`, ...),
 * with the region id as `greptime_partition_id`, the partition columns as the expression and
 * the region's rule expression as the description (NULL for a table without a rule).
 */
import { systemColumns } from './system-table.ts';
import type { SystemRow, SystemTable } from './system-table.ts';
import { tableRegions } from './table-regions.ts';

export const partitionsTable: SystemTable = {
  name: 'partitions',
  tableId: 28,
  columns: systemColumns(
    'table_catalog String',
    'table_schema String',
    'table_name String',
    'partition_name String',
    'subpartition_name String?',
    'partition_ordinal_position Int64?',
    'subpartition_ordinal_position Int64?',
    'partition_method String?',
    'subpartition_method String?',
    'partition_expression String?',
    'subpartition_expression String?',
    'partition_description String?',
    'table_rows Int64?',
    'avg_row_length Int64?',
    'data_length Int64?',
    'max_data_length Int64?',
    'index_length Int64?',
    'data_free Int64?',
    'create_time TimestampSecond?',
    'update_time TimestampSecond?',
    'check_time TimestampSecond?',
    'checksum Int64?',
    'partition_comment String?',
    'nodegroup String?',
    'tablespace_name String?',
    'greptime_partition_id UInt64?',
  ),
  rows: async (context) => {
    const rows: SystemRow[] = [];
    const ordinals = new Map<number, number>();
    for (const { route, regionId, regionNumber } of await tableRegions(context)) {
      const { info } = route;
      const columns = info.partition?.columns ?? [];
      const ordinal = (ordinals.get(info.tableId) ?? 0) + 1;
      ordinals.set(info.tableId, ordinal);
      rows.push([
        info.catalog,
        info.schema,
        info.name,
        `p${ordinal - 1}`,
        null,
        ordinal,
        null,
        // GreptimeDB reports every partition rule as RANGE.
        'RANGE',
        null,
        columns.length > 0 ? columns.join(', ') : null,
        null,
        info.partition?.exprs[regionNumber] ?? null,
        null,
        null,
        null,
        null,
        null,
        null,
        Math.floor(info.createdAt / 1000),
        null,
        null,
        null,
        null,
        null,
        null,
        regionId,
      ]);
    }
    return rows;
  },
};
