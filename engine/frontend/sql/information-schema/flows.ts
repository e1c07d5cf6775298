/** `information_schema.flows`: Flows (continuous aggregations); Tessera runs no flownode, so no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const flowsTable = emptyTable(
  'flows',
  33,
  systemColumns(
    'flow_name String',
    'flow_id UInt32',
    'state_size UInt64?',
    'table_catalog String',
    'flow_definition String',
    'comment String?',
    'expire_after Int64?',
    'source_table_ids String?',
    'sink_table_name String',
    'flownode_ids String?',
    'options String?',
    'created_time TimestampMillisecond',
    'updated_time TimestampMillisecond',
    'last_execution_time TimestampMillisecond?',
    'source_table_names String?',
    'flownode_addrs String?',
  ),
);
