/**
 * Which columns can be partition columns and how they compare: the type names the app sees
 * (SQL's `BIGINT`, `STRING`, `TIMESTAMP(3)` in a CREATE TABLE; DESC TABLE's `Int64`, `String`,
 * `TimestampMillisecond`) → engine/partition's column kinds.
 */
import type { PartitionColumnKind } from '../../engine/partition/index.ts';

export type ColumnRole = 'tag' | 'field' | 'timestamp';

/** A column of the table being designed. */
export interface DesignColumn {
  name: string;
  type: string;
  role: ColumnRole;
}

/** The kind the partition rule compares the column as; undefined when it cannot partition (booleans, binary). */
export function partitionKindOfType(type: string): PartitionColumnKind | undefined {
  const name = type.trim().toLowerCase().replace(/\(.*$/, '');
  if (/^(string|varchar|char|text|utf8|largeutf8)$/.test(name)) return 'string';
  if (/^(float|double|real|decimal|numeric|float32|float64|decimal128)/.test(name)) return 'float';
  if (/^(u?int(8|16|32|64)?|tinyint|smallint|bigint|integer|int unsigned)/.test(name)) return 'integer';
  if (/^(timestamp|date|datetime)/.test(name)) return 'integer';
  return undefined;
}

/** Quotes an identifier when GreptimeDB's SQL would otherwise fold or reject it. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
