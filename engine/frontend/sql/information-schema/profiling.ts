/** `information_schema.profiling`: MySQL's statement profiling; no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const profilingTable = emptyTable(
  'profiling',
  19,
  systemColumns(
    'query_id Int64',
    'seq Int64',
    'state String',
    'duration Int64',
    'cpu_user Int64',
    'cpu_system Int64',
    'context_voluntary Int64',
    'context_involuntary Int64',
    'block_ops_in Int64',
    'block_ops_out Int64',
    'messages_sent Int64',
    'messages_received Int64',
    'page_faults_major Int64',
    'page_faults_minor Int64',
    'swaps Int64',
    'source_function String',
    'source_file String',
    'source_line Int64',
  ),
);
