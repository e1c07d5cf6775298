/**
 * A query result as plain rows of JS values (numbers, strings, booleans, null; timestamps as
 * numbers in their unit). For tests and small listings, not for hot paths.
 */
import type { RecordBatch } from 'apache-arrow';
import { batchColumns, columnValue } from './column.ts';

/** Every row of the batches, in order. */
export function resultRows(batches: RecordBatch[]): (number | string | boolean | null)[][] {
  const rows: (number | string | boolean | null)[][] = [];
  for (const batch of batches) {
    const chunk = batchColumns(batch);
    for (let row = 0; row < chunk.length; row++) rows.push(chunk.columns.map((column) => columnValue(column, row)));
  }
  return rows;
}
