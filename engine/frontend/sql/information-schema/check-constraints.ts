/** `information_schema.check_constraints`: MySQL's CHECK constraints; GreptimeDB has none, so no rows. */
import { emptyTable, stringColumns } from './system-table.ts';

export const checkConstraintsTable = emptyTable(
  'check_constraints',
  12,
  stringColumns('constraint_catalog', 'constraint_schema', 'constraint_name', 'check_clause'),
);
