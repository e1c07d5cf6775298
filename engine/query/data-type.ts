/**
 * The SQL types the query engine computes with, named as DataFusion prints them (`Int64`,
 * `Utf8`, `Timestamp(Millisecond, None)`), and their mapping to Arrow types.
 *
 * Every numeric and timestamp type is computed on a `Float64Array` (see column.ts): integers
 * are exact up to 2^53, which covers timestamps in nanoseconds until 2255. The declared type
 * decides how results are printed, divided and written back to Arrow.
 */
import type { DataType as ArrowType } from 'apache-arrow';
import {
  Bool,
  DateDay,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Null,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  Type,
  TimeUnit,
} from 'apache-arrow';
import { ErrorCode, TesseraError } from '../common/index.ts';

/** A SQL type of the engine. Timestamps carry their unit; none carries a time zone yet. */
export type SqlType =
  | 'Null'
  | 'Boolean'
  | 'Int8'
  | 'Int16'
  | 'Int32'
  | 'Int64'
  | 'UInt8'
  | 'UInt16'
  | 'UInt32'
  | 'UInt64'
  | 'Float32'
  | 'Float64'
  | 'Utf8'
  | 'Date'
  | 'Timestamp(Second, None)'
  | 'Timestamp(Millisecond, None)'
  | 'Timestamp(Microsecond, None)'
  | 'Timestamp(Nanosecond, None)';

const INTEGERS = new Set<SqlType>(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64']);

/** Whether the type is an integer type (signed or not). */
export function isInteger(type: SqlType): boolean {
  return INTEGERS.has(type);
}

/** Whether the type is numeric (integer or float). */
export function isNumeric(type: SqlType): boolean {
  return INTEGERS.has(type) || type === 'Float32' || type === 'Float64';
}

/** Whether the type is a timestamp of any unit. */
export function isTimestamp(type: SqlType): boolean {
  return type.startsWith('Timestamp');
}

/** Whether values of the type live in a Float64Array (numbers, dates and timestamps). */
export function isFloatStored(type: SqlType): boolean {
  return isNumeric(type) || isTimestamp(type) || type === 'Date';
}

/** Whether the type is a point in time: a timestamp, or a `Date` (days since the epoch). */
export function isTemporal(type: SqlType): boolean {
  return isTimestamp(type) || type === 'Date';
}

/** Ticks per second of a timestamp type (1 for seconds ... 1e9 for nanoseconds). */
export function timestampTicksPerSecond(type: SqlType): number {
  switch (type) {
    case 'Timestamp(Second, None)':
      return 1;
    case 'Timestamp(Millisecond, None)':
      return 1e3;
    case 'Timestamp(Microsecond, None)':
      return 1e6;
    case 'Timestamp(Nanosecond, None)':
      return 1e9;
    case 'Date':
      return 1 / 86400;
    default:
      return 1;
  }
}

/** The timestamp type whose precision is `digits` fractional-second digits (0, 3, 6, 9). */
export function timestampType(digits: number): SqlType {
  if (digits <= 0) return 'Timestamp(Second, None)';
  if (digits <= 3) return 'Timestamp(Millisecond, None)';
  if (digits <= 6) return 'Timestamp(Microsecond, None)';
  return 'Timestamp(Nanosecond, None)';
}

const NUMERIC_RANK: Record<string, number> = {
  Int8: 1,
  UInt8: 1,
  Int16: 2,
  UInt16: 2,
  Int32: 3,
  UInt32: 3,
  Int64: 4,
  UInt64: 4,
  Float32: 5,
  Float64: 6,
};

/**
 * The common type two numeric operands are cast to, as DataFusion's numeric coercion: any
 * float makes Float64, otherwise the wider integer (Int64 when signedness differs), null
 * when the pair is not numeric. Null coerces to the other side.
 */
export function numericCommonType(left: SqlType, right: SqlType): SqlType | null {
  if (left === 'Null') return isNumeric(right) ? right : null;
  if (right === 'Null') return isNumeric(left) ? left : null;
  if (!isNumeric(left) || !isNumeric(right)) return null;
  if (left === 'Float64' || right === 'Float64' || left === 'Float32' || right === 'Float32') {
    return left === 'Float32' && right === 'Float32' ? 'Float32' : 'Float64';
  }
  if (left === right) return left;
  const leftSigned = left.startsWith('Int');
  const rightSigned = right.startsWith('Int');
  if (leftSigned !== rightSigned) return 'Int64';
  return NUMERIC_RANK[left] >= NUMERIC_RANK[right] ? left : right;
}

/**
 * The type both sides of a comparison (or the branches of CASE, the arguments of coalesce)
 * are brought to, or null when they cannot be compared: numbers widen, a string compared with
 * a number or a timestamp is cast to that type, timestamps compare in the finer unit.
 */
export function comparisonCommonType(left: SqlType, right: SqlType): SqlType | null {
  if (left === right) return left;
  if (left === 'Null') return right;
  if (right === 'Null') return left;
  const numeric = numericCommonType(left, right);
  if (numeric !== null) return numeric;
  if (isTemporal(left) && isTemporal(right)) {
    return timestampTicksPerSecond(left) >= timestampTicksPerSecond(right) ? left : right;
  }
  if (left === 'Utf8' && (isNumeric(right) || isTemporal(right) || right === 'Boolean')) return right;
  if (right === 'Utf8' && (isNumeric(left) || isTemporal(left) || left === 'Boolean')) return left;
  if (isTimestamp(left) && isInteger(right)) return left;
  if (isTimestamp(right) && isInteger(left)) return right;
  return null;
}

/** The engine type of an Arrow type; throws for types the engine does not compute with yet. */
export function fromArrowType(type: ArrowType): SqlType {
  switch (type.typeId) {
    case Type.Null:
      return 'Null';
    case Type.Bool:
      return 'Boolean';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'Utf8';
    case Type.Dictionary:
      return fromArrowType((type as unknown as { dictionary: ArrowType }).dictionary);
    case Type.Date:
      return 'Date';
    case Type.Timestamp: {
      const unit = (type as unknown as { unit: TimeUnit }).unit;
      if (unit === TimeUnit.SECOND) return 'Timestamp(Second, None)';
      if (unit === TimeUnit.MILLISECOND) return 'Timestamp(Millisecond, None)';
      if (unit === TimeUnit.MICROSECOND) return 'Timestamp(Microsecond, None)';
      return 'Timestamp(Nanosecond, None)';
    }
  }
  const name = String(type);
  const map: Record<string, SqlType> = {
    Int8: 'Int8',
    Int16: 'Int16',
    Int32: 'Int32',
    Int64: 'Int64',
    Uint8: 'UInt8',
    Uint16: 'UInt16',
    Uint32: 'UInt32',
    Uint64: 'UInt64',
    Float32: 'Float32',
    Float64: 'Float64',
  };
  const mapped = map[name];
  if (mapped !== undefined) return mapped;
  throw new TesseraError(ErrorCode.Unsupported, `Unsupported data type in query engine: ${name}`);
}

/** A fresh Arrow type for an engine type. */
export function toArrowType(type: SqlType): ArrowType {
  switch (type) {
    case 'Null':
      return new Null();
    case 'Boolean':
      return new Bool();
    case 'Int8':
      return new Int8();
    case 'Int16':
      return new Int16();
    case 'Int32':
      return new Int32();
    case 'Int64':
      return new Int64();
    case 'UInt8':
      return new Uint8();
    case 'UInt16':
      return new Uint16();
    case 'UInt32':
      return new Uint32();
    case 'UInt64':
      return new Uint64();
    case 'Float32':
      return new Float32();
    case 'Float64':
      return new Float64();
    case 'Utf8':
      return new Utf8();
    case 'Date':
      return new DateDay();
    case 'Timestamp(Second, None)':
      return new TimestampSecond();
    case 'Timestamp(Millisecond, None)':
      return new TimestampMillisecond();
    case 'Timestamp(Microsecond, None)':
      return new TimestampMicrosecond();
    case 'Timestamp(Nanosecond, None)':
      return new TimestampNanosecond();
  }
}

/**
 * The engine type a SQL type name stands for (`INT`, `BIGINT`, `DOUBLE`, `STRING`,
 * `TIMESTAMP(3)`, `Float64`, ...), as GreptimeDB's CAST accepts them; throws PlanQuery for
 * names it does not know.
 */
export function sqlTypeFromName(name: string, params: string[]): SqlType {
  const upper = name.toUpperCase();
  switch (upper) {
    case 'BOOLEAN':
    case 'BOOL':
      return 'Boolean';
    case 'TINYINT':
    case 'INT8':
      return 'Int8';
    case 'SMALLINT':
    case 'INT16':
      return 'Int16';
    case 'INT':
    case 'INTEGER':
    case 'INT32':
      return 'Int32';
    case 'BIGINT':
    case 'INT64':
      return 'Int64';
    case 'UINT8':
      return 'UInt8';
    case 'UINT16':
      return 'UInt16';
    case 'UINT32':
      return 'UInt32';
    case 'UINT64':
      return 'UInt64';
    case 'FLOAT':
    case 'REAL':
    case 'FLOAT32':
      return 'Float32';
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
    case 'FLOAT64':
    case 'DECIMAL':
    case 'NUMERIC':
      return 'Float64';
    case 'STRING':
    case 'TEXT':
    case 'VARCHAR':
    case 'CHAR':
    case 'CHARACTER VARYING':
    case 'UTF8':
      return 'Utf8';
    case 'DATE':
      return 'Date';
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
      return params.length > 0 ? timestampType(Number(params[0])) : 'Timestamp(Millisecond, None)';
    case 'DATETIME':
    case 'TIMESTAMP_US':
    case 'TIMESTAMPMICROSECOND':
      return 'Timestamp(Microsecond, None)';
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_SEC':
    case 'TIMESTAMPSECOND':
      return 'Timestamp(Second, None)';
    case 'TIMESTAMP_MS':
    case 'TIMESTAMPMILLISECOND':
      return 'Timestamp(Millisecond, None)';
    case 'TIMESTAMP_NS':
    case 'TIMESTAMPNANOSECOND':
      return 'Timestamp(Nanosecond, None)';
  }
  throw new TesseraError(ErrorCode.PlanQuery, `Failed to plan SQL: Unsupported SQL type ${name}`);
}
