/** `information_schema.flow_statistics`: Statistics of flows (continuous aggregations); Tessera runs no flows, so no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const flowStatisticsTable = emptyTable(
  'flow_statistics',
  45,
  systemColumns(
    'flow_id UInt32',
    'flow_name String',
    'start_time TimestampMillisecond?',
    'last_execution_time TimestampMillisecond?',
    'uptime_seconds Int64?',
    'state_size UInt64?',
  ),
);
