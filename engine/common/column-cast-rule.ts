/**
 * Which column types `ALTER TABLE ... MODIFY COLUMN c <type>` may change a column between: the
 * conversions GreptimeDB accepts (Arrow's `can_cast_types` for the types a table column can
 * have). The frontend refuses anything else with GreptimeDB's message; the region engine
 * checks the same rule, because its reads convert every older value through these casts.
 */
import type { ColumnType } from './column-type.ts';

const numericKinds = new Set([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
]);

/** True when values of `from` convert to `to` on read (a failing value reads as null). */
export function canCastColumnType(from: ColumnType, to: ColumnType): boolean {
  if (JSON.stringify(from) === JSON.stringify(to)) return true;
  // Decimals keep their type: their older values are not converted on read.
  if (from.kind === 'decimal128' || to.kind === 'decimal128') return false;
  const a = from.kind;
  const b = to.kind;
  const numericOrBoolean = (kind: string) => numericKinds.has(kind) || kind === 'boolean';
  if (numericOrBoolean(a) && numericOrBoolean(b)) return true;
  // Every type prints as text, and text parses as every type (or reads as null).
  if (a === 'string' || b === 'string') return true;
  if (a === 'timestamp') return b === 'timestamp' || b === 'date' || b === 'int64';
  if (b === 'timestamp') return a === 'int64' || a === 'date';
  if (a === 'date') return b === 'int32' || b === 'int64';
  if (b === 'date') return a === 'int32';
  return false;
}
