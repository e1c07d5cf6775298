/**
 * Result columns, values and parameters in PostgreSQL's terms. Type OIDs follow GreptimeDB's
 * mapping (`type_gt_to_pg`): Int8/Int16/UInt8 → int2, Int32/UInt16 → int4, Int64/UInt32 → int8,
 * UInt64 → numeric, Float32 → float4, Float64 → float8, String → varchar, Binary → bytea,
 * Date → date, Timestamp → timestamp, Null → unknown. Values go out in text or binary format
 * as the client asks per column; parameters come in either format and become SQL literals.
 */
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ParamValue } from '../wire/prepared-statement.ts';
import { formatValue, splitTimestamp } from '../wire/value-text.ts';
import type { WireTypeClass } from '../wire/value-text.ts';
import type { WireColumn } from '../wire/wire-session.ts';

export const Oid = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
} as const;

const oids: Record<WireTypeClass, number> = {
  null: Oid.unknown,
  boolean: Oid.bool,
  int8: Oid.int2,
  int16: Oid.int2,
  uint8: Oid.int2,
  int32: Oid.int4,
  uint16: Oid.int4,
  int64: Oid.int8,
  uint32: Oid.int8,
  uint64: Oid.numeric,
  float32: Oid.float4,
  float64: Oid.float8,
  string: Oid.varchar,
  binary: Oid.bytea,
  date: Oid.date,
  timestamp: Oid.timestamp,
  other: Oid.varchar,
};

const typeSizes: Partial<Record<number, number>> = {
  [Oid.bool]: 1,
  [Oid.int2]: 2,
  [Oid.int4]: 4,
  [Oid.int8]: 8,
  [Oid.float4]: 4,
  [Oid.float8]: 8,
  [Oid.date]: 4,
  [Oid.timestamp]: 8,
};

export function oidOf(column: WireColumn): number {
  return oids[column.type.class];
}

export function typeSizeOf(oid: number): number {
  return typeSizes[oid] ?? -1;
}

/** Microseconds and days between the Unix epoch and PostgreSQL's (2000-01-01). */
const pgEpochSeconds = 946_684_800;
const pgEpochDays = 10_957;

/** A value in text format, or null for SQL NULL. */
export function textValue(column: WireColumn, value: unknown, offsetMinutes: number): Buffer | null {
  if (column.type.class === 'binary' && value !== null && value !== undefined) {
    const bytes = value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value), 'utf8');
    return Buffer.from(`\\x${bytes.toString('hex')}`, 'latin1');
  }
  const text = formatValue(value, column.type, offsetMinutes, 'postgres');
  return text === null ? null : Buffer.from(text, 'utf8');
}

/** An integer as PostgreSQL's binary numeric: base-10000 digits, weight, sign, scale 0. */
function binaryNumeric(value: bigint): Buffer {
  const negative = value < 0n;
  let rest = negative ? -value : value;
  const digits: number[] = [];
  while (rest > 0n) {
    digits.unshift(Number(rest % 10000n));
    rest /= 10000n;
  }
  const out = Buffer.alloc(8 + digits.length * 2);
  out.writeInt16BE(digits.length, 0);
  out.writeInt16BE(digits.length - 1, 2);
  out.writeUInt16BE(negative ? 0x4000 : 0, 4);
  out.writeInt16BE(0, 6);
  digits.forEach((digit, i) => out.writeInt16BE(digit, 8 + i * 2));
  return out;
}

/** A value in binary format, or null for SQL NULL. */
export function binaryValue(column: WireColumn, value: unknown, offsetMinutes: number): Buffer | null {
  if (value === null || value === undefined || column.type.class === 'null') return null;
  const number = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
  switch (oidOf(column)) {
    case Oid.bool:
      return Buffer.from([number ? 1 : 0]);
    case Oid.int2: {
      const out = Buffer.alloc(2);
      out.writeInt16BE(number);
      return out;
    }
    case Oid.int4: {
      const out = Buffer.alloc(4);
      out.writeInt32BE(number);
      return out;
    }
    case Oid.int8: {
      const out = Buffer.alloc(8);
      out.writeBigInt64BE(BigInt(typeof value === 'string' || typeof value === 'bigint' ? value : Math.trunc(number)));
      return out;
    }
    case Oid.numeric:
      return binaryNumeric(BigInt(typeof value === 'string' || typeof value === 'bigint' ? value : Math.trunc(number)));
    case Oid.float4: {
      const out = Buffer.alloc(4);
      out.writeFloatBE(number);
      return out;
    }
    case Oid.float8: {
      const out = Buffer.alloc(8);
      out.writeDoubleBE(number);
      return out;
    }
    case Oid.date: {
      const out = Buffer.alloc(4);
      out.writeInt32BE(number - pgEpochDays);
      return out;
    }
    case Oid.timestamp: {
      const exact = typeof value === 'bigint' ? value : number;
      const { seconds, nanos } = splitTimestamp(exact, column.type.unitsPerSecond);
      const micros =
        BigInt(seconds + offsetMinutes * 60 - pgEpochSeconds) * 1_000_000n + BigInt(Math.floor(nanos / 1000));
      const out = Buffer.alloc(8);
      out.writeBigInt64BE(micros);
      return out;
    }
    case Oid.bytea:
      return value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value), 'utf8');
    default:
      return textValue(column, value, offsetMinutes);
  }
}

const numericOids = new Set<number>([Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8, Oid.numeric, Oid.oid]);
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function badParam(index: number, oid: number, detail: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Invalid parameter $${index + 1} of type ${oid}: ${detail}`);
}

/** The timestamp `micros` after PostgreSQL's epoch as a SQL string literal's content. */
function pgTimestampText(micros: bigint): string {
  const millis = Number(micros / 1000n) + pgEpochSeconds * 1000;
  const fraction = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const iso = new Date(millis).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${String(fraction).padStart(6, '0')}` : ''}`;
}

/**
 * A Bind parameter as a `ParamValue`. Text parameters of numeric or unspecified type that read
 * as numbers go in as numbers (so `LIMIT $1` works when the client did not name a type).
 */
export function decodeParam(index: number, oid: number, format: number, raw: Buffer | null): ParamValue {
  if (raw === null) return null;
  if (format === 0) {
    const text = raw.toString('utf8');
    if (numericOids.has(oid)) {
      if (!numberPattern.test(text.trim())) throw badParam(index, oid, `'${text}' is not a number`);
      return { sql: text.trim() };
    }
    if (oid === Oid.bool) return /^(t|true|1|y|yes|on)$/i.test(text.trim());
    if (oid === 0 && numberPattern.test(text)) return { sql: text };
    if (oid === Oid.bytea && text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
    return text;
  }
  const need = (length: number) => {
    if (raw.length !== length) throw badParam(index, oid, `expected ${length} bytes, got ${raw.length}`);
  };
  switch (oid) {
    case Oid.bool:
      need(1);
      return raw[0] !== 0;
    case Oid.int2:
      need(2);
      return raw.readInt16BE(0);
    case Oid.int4:
    case Oid.oid:
      need(4);
      return raw.readInt32BE(0);
    case Oid.int8: {
      need(8);
      const value = raw.readBigInt64BE(0);
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value;
    }
    case Oid.float4:
      need(4);
      return raw.readFloatBE(0);
    case Oid.float8:
      need(8);
      return raw.readDoubleBE(0);
    case Oid.bytea:
      return Buffer.from(raw);
    case Oid.date: {
      need(4);
      const days = raw.readInt32BE(0) + pgEpochDays;
      return new Date(days * 86_400_000).toISOString().slice(0, 10);
    }
    case Oid.timestamp:
    case Oid.timestamptz:
      need(8);
      return pgTimestampText(raw.readBigInt64BE(0));
    default:
      return raw.toString('utf8');
  }
}
