/** `pg_catalog.pg_attrdef`: column defaults as PostgreSQL expressions; none are listed (GreptimeDB lists none of its own either). */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgAttrdefTable = emptyTable(
  'pg_attrdef',
  275,
  systemColumns('oid Int32', 'adrelid Int32', 'adnum Int16', 'adbin String'),
);
