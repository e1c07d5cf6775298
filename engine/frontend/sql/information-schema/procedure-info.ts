/**
 * `information_schema.procedure_info`: metasrv's DDL procedures (`procedure.list`), the last
 * ~100 finished ones it remembers and the running ones, with GreptimeDB's columns: the type
 * as `metasrv-procedure::CreateTable`, status `Done` / `Failed` / `Running`, the lock keys
 * joined by commas. A running procedure has no end time.
 */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

export const procedureInfoTable: SystemTable = {
  name: 'procedure_info',
  tableId: 34,
  columns: systemColumns(
    'procedure_id String',
    'procedure_type String',
    'start_time TimestampMillisecond?',
    'end_time TimestampMillisecond?',
    'status String',
    'lock_keys String?',
  ),
  rows: async (context) =>
    (await context.procedures()).map((procedure) => [
      procedure.id,
      procedure.type,
      procedure.startedAt,
      procedure.endedAt ?? null,
      procedure.status,
      procedure.lockKeys.join(','),
    ]),
};
