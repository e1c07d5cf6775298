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
  Binary,
  Bool,
  DateDay,
  Decimal,
  IntervalMonthDayNano,
  IntervalUnit,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Field,
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
import { ErrorCode, sqlColumnType, TesseraError } from '../common/index.ts';
import type { ColumnType } from '../common/index.ts';

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
  | 'Timestamp(Nanosecond, None)'
  | 'Binary'
  | 'Interval(MonthDayNano)'
  | DecimalType
  | ListType;

/** `List(Utf8)`: values are JS arrays of the element type's row values (column.ts). */
export type ListType = `List(${string})`;

/** The list type of an element type. */
export function listType(element: SqlType): ListType {
  return `List(${element})`;
}

/** Whether the type is a list. */
export function isList(type: SqlType): type is ListType {
  return type.startsWith('List(');
}

/** The element type of a list type. */
export function listElementType(type: ListType): SqlType {
  return type.slice('List('.length, -1) as SqlType;
}

/** `Decimal128(precision, scale)`: values are `bigint`s scaled by 10^scale (see decimal.ts). */
export type DecimalType = `Decimal128(${number}, ${number})`;

/** The decimal type of a precision and scale. */
export function decimalType(precision: number, scale: number): DecimalType {
  return `Decimal128(${precision}, ${scale})`;
}

/** Whether the type is a Decimal128. */
export function isDecimal(type: SqlType): type is DecimalType {
  return type.startsWith('Decimal128(');
}

/** The precision and scale of a decimal type. */
export function decimalParams(type: DecimalType): { precision: number; scale: number } {
  const [precision, scale] = type.slice('Decimal128('.length, -1).split(',').map(Number);
  return { precision, scale };
}

/** Whether values of the type are a JS array of objects (`bigint`s, intervals, byte arrays). */
export function isBoxed(type: SqlType): boolean {
  return isDecimal(type) || type === 'Interval(MonthDayNano)' || type === 'Binary' || isList(type);
}

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
  if (isDecimal(left) || isDecimal(right)) return decimalCommonType(left, right);
  if (left === 'Interval(MonthDayNano)' || right === 'Interval(MonthDayNano)') {
    return left === 'Utf8' || right === 'Utf8' ? 'Interval(MonthDayNano)' : null;
  }
  if (left === 'Binary' || right === 'Binary') return left === 'Utf8' || right === 'Utf8' ? 'Binary' : null;
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

/**
 * The type a decimal and another operand compare (or unite in CASE) as: decimals and integers
 * widen to a decimal holding both, a float makes Float64, a string is parsed as the decimal.
 */
function decimalCommonType(left: SqlType, right: SqlType): SqlType | null {
  const other = isDecimal(left) ? right : left;
  const decimal = (isDecimal(left) ? left : right) as DecimalType;
  if (other === 'Float32' || other === 'Float64') return 'Float64';
  if (other === 'Utf8') return decimal;
  if (!isDecimal(other) && !isInteger(other)) return null;
  const widen = (type: SqlType): { precision: number; scale: number } => {
    if (isDecimal(type)) return decimalParams(type);
    const digits: Record<string, number> = { Int8: 3, UInt8: 3, Int16: 5, UInt16: 5, Int32: 10, UInt32: 10 };
    return { precision: digits[type] ?? 20, scale: 0 };
  };
  const a = widen(left);
  const b = widen(right);
  const scale = Math.max(a.scale, b.scale);
  return decimalType(Math.min(38, Math.max(a.precision - a.scale, b.precision - b.scale) + scale), scale);
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
    case Type.List:
      return listType(fromArrowType((type as unknown as { children: { type: ArrowType }[] }).children[0].type));
    case Type.Dictionary:
      return fromArrowType((type as unknown as { dictionary: ArrowType }).dictionary);
    case Type.Date:
      return 'Date';
    case Type.Binary:
    case Type.LargeBinary:
      return 'Binary';
    case Type.Decimal: {
      const decimal = type as unknown as { precision: number; scale: number; bitWidth: number };
      if (decimal.bitWidth === 128) return decimalType(decimal.precision, decimal.scale);
      break;
    }
    case Type.Interval:
      if ((type as unknown as { unit: IntervalUnit }).unit === IntervalUnit.MONTH_DAY_NANO) {
        return 'Interval(MonthDayNano)';
      }
      break;
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
    case 'Binary':
      return new Binary();
    case 'Interval(MonthDayNano)':
      return new IntervalMonthDayNano();
  }
  if (isList(type)) return new List(new Field('item', toArrowType(listElementType(type)), true));
  const { precision, scale } = decimalParams(type);
  return new Decimal(scale, precision, 128);
}

/** The engine type of a table column type. */
export function sqlTypeOfColumnType(type: ColumnType): SqlType {
  switch (type.kind) {
    case 'timestamp':
      return timestampType({ s: 0, ms: 3, us: 6, ns: 9 }[type.unit]);
    case 'decimal128':
      return decimalType(type.precision, type.scale);
    case 'string':
      return 'Utf8';
    case 'binary':
      return 'Binary';
    case 'date':
      return 'Date';
    case 'boolean':
      return 'Boolean';
    default:
      return (type.kind[0].toUpperCase() + type.kind.slice(1)).replace('Uint', 'UInt') as SqlType;
  }
}

/**
 * The engine type a SQL type name stands for (`INT`, `BIGINT`, `DOUBLE`, `STRING`,
 * `TIMESTAMP(3)`, `DECIMAL(10, 2)`, `INTERVAL`, ...), as GreptimeDB's CAST accepts them: the
 * column type names of engine/common plus the types only expressions have. Throws PlanQuery
 * for names it does not know.
 */
export function sqlTypeFromName(name: string, params: string[]): SqlType {
  const upper = name.toUpperCase();
  if (upper === 'INTERVAL') return 'Interval(MonthDayNano)';
  const columnType = sqlColumnType(upper, params);
  if (columnType !== null) return sqlTypeOfColumnType(columnType);
  throw new TesseraError(ErrorCode.PlanQuery, `Failed to plan SQL: Unsupported SQL type ${name}`);
}
