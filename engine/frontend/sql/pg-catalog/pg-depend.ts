/** `pg_catalog.pg_depend`: dependencies between objects; none are recorded. */
import { emptyTable, systemColumns } from '../information-schema/system-table.ts';

export const pgDependTable = emptyTable(
  'pg_depend',
  283,
  systemColumns(
    'classid Int32',
    'objid Int32',
    'objsubid Int32',
    'refclassid Int32',
    'refobjid Int32',
    'refobjsubid Int32',
    'deptype String',
  ),
);
