/** `pg_catalog.pg_publication_namespace`: schemas in publications; none. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgPublicationNamespaceTable = emptyTable(
  'pg_publication_namespace',
  300,
  systemColumns('oid Int32', 'pnpubid Int32', 'pnnspid Int32'),
);
