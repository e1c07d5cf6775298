/** `information_schema.procedure_info`: metasrv's DDL procedures; Tessera's DDL is not procedure-based, so no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const procedureInfoTable = emptyTable(
  'procedure_info',
  34,
  systemColumns(
    'procedure_id String',
    'procedure_type String',
    'start_time TimestampMillisecond?',
    'end_time TimestampMillisecond?',
    'status String',
    'lock_keys String?',
  ),
);
