/** `information_schema.engines`: the table engines, with GreptimeDB's descriptions. */
import { stringColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

export const enginesTable: SystemTable = {
  name: 'engines',
  tableId: 5,
  columns: stringColumns('engine', 'support', 'comment', 'transactions', 'xa', 'savepoints'),
  rows: () => [
    ['mito', 'DEFAULT', 'Storage engine for time-series data', 'NO', 'NO', 'NO'],
    [
      'metric',
      'YES',
      'Storage engine for observability scenarios, which is adept at handling a large number of small tables, making it particularly suitable for cloud-native monitoring',
      'NO',
      'NO',
      'NO',
    ],
  ],
};
