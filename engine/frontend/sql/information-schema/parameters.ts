/** `information_schema.parameters`: Stored routine parameters (MySQL's shape); no rows. */
import { emptyTable, systemColumns } from './system-table.ts';

export const parametersTable = emptyTable(
  'parameters',
  18,
  systemColumns(
    'specific_catalog String',
    'specific_schema String',
    'specific_name String',
    'ordinal_position Int64',
    'parameter_mode String',
    'parameter_name String',
    'data_type String',
    'character_maximum_length Int64',
    'character_octet_length Int64',
    'numeric_precision Int64',
    'numeric_scale Int64',
    'datetime_precision Int64',
    'character_set_name String',
    'collation_name String',
    'dtd_identifier String',
    'routine_type String',
  ),
);
