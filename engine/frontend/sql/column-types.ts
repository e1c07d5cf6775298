/**
 * Column types of tables: GreptimeDB's SQL type names (and their aliases) to the region
 * engine's `ColumnType` (in its wire form), the names GreptimeDB shows for them (DESC TABLE,
 * `data_type`), and their Arrow types for the batches INSERT builds and scans return.
 */
import {
  Binary,
  Bool,
  DateDay,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
} from 'apache-arrow';
import type { DataType as ArrowType } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { WireRegionSchema } from '../../rpc/index.ts';
import { formatDataType, isTimestampType, timestampPrecision } from '../../sql/index.ts';
import type { DataType } from '../../sql/index.ts';

export type WireColumnSchema = WireRegionSchema['columns'][number];
export type WireColumnType = WireColumnSchema['type'];
export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

const signedNames: Record<string, WireColumnType['kind']> = {
  TINYINT: 'int8',
  INT8: 'int8',
  SMALLINT: 'int16',
  INT16: 'int16',
  INT: 'int32',
  INTEGER: 'int32',
  INT32: 'int32',
  MEDIUMINT: 'int32',
  BIGINT: 'int64',
  INT64: 'int64',
};

const plainNames: Record<string, WireColumnType['kind']> = {
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  FLOAT: 'float32',
  FLOAT32: 'float32',
  REAL: 'float32',
  DOUBLE: 'float64',
  'DOUBLE PRECISION': 'float64',
  FLOAT64: 'float64',
  BOOLEAN: 'boolean',
  BOOL: 'boolean',
  STRING: 'string',
  TEXT: 'string',
  TINYTEXT: 'string',
  MEDIUMTEXT: 'string',
  LONGTEXT: 'string',
  VARCHAR: 'string',
  CHAR: 'string',
  CHARACTER: 'string',
  'CHARACTER VARYING': 'string',
  NVARCHAR: 'string',
  UTF8: 'string',
  BINARY: 'binary',
  VARBINARY: 'binary',
  BLOB: 'binary',
  TINYBLOB: 'binary',
  MEDIUMBLOB: 'binary',
  LONGBLOB: 'binary',
  BYTEA: 'binary',
  DATE: 'date',
};

const unsignedOf: Partial<Record<WireColumnType['kind'], WireColumnType['kind']>> = {
  int8: 'uint8',
  int16: 'uint16',
  int32: 'uint32',
  int64: 'uint64',
};

const unitOfPrecision: Record<number, TimeUnit> = { 0: 's', 3: 'ms', 6: 'us', 9: 'ns' };

/** The column type a SQL type name means in GreptimeDB; InvalidArguments for unknown or unsupported names. */
export function columnTypeOf(type: DataType): WireColumnType {
  if (type.arrayDepth > 0) throw unsupportedType(type);
  if (isTimestampType(type)) {
    const precision = timestampPrecision(type) ?? 3;
    const unit = unitOfPrecision[precision];
    if (!unit) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid timestamp precision ${precision} in ${formatDataType(type)}: expected 0, 3, 6 or 9`,
      );
    }
    return { kind: 'timestamp', unit };
  }
  const signed = signedNames[type.name];
  if (signed) {
    const kind = type.unsigned ? (unsignedOf[signed] ?? signed) : signed;
    return { kind } as WireColumnType;
  }
  const plain = plainNames[type.name];
  if (plain) return { kind: plain } as WireColumnType;
  throw unsupportedType(type);
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

const timestampTypes: Record<TimeUnit, () => ArrowType> = {
  s: () => new TimestampSecond(),
  ms: () => new TimestampMillisecond(),
  us: () => new TimestampMicrosecond(),
  ns: () => new TimestampNanosecond(),
};

/** The Arrow type of a column type (string tags travel as plain Utf8; the region accepts it). */
export function arrowTypeOfColumn(type: WireColumnType): ArrowType {
  switch (type.kind) {
    case 'boolean':
      return new Bool();
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'uint8':
      return new Uint8();
    case 'uint16':
      return new Uint16();
    case 'uint32':
      return new Uint32();
    case 'uint64':
      return new Uint64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'string':
      return new Utf8();
    case 'binary':
      return new Binary();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return timestampTypes[type.unit]();
    case 'decimal128':
      throw new TesseraError(ErrorCode.Unsupported, 'Decimal columns are not supported by this build of Tessera yet');
  }
}
