/**
 * `pg_catalog.pg_database`: GreptimeDB's catalogs are PostgreSQL's databases, so this lists the
 * catalog (`greptime`) and, as GreptimeDB does for tools that expect it, `postgres`. UTF8,
 * `en_US.UTF-8`, no connection limit. `datacl` is text (always NULL): the engine has no arrays.
 */
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemTable } from '../information-schema/system-table.ts';
import { databaseOid, ownerOid } from './oids.ts';

export const pgDatabaseTable: SystemTable = {
  name: 'pg_database',
  tableId: 280,
  columns: systemColumns(
    'oid Int32',
    'datname String',
    'datdba Int32',
    'encoding Int32',
    'datlocprovider String',
    'datcollate String',
    'datctype String',
    'datistemplate Boolean',
    'datallowconn Boolean',
    'datconnlimit Int32',
    'datlastsysoid Int32',
    'datfrozenxid Int32',
    'datminmxid Int32',
    'dattablespace Int32',
    'daticulocale String?',
    'daticurules String?',
    'datacl String?',
  ),
  rows: (context) =>
    [...new Set([context.catalog, 'postgres'])].map((name) => [
      databaseOid(name),
      name,
      ownerOid,
      6,
      'libc',
      'en_US.UTF-8',
      'en_US.UTF-8',
      false,
      true,
      -1,
      100000,
      1,
      1,
      // pg_default
      1663,
      null,
      null,
      null,
    ]),
};
