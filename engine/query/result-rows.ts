/**
 * A query result as plain rows of JS values (numbers, strings, booleans, null; timestamps as
 * numbers in their unit; 64-bit values past 2^53 as bigints; decimals, intervals and binaries as their display text, which is
 * what GreptimeDB's HTTP JSON carries for them). For tests and small listings, not hot paths.
 */
import type { RecordBatch } from 'apache-arrow';
import { batchColumns, columnValue } from './column.ts';
import type { RowValue } from './column.ts';
import type { SqlType } from './data-type.ts';
import { decimalParams, isDecimal, isList, listElementType } from './data-type.ts';
import { formatDecimal } from './decimal.ts';
import { formatInterval } from './interval.ts';
import type { IntervalValue } from './interval.ts';

/**
 * A result cell: a list is an array of its elements' cells (GreptimeDB's HTTP JSON carries a JSON
 * array); an Int64, UInt64 or timestamp past 2^53 is a bigint, exact (a number otherwise).
 */
export type ResultValue = number | bigint | string | boolean | null | ResultValue[];

/** Every row of the batches, in order. */
export function resultRows(batches: RecordBatch[]): ResultValue[][] {
  const rows: ResultValue[][] = [];
  for (const batch of batches) {
    const chunk = batchColumns(batch);
    for (let row = 0; row < chunk.length; row++) {
      rows.push(chunk.columns.map((column) => plainValue(columnValue(column, row), column.type)));
    }
  }
  return rows;
}

function plainValue(value: RowValue, type: SqlType): ResultValue {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint' && isDecimal(type)) {
      return formatDecimal(value, decimalParams(type).scale);
    }
    return value as number | bigint | string | boolean | null;
  }
  if (Array.isArray(value)) {
    const element = isList(type) ? listElementType(type) : 'Null';
    return value.map((item) => plainValue(item, element));
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return formatInterval(value as IntervalValue);
}
