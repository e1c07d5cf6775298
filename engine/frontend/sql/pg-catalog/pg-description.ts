/** `pg_catalog.pg_description`: comments on objects; empty, as obj_description() is NULL (table comments are in information_schema.tables). */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgDescriptionTable = emptyTable(
  'pg_description',
  284,
  systemColumns('objoid Int32', 'classoid Int32', 'objsubid Int32', 'description String'),
);
