/** `pg_catalog.pg_index`: PostgreSQL indexes; Tessera's indexes (inverted, fulltext, skipping) are column options, shown by SHOW INDEX. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgIndexTable = emptyTable(
  'pg_index',
  291,
  systemColumns(
    'indexrelid Int32',
    'indrelid Int32',
    'indnatts Int16',
    'indnkeyatts Int16',
    'indisunique Boolean',
    'indnullsnotdistinct Boolean',
    'indisprimary Boolean',
    'indisexclusion Boolean',
    'indimmediate Boolean',
    'indisclustered Boolean',
    'indisvalid Boolean',
    'indcheckxmin Boolean',
    'indisready Boolean',
    'indislive Boolean',
    'indisreplident Boolean',
    'indkey String',
    'indcollation String',
    'indclass String',
    'indoption String',
    'indexprs String?',
    'indpred String?',
  ),
);
