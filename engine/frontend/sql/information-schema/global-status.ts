/** `information_schema.global_status`: MySQL's server status variables; no rows, as in GreptimeDB. */
import { emptyTable, stringColumns } from './system-table.ts';

export const globalStatusTable = emptyTable('global_status', 25, stringColumns('variable_name', 'variable_value'));
