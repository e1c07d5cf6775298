/**
 * A query result as plain rows of JS values (numbers, strings, booleans, null; timestamps as
 * numbers in their unit; decimals, intervals and binaries as their display text, which is
 * what GreptimeDB's HTTP JSON carries for them). For tests and small listings, not hot paths.
 */
import type { RecordBatch } from 'apache-arrow';
import { batchColumns, columnValue } from './column.ts';
import type { Column } from './column.ts';
import { decimalParams, isDecimal } from './data-type.ts';
import { formatDecimal } from './decimal.ts';
import { formatInterval } from './interval.ts';
import type { IntervalValue } from './interval.ts';

/** Every row of the batches, in order. */
export function resultRows(batches: RecordBatch[]): (number | string | boolean | null)[][] {
  const rows: (number | string | boolean | null)[][] = [];
  for (const batch of batches) {
    const chunk = batchColumns(batch);
    for (let row = 0; row < chunk.length; row++) rows.push(chunk.columns.map((column) => plainValue(column, row)));
  }
  return rows;
}

function plainValue(column: Column, row: number): number | string | boolean | null {
  const value = columnValue(column, row);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint' && isDecimal(column.type)) {
      return formatDecimal(value, decimalParams(column.type).scale);
    }
    return value as number | string | boolean | null;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return formatInterval(value as IntervalValue);
}
