/** `information_schema.optimizer_trace`: MySQL's optimizer trace; no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const optimizerTraceTable = emptyTable(
  'optimizer_trace',
  17,
  systemColumns(
    'query String',
    'trace String',
    'missing_bytes_beyond_max_mem_size Int64',
    'insufficient_privileges Int64',
  ),
);
