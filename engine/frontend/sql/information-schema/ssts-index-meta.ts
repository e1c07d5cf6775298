/** `information_schema.ssts_index_meta`: Index files of SSTs, per region; not reported by Tessera's storage yet, so no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const sstsIndexMetaTable = emptyTable(
  'ssts_index_meta',
  39,
  systemColumns(
    'table_dir String',
    'index_file_path String',
    'region_id UInt64',
    'table_id UInt32',
    'region_number UInt32',
    'region_group UInt8',
    'region_sequence UInt32',
    'file_id String',
    'index_file_size UInt64?',
    'index_type String',
    'target_type String',
    'target_key String',
    'target_json String',
    'blob_size UInt64',
    'meta_json String?',
    'node_id UInt64?',
  ),
);
