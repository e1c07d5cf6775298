/** How a split or a sample value reads in the drawing: numbers as numbers, strings quoted as in SQL. */
import type { RowValue } from '../../engine/partition/index.ts';

export function formatSplit(value: RowValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return typeof value === 'number'
    ? value.toLocaleString('en-US', { maximumFractionDigits: 6, useGrouping: false })
    : String(value);
}
