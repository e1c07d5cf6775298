/**
 * A table column's logical type (`ColumnType`), its one Arrow type, and the one table of SQL
 * type names (GreptimeDB's, with their aliases) that mean each. Storage writes and reads
 * regions with these types, the frontend turns DDL into them and builds INSERT batches with
 * the same Arrow types, and the query engine resolves CAST target names through the same
 * table, so a name means one thing everywhere.
 */
import type { DataType } from 'apache-arrow';
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
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
import { ErrorCode, TesseraError } from './errors.ts';

export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

/** A column's logical type; each maps to one Arrow type (`arrowTypeOf`). */
export type ColumnType =
  | { kind: 'boolean' }
  | { kind: 'int8' }
  | { kind: 'int16' }
  | { kind: 'int32' }
  | { kind: 'int64' }
  | { kind: 'uint8' }
  | { kind: 'uint16' }
  | { kind: 'uint32' }
  | { kind: 'uint64' }
  | { kind: 'float32' }
  | { kind: 'float64' }
  | { kind: 'string' }
  | { kind: 'binary' }
  /** Days since the epoch. */
  | { kind: 'date' }
  | { kind: 'timestamp'; unit: TimeUnit }
  | { kind: 'decimal128'; precision: number; scale: number };

/** GreptimeDB's default for a bare `DECIMAL` / `NUMERIC`: Decimal128(38, 10). */
export const DEFAULT_DECIMAL_PRECISION = 38;
export const DEFAULT_DECIMAL_SCALE = 10;

/** Throws InvalidArguments unless `precision` is 1..38 and `scale` 0..precision. */
export function checkDecimal(precision: number, scale: number): void {
  if (!(precision >= 1 && precision <= 38) || !(scale >= 0 && scale <= precision)) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `decimal128(${precision}, ${scale}) is not a valid decimal: precision 1..38, scale 0..precision`,
    );
  }
}

/** The Arrow type of a column type (string tags become a dictionary in storage, not here). */
export function arrowTypeOf(type: ColumnType): DataType {
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
      switch (type.unit) {
        case 's':
          return new TimestampSecond();
        case 'ms':
          return new TimestampMillisecond();
        case 'us':
          return new TimestampMicrosecond();
        case 'ns':
          return new TimestampNanosecond();
      }
      break;
    case 'decimal128':
      checkDecimal(type.precision, type.scale);
      return new Decimal(type.scale, type.precision, 128);
  }
  throw new TesseraError(ErrorCode.Unsupported, `Column type ${JSON.stringify(type)} has no Arrow type`);
}

type SimpleKind = Exclude<ColumnType['kind'], 'timestamp' | 'decimal128'>;

/**
 * SQL type names (upper case, words joined by one space) to the column type they mean:
 * GreptimeDB's names, MySQL's and PostgreSQL's aliases. Timestamps map to their default unit
 * (a precision parameter overrides it, `sqlColumnType`); DECIMAL/NUMERIC take (p, s).
 */
export const SQL_TYPE_NAMES: Readonly<Record<string, SimpleKind | TimeUnit | 'decimal'>> = {
  TINYINT: 'int8',
  INT8: 'int8',
  SMALLINT: 'int16',
  INT2: 'int16',
  INT16: 'int16',
  INT: 'int32',
  INTEGER: 'int32',
  INT4: 'int32',
  INT32: 'int32',
  MEDIUMINT: 'int32',
  BIGINT: 'int64',
  INT64: 'int64',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  FLOAT: 'float32',
  FLOAT4: 'float32',
  FLOAT32: 'float32',
  REAL: 'float32',
  DOUBLE: 'float64',
  'DOUBLE PRECISION': 'float64',
  FLOAT8: 'float64',
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
  DECIMAL: 'decimal',
  NUMERIC: 'decimal',
  TIMESTAMP: 'ms',
  TIMESTAMPTZ: 'ms',
  DATETIME: 'us',
  TIMESTAMP_S: 's',
  TIMESTAMP_SEC: 's',
  TIMESTAMPSECOND: 's',
  TIMESTAMP_MS: 'ms',
  TIMESTAMPMILLISECOND: 'ms',
  TIMESTAMP_US: 'us',
  TIMESTAMPMICROSECOND: 'us',
  TIMESTAMP_NS: 'ns',
  TIMESTAMPNANOSECOND: 'ns',
};

const UNITS = new Set<string>(['s', 'ms', 'us', 'ns']);

const UNSIGNED_OF: Partial<Record<ColumnType['kind'], SimpleKind>> = {
  int8: 'uint8',
  int16: 'uint16',
  int32: 'uint32',
  int64: 'uint64',
};

/** The timestamp unit of `TIMESTAMP(digits)`: 0 seconds, 1..3 ms, 4..6 us, 7..9 ns; null past 9. */
export function timeUnitOfPrecision(digits: number): TimeUnit | null {
  if (!Number.isInteger(digits) || digits < 0 || digits > 9) return null;
  if (digits === 0) return 's';
  if (digits <= 3) return 'ms';
  if (digits <= 6) return 'us';
  return 'ns';
}

/**
 * The column type a SQL type name with its parameters means, or null for a name this table
 * does not know. Throws InvalidArguments for a known name with bad parameters.
 */
export function sqlColumnType(name: string, params: readonly string[], unsigned = false): ColumnType | null {
  const upper = name.toUpperCase();
  const entry = SQL_TYPE_NAMES[upper];
  if (entry === undefined) return null;
  if (UNITS.has(entry)) {
    if (params.length === 0) return { kind: 'timestamp', unit: entry as TimeUnit };
    const unit = timeUnitOfPrecision(Number(params[0]));
    if (unit === null) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid timestamp precision ${params[0]} in ${upper}(${params[0]}): expected 0 to 9`,
      );
    }
    return { kind: 'timestamp', unit };
  }
  if (entry === 'decimal') {
    const precision = params.length > 0 ? Number(params[0]) : DEFAULT_DECIMAL_PRECISION;
    const scale = params.length > 1 ? Number(params[1]) : params.length > 0 ? 0 : DEFAULT_DECIMAL_SCALE;
    checkDecimal(precision, scale);
    return { kind: 'decimal128', precision, scale };
  }
  const kind = unsigned ? (UNSIGNED_OF[entry as SimpleKind] ?? (entry as SimpleKind)) : (entry as SimpleKind);
  return { kind } as ColumnType;
}
