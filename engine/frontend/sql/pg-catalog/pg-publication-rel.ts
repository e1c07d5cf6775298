/** `pg_catalog.pg_publication_rel`: relations in publications; none. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgPublicationRelTable = emptyTable(
  'pg_publication_rel',
  301,
  systemColumns('oid Int32', 'prpubid Int32', 'prrelid Int32', 'prqual String?', 'prattrs String?'),
);
