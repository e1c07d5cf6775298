/**
 * Result columns and rows in MySQL's terms, mapped as GreptimeDB's MySQL writer maps its
 * types: Boolean/Int8/UInt8 → TINY, Int16/UInt16 → SHORT, Int32/UInt32 → LONG, Int64/UInt64 →
 * LONGLONG (unsigned types flagged UNSIGNED), Float32 → FLOAT, Float64 → DOUBLE, String and
 * Binary → VARCHAR, Timestamp → TIMESTAMP, Date → DATE, anything else → VARCHAR text.
 * Rows go out as text (COM_QUERY) or in the binary protocol (COM_STMT_EXECUTE).
 */
import { formatValue, splitTimestamp } from '../wire/value-text.ts';
import type { WireTypeClass } from '../wire/value-text.ts';
import type { WireColumn } from '../wire/wire-session.ts';
import { lenencBytes } from './mysql-packets.ts';

export const ColumnType = {
  decimal: 0x00,
  tiny: 0x01,
  short: 0x02,
  long: 0x03,
  float: 0x04,
  double: 0x05,
  null: 0x06,
  timestamp: 0x07,
  longlong: 0x08,
  int24: 0x09,
  date: 0x0a,
  time: 0x0b,
  datetime: 0x0c,
  year: 0x0d,
  varchar: 0x0f,
  bit: 0x10,
  json: 0xf5,
  newdecimal: 0xf6,
  tinyBlob: 0xf9,
  mediumBlob: 0xfa,
  longBlob: 0xfb,
  blob: 0xfc,
  varString: 0xfd,
  string: 0xfe,
} as const;

const unsignedFlag = 0x0020;
const binaryCharset = 63;
const utf8Charset = 33;

const columnTypes: Record<WireTypeClass, number> = {
  null: ColumnType.null,
  boolean: ColumnType.tiny,
  int8: ColumnType.tiny,
  uint8: ColumnType.tiny,
  int16: ColumnType.short,
  uint16: ColumnType.short,
  int32: ColumnType.long,
  uint32: ColumnType.long,
  int64: ColumnType.longlong,
  uint64: ColumnType.longlong,
  float32: ColumnType.float,
  float64: ColumnType.double,
  string: ColumnType.varchar,
  binary: ColumnType.varchar,
  date: ColumnType.date,
  timestamp: ColumnType.timestamp,
  other: ColumnType.varchar,
};

const columnLengths: Partial<Record<WireTypeClass, number>> = {
  boolean: 1,
  int8: 4,
  uint8: 3,
  int16: 6,
  uint16: 5,
  int32: 11,
  uint32: 10,
  int64: 20,
  uint64: 20,
  float32: 12,
  float64: 22,
  date: 10,
  timestamp: 26,
};

export function columnTypeOf(column: WireColumn): number {
  return columnTypes[column.type.class];
}

/** A Column Definition 41 packet (`columnType` overrides the type the column's data type maps to). */
export function columnDefinition(column: WireColumn, columnType = columnTypeOf(column)): Buffer {
  const typeClass = column.type.class;
  const textual = typeClass === 'string' || typeClass === 'other';
  const fixed = Buffer.alloc(13);
  fixed[0] = 0x0c;
  fixed.writeUInt16LE(textual ? utf8Charset : binaryCharset, 1);
  fixed.writeUInt32LE(columnLengths[typeClass] ?? 1024, 3);
  fixed[7] = columnType;
  fixed.writeUInt16LE(typeClass.startsWith('uint') ? unsignedFlag : 0, 8);
  fixed[10] = typeClass === 'float32' || typeClass === 'float64' ? 31 : 0;
  return Buffer.concat([
    lenencBytes('def'),
    lenencBytes(''),
    lenencBytes(''),
    lenencBytes(''),
    lenencBytes(column.name),
    lenencBytes(column.name),
    fixed,
  ]);
}

/** One row of a text result set: each value as a length-encoded string, NULL as 0xfb. */
export function textRow(columns: WireColumn[], row: unknown[], offsetMinutes: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < columns.length; i++) {
    const text = formatValue(row[i], columns[i]!.type, offsetMinutes, 'mysql');
    parts.push(text === null ? Buffer.from([0xfb]) : lenencBytes(text));
  }
  return Buffer.concat(parts);
}

function binaryDateTime(value: number | bigint, unitsPerSecond: number, offsetMinutes: number): Buffer {
  const { seconds, nanos } = splitTimestamp(value, unitsPerSecond);
  const date = new Date((seconds + offsetMinutes * 60) * 1000);
  const micros = Math.floor(nanos / 1000);
  const out = Buffer.alloc(12);
  out[0] = 11;
  out.writeUInt16LE(date.getUTCFullYear(), 1);
  out[3] = date.getUTCMonth() + 1;
  out[4] = date.getUTCDate();
  out[5] = date.getUTCHours();
  out[6] = date.getUTCMinutes();
  out[7] = date.getUTCSeconds();
  out.writeUInt32LE(micros, 8);
  return out;
}

function binaryValue(column: WireColumn, value: unknown, offsetMinutes: number): Buffer {
  const typeClass = column.type.class;
  const number = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
  switch (columnTypeOf(column)) {
    case ColumnType.tiny: {
      const out = Buffer.alloc(1);
      out[0] = number & 0xff;
      return out;
    }
    case ColumnType.short: {
      const out = Buffer.alloc(2);
      if (typeClass === 'uint16') out.writeUInt16LE(number);
      else out.writeInt16LE(number);
      return out;
    }
    case ColumnType.long: {
      const out = Buffer.alloc(4);
      if (typeClass === 'uint32') out.writeUInt32LE(number);
      else out.writeInt32LE(number);
      return out;
    }
    case ColumnType.longlong: {
      const out = Buffer.alloc(8);
      const big = BigInt(typeof value === 'string' || typeof value === 'bigint' ? value : Math.trunc(number));
      if (typeClass === 'uint64') out.writeBigUInt64LE(big);
      else out.writeBigInt64LE(big);
      return out;
    }
    case ColumnType.float: {
      const out = Buffer.alloc(4);
      out.writeFloatLE(number);
      return out;
    }
    case ColumnType.double: {
      const out = Buffer.alloc(8);
      out.writeDoubleLE(number);
      return out;
    }
    case ColumnType.timestamp:
      return binaryDateTime(typeof value === 'bigint' ? value : number, column.type.unitsPerSecond, offsetMinutes);
    case ColumnType.date: {
      const date = new Date(number * 86_400_000);
      const out = Buffer.alloc(5);
      out[0] = 4;
      out.writeUInt16LE(date.getUTCFullYear(), 1);
      out[3] = date.getUTCMonth() + 1;
      out[4] = date.getUTCDate();
      return out;
    }
    default:
      return lenencBytes(formatValue(value, column.type, offsetMinutes, 'mysql') ?? '');
  }
}

/** One row of a binary result set: 0x00, the NULL bitmap (offset 2), then the non-NULL values. */
export function binaryRow(columns: WireColumn[], row: unknown[], offsetMinutes: number): Buffer {
  const bitmap = Buffer.alloc(Math.floor((columns.length + 7 + 2) / 8));
  const values: Buffer[] = [];
  for (let i = 0; i < columns.length; i++) {
    const value = row[i];
    if (value === null || value === undefined || columns[i]!.type.class === 'null') {
      const bit = i + 2;
      bitmap[bit >> 3]! |= 1 << (bit & 7);
      continue;
    }
    values.push(binaryValue(columns[i]!, value, offsetMinutes));
  }
  return Buffer.concat([Buffer.from([0x00]), bitmap, ...values]);
}
