/**
 * `information_schema.region_statistics`: one row per region, with the counters its datanode
 * reports now (rows, memtable and SST sizes, SST count; asked of the datanodes per statement).
 * A region not open anywhere (its datanode down) shows NULLs. GreptimeDB's disk size is the
 * SSTs plus the manifest and index files; Tessera counts the SSTs (its manifest size is not
 * tracked). A region handing over in a migration is a `DowngradingLeader`.
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
  rows: async (context) => {
    const [regions, statistics] = await Promise.all([tableRegions(context), context.regionStatistics()]);
    return regions.map(({ route, regionId, regionNumber }) => {
      const counters = statistics.get(regionId);
      const peer = route.peers.find((candidate) => candidate.regionId === regionId);
      return [
        regionId,
        route.info.tableId,
        regionNumber,
        counters?.rows ?? null,
        0,
        0,
        0,
        counters ? counters.sstBytes : null,
        counters?.memtableBytes ?? null,
        counters ? 0 : null,
        counters?.sstBytes ?? null,
        counters?.sstCount ?? null,
        counters ? 0 : null,
        route.info.options.engine ?? 'mito',
        peer?.downgraded ? 'DowngradingLeader' : 'Leader',
      ];
    });
  },
};
