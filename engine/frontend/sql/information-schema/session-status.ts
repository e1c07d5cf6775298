/** `information_schema.session_status`: MySQL's session status variables; no rows, as in GreptimeDB. */
import { emptyTable, stringColumns } from './system-table.ts';

export const sessionStatusTable = emptyTable('session_status', 26, stringColumns('variable_name', 'variable_value'));
