/**
 * Column types of tables: GreptimeDB's SQL type names (and their aliases) to the region
 * engine's `ColumnType` (in its wire form), the names GreptimeDB shows for them (DESC TABLE,
 * `data_type`), and their Arrow types for the batches INSERT builds and scans return.
 */
import type { DataType as ArrowType } from 'apache-arrow';
import { arrowTypeOf, ErrorCode, sqlColumnType, TesseraError } from '../../common/index.ts';
import type { TimeUnit } from '../../common/index.ts';
import type { WireRegionSchema } from '../../rpc/index.ts';
import { formatDataType } from '../../sql/index.ts';
import type { DataType } from '../../sql/index.ts';

export type WireColumnSchema = WireRegionSchema['columns'][number];
export type WireColumnType = WireColumnSchema['type'];
export type { TimeUnit };

/** The column type a SQL type name means in GreptimeDB; InvalidArguments for unknown or unsupported names. */
export function columnTypeOf(type: DataType): WireColumnType {
  if (type.arrayDepth > 0) throw unsupportedType(type);
  const columnType = sqlColumnType(type.name, type.params, type.unsigned);
  if (columnType === null) throw unsupportedType(type);
  return columnType;
}

function unsupportedType(type: DataType): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Unsupported data type: ${formatDataType(type)}`);
}

const greptimeNames: Record<WireColumnType['kind'], string> = {
  boolean: 'Boolean',
  int8: 'Int8',
  int16: 'Int16',
  int32: 'Int32',
  int64: 'Int64',
  uint8: 'UInt8',
  uint16: 'UInt16',
  uint32: 'UInt32',
  uint64: 'UInt64',
  float32: 'Float32',
  float64: 'Float64',
  string: 'String',
  binary: 'Binary',
  date: 'Date',
  timestamp: 'Timestamp',
  decimal128: 'Decimal',
};

const unitNames: Record<TimeUnit, string> = { s: 'Second', ms: 'Millisecond', us: 'Microsecond', ns: 'Nanosecond' };

/** GreptimeDB's name of a column type: `String`, `Float64`, `TimestampMillisecond`, ... */
export function greptimeColumnTypeName(type: WireColumnType): string {
  if (type.kind === 'timestamp') return `Timestamp${unitNames[type.unit]}`;
  if (type.kind === 'decimal128') return `Decimal(${type.precision}, ${type.scale})`;
  return greptimeNames[type.kind];
}

/** The Arrow type of a column type (string tags travel as plain Utf8; the region accepts it). */
export function arrowTypeOfColumn(type: WireColumnType): ArrowType {
  return arrowTypeOf(type);
}
