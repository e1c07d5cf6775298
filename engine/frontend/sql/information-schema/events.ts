/** `information_schema.events`: MySQL's scheduled events; no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const eventsTable = emptyTable(
  'events',
  13,
  systemColumns(
    'event_catalog String',
    'event_schema String',
    'event_name String',
    'definer String',
    'time_zone String',
    'event_body String',
    'event_definition String',
    'event_type String',
    'execute_at TimestampMicrosecond',
    'interval_value Int64',
    'interval_field String',
    'sql_mode String',
    'starts TimestampMicrosecond',
    'ends TimestampMicrosecond',
    'status String',
    'on_completion String',
    'created TimestampMicrosecond',
    'last_altered TimestampMicrosecond',
    'last_executed TimestampMicrosecond',
    'event_comment String',
    'originator Int64',
    'character_set_client String',
    'collation_connection String',
    'database_collation String',
  ),
);
