/**
 * `pg_catalog.pg_roles`: empty, as in GreptimeDB (its users come from the user provider, which
 * lists none); psql's `\du` shows no roles. `rolvaliduntil` and `rolconfig` are text here.
 */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgRolesTable = emptyTable(
  'pg_roles',
  317,
  systemColumns(
    'rolname String?',
    'rolsuper Boolean?',
    'rolinherit Boolean?',
    'rolcreaterole Boolean?',
    'rolcreatedb Boolean?',
    'rolcanlogin Boolean?',
    'rolreplication Boolean?',
    'rolconnlimit Int32?',
    'rolpassword String?',
    'rolvaliduntil String?',
    'rolbypassrls Boolean?',
    'rolconfig String?',
    'oid Int32?',
  ),
);
