/** `information_schema.referential_constraints`: Foreign keys; GreptimeDB has none, so no rows. */
import { emptyTable, stringColumns } from './system-table.ts';

export const referentialConstraintsTable = emptyTable(
  'referential_constraints',
  20,
  stringColumns(
    'constraint_catalog',
    'constraint_schema',
    'constraint_name',
    'unique_constraint_catalog',
    'unique_constraint_schema',
    'unique_constraint_name',
    'match_option',
    'update_rule',
    'delete_rule',
    'table_name',
    'referenced_table_name',
  ),
);
