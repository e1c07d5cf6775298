/** `information_schema.ssts_manifest`: SST files in region manifests; not reported by Tessera's storage yet, so no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const sstsManifestTable = emptyTable(
  'ssts_manifest',
  37,
  systemColumns(
    'table_dir String',
    'region_id UInt64',
    'table_id UInt32',
    'region_number UInt32',
    'region_group UInt8',
    'region_sequence UInt32',
    'file_id String',
    'index_version UInt64',
    'level UInt8',
    'file_path String',
    'file_size UInt64',
    'index_file_path String?',
    'index_file_size UInt64?',
    'num_rows UInt64',
    'num_row_groups UInt64',
    'num_series UInt64?',
    'min_ts TimestampNanosecond?',
    'max_ts TimestampNanosecond?',
    'sequence UInt64?',
    'origin_region_id UInt64',
    'node_id UInt64?',
    'visible Boolean',
    'primary_key_min Binary?',
    'primary_key_max Binary?',
  ),
);
