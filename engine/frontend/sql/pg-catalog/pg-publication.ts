/** `pg_catalog.pg_publication`: logical replication publications; Tessera has none. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgPublicationTable = emptyTable(
  'pg_publication',
  299,
  systemColumns(
    'oid Int32',
    'pubname String',
    'pubowner Int32',
    'puballtables Boolean',
    'pubinsert Boolean',
    'pubupdate Boolean',
    'pubdelete Boolean',
    'pubtruncate Boolean',
    'pubviaroot Boolean',
  ),
);
