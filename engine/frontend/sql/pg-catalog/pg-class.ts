/**
 * `pg_catalog.pg_class`: every table of the catalog (information_schema's, `public.numbers`,
 * user tables and views) as a PostgreSQL relation, with GreptimeDB's columns and the values
 * GreptimeDB reports: kind `r` for tables (`v` for views), owner 0, one page, no statistics.
 */
import { systemDatabases } from '../information-schema/schemata.ts';
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemContext, SystemTable } from '../information-schema/system-table.ts';
import { namespaceOid, relationOid } from './oids.ts';

/** The schemas pg_namespace lists and pg_class's tables live in: system ones and the databases. */
export async function schemaNames(context: SystemContext): Promise<string[]> {
  return [...new Set([...systemDatabases, ...(await context.databases())])].sort();
}

export const pgClassTable: SystemTable = {
  name: 'pg_class',
  tableId: 278,
  columns: systemColumns(
    'oid Int32',
    'relname String',
    'relnamespace Int32',
    'reltype Int32',
    'reloftype Int32?',
    'relowner Int32',
    'relam Int32',
    'relfilenode Int32',
    'reltablespace Int32',
    'relpages Int32',
    'reltuples Float64',
    'relallvisible Int32',
    'reltoastrelid Int32',
    'relhasindex Boolean',
    'relisshared Boolean',
    'relpersistence String',
    'relkind String',
    'relnatts Int16',
    'relchecks Int16',
    'relhasrules Boolean',
    'relhastriggers Boolean',
    'relhassubclass Boolean',
    'relrowsecurity Boolean',
    'relforcerowsecurity Boolean',
    'relispopulated Boolean',
    'relreplident String',
    'relispartition Boolean',
    'relrewrite Int32?',
    'relfrozenxid Int32',
    'relminmxid Int32',
    'relpartbound String?',
  ),
  rows: async (context) =>
    (await context.catalogTables()).map((table) => {
      const oid = relationOid(table);
      return [
        oid,
        table.name,
        namespaceOid(table.schema),
        0,
        null,
        0,
        0,
        oid,
        0,
        1,
        0,
        0,
        0,
        false,
        false,
        'p',
        table.tableType === 'VIEW' ? 'v' : 'r',
        table.columns.length,
        0,
        false,
        false,
        false,
        false,
        false,
        true,
        'd',
        false,
        null,
        0,
        0,
        '',
      ];
    }),
};
