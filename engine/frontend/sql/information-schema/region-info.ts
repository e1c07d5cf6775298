/**
 * `information_schema.region_info`: each region's identity, role and options. Sequences and
 * manifest versions are 0: datanodes do not report them to the frontend yet.
 */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';
import { tableRegions } from './table-regions.ts';

export const regionInfoTable: SystemTable = {
  name: 'region_info',
  tableId: 41,
  columns: systemColumns(
    'region_id UInt64',
    'table_id UInt32',
    'region_number UInt32',
    'region_group UInt8',
    'region_sequence UInt32',
    'state String',
    'role String',
    'writable Boolean',
    'committed_sequence UInt64',
    'flushed_sequence UInt64?',
    'manifest_version UInt64',
    'compaction_time_window String?',
    'region_options String',
    'sst_format String',
    'node_id UInt64?',
  ),
  rows: async (context) =>
    (await tableRegions(context)).map(({ route, regionId, regionNumber, peer }) => {
      const options = route.info.options;
      return [
        regionId,
        route.info.tableId,
        regionNumber,
        0,
        regionNumber,
        'Leader(Writable)',
        'Leader',
        true,
        0,
        null,
        0,
        options['compaction.twcs.time_window'] ?? null,
        JSON.stringify(options),
        options.sst_format ?? 'primary_key',
        peer?.nodeId ?? null,
      ];
    }),
};
