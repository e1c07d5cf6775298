/** `information_schema.ssts_storage`: SST files in object storage; not reported by Tessera's storage yet, so no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const sstsStorageTable = emptyTable(
  'ssts_storage',
  38,
  systemColumns('file_path String', 'file_size UInt64?', 'last_modified_ms TimestampMillisecond?', 'node_id UInt64?'),
);
