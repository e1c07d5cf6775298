/** `pg_catalog.pg_inherits`: table inheritance; GreptimeDB tables inherit nothing. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgInheritsTable = emptyTable(
  'pg_inherits',
  292,
  systemColumns('inhrelid Int32', 'inhparent Int32', 'inhseqno Int32', 'inhdetachpending Boolean'),
);
