/**
 * `pg_catalog.pg_namespace`: the catalog's databases as PostgreSQL schemas (GreptimeDB's
 * columns). pg_catalog itself is not listed, as in GreptimeDB.
 */
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemTable } from '../information-schema/system-table.ts';
import { namespaceOid, ownerOid } from './oids.ts';
import { schemaNames } from './pg-class.ts';

export const pgNamespaceTable: SystemTable = {
  name: 'pg_namespace',
  tableId: 296,
  columns: systemColumns('oid Int32', 'nspname String', 'nspowner Int32', 'nspacl String?', 'options String?'),
  rows: async (context) => (await schemaNames(context)).map((name) => [namespaceOid(name), name, ownerOid, null, null]),
};
