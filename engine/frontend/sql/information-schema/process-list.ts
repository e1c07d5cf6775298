/** `information_schema.process_list`: the statements running on this frontend, this one included. */
import { systemColumns } from './system-table.ts';
import type { SystemTable } from './system-table.ts';

/** A duration as GreptimeDB's HTTP API shows one: `PT1.250S`. */
export function isoDuration(ms: number): string {
  return `PT${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}S`;
}

export const processListTable: SystemTable = {
  name: 'process_list',
  tableId: 36,
  columns: systemColumns(
    'id String',
    'catalog String',
    'schemas String',
    'query String',
    'client String',
    'frontend String',
    'start_timestamp TimestampMillisecond',
    'elapsed_time DurationMillisecond',
  ),
  rows: async (context) =>
    (await context.runningStatements()).map((statement) => [
      statement.id,
      statement.catalog,
      statement.database,
      statement.query,
      statement.client,
      statement.frontend,
      statement.startedAt,
      isoDuration(Math.max(0, context.now - statement.startedAt)),
    ]),
};
