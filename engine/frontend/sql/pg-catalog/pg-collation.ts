/**
 * `pg_catalog.pg_collation`: empty. Tessera compares strings by code point and has no
 * collations to list (GreptimeDB ships a PostgreSQL's rows here); psql's `\d` then shows none.
 */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgCollationTable = emptyTable(
  'pg_collation',
  261,
  systemColumns(
    'oid Int32',
    'collname String',
    'collnamespace Int32',
    'collowner Int32',
    'collprovider String',
    'collisdeterministic Boolean',
    'collencoding Int32',
    'collcollate String?',
    'collctype String?',
    'colliculocale String?',
    'collicurules String?',
    'collversion String?',
  ),
);
