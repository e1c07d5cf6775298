/**
 * `pg_catalog.pg_attribute`: the columns of every relation pg_class lists, numbered from 1 in
 * table order, typed as GreptimeDB maps its types to PostgreSQL's (`oids.ts`).
 */
import { systemColumns } from '../information-schema/system-table.ts';
import type { SystemTable } from '../information-schema/system-table.ts';
import { pgColumnType, relationOid } from './oids.ts';

export const pgAttributeTable: SystemTable = {
  name: 'pg_attribute',
  tableId: 274,
  columns: systemColumns(
    'attrelid Int32',
    'attname String',
    'atttypid Int32',
    'attstattarget Int32',
    'attlen Int16',
    'attnum Int16',
    'attndims Int32',
    'attcacheoff Int32',
    'atttypmod Int32',
    'attbyval Boolean',
    'attalign String',
    'attstorage String',
    'attcompression String?',
    'attnotnull Boolean',
    'atthasdef Boolean',
    'atthasmissing Boolean',
    'attidentity String',
    'attgenerated String',
    'attisdropped Boolean',
    'attislocal Boolean',
    'attinhcount Int32',
    'attcollation Int32',
    'attacl String?',
    'attoptions String?',
    'attfdwoptions String?',
    'attmissingval String?',
  ),
  rows: async (context) =>
    (await context.catalogTables()).flatMap((table) =>
      table.columns.map((column, index) => {
        const type = pgColumnType(column.greptimeType);
        return [
          relationOid(table),
          column.name,
          type.oid,
          -1,
          type.len,
          index + 1,
          0,
          -1,
          -1,
          type.byval,
          type.align,
          type.storage,
          null,
          !column.nullable,
          false,
          false,
          '',
          '',
          false,
          true,
          0,
          0,
          null,
          null,
          null,
          null,
        ];
      }),
    ),
};
