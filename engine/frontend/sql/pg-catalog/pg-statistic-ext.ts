/** `pg_catalog.pg_statistic_ext`: extended statistics objects; Tessera keeps none. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgStatisticExtTable = emptyTable(
  'pg_statistic_ext',
  310,
  systemColumns(
    'oid Int32',
    'stxrelid Int32',
    'stxname String',
    'stxnamespace Int32',
    'stxowner Int32',
    'stxstattarget Int32',
    'stxkeys String',
    'stxkind String',
    'stxexprs String?',
  ),
);
