/**
 * Result values as the text both wire protocols send, following what GreptimeDB's servers
 * print: floats in Rust's `Display` form (`1`, `0.5`, `100000000000000000000`, `NaN`, `inf`),
 * timestamps as local date-times in the session's time zone, dates as `YYYY-MM-DD`.
 * The SQL engine reports values as JSON-like rows with GreptimeDB type names
 * (`Int64`, `Float64`, `String`, `TimestampMillisecond`, `Date`, ...); `wireTypeOf` sorts those.
 */

export type WireTypeClass =
  | 'null'
  | 'boolean'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'string'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'other';

export interface WireType {
  class: WireTypeClass;
  /** Units per second, for timestamps. */
  unitsPerSecond: number;
}

const simpleClasses: Record<string, WireTypeClass> = {
  Null: 'null',
  Boolean: 'boolean',
  Int8: 'int8',
  Int16: 'int16',
  Int32: 'int32',
  Int64: 'int64',
  UInt8: 'uint8',
  UInt16: 'uint16',
  UInt32: 'uint32',
  UInt64: 'uint64',
  Float32: 'float32',
  Float64: 'float64',
  String: 'string',
  Utf8: 'string',
  Binary: 'binary',
  Date: 'date',
};

const timestampUnits: Record<string, number> = {
  TimestampSecond: 1,
  TimestampMillisecond: 1e3,
  TimestampMicrosecond: 1e6,
  TimestampNanosecond: 1e9,
};

/** Sorts a GreptimeDB `data_type` name into the classes the wire encoders know. */
export function wireTypeOf(dataType: string): WireType {
  const unitsPerSecond = timestampUnits[dataType];
  if (unitsPerSecond !== undefined) return { class: 'timestamp', unitsPerSecond };
  return { class: simpleClasses[dataType] ?? 'other', unitsPerSecond: 1 };
}

/** Writes a finite number without exponent notation, as Rust's `Display` for floats does. */
function plainDecimal(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = lead! + fraction;
  const exponent = Number(exponentText);
  if (exponent >= 0) {
    const intDigits = 1 + exponent;
    if (digits.length <= intDigits) return sign + digits + '0'.repeat(intDigits - digits.length);
    return `${sign}${digits.slice(0, intDigits)}.${digits.slice(intDigits)}`;
  }
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

/** A float as Rust's `Display` prints it (f32 when `single`). */
export function formatFloat(value: number, single = false): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  if (single) {
    const target = Math.fround(value);
    for (let precision = 1; precision <= 9; precision++) {
      const candidate = Number(target.toPrecision(precision));
      if (Math.fround(candidate) === target) return plainDecimal(String(candidate));
    }
  }
  return plainDecimal(String(value));
}

/** An integer value (a JS number or a decimal string) as decimal text. */
export function formatInteger(value: unknown): string {
  if (typeof value === 'number') return Math.abs(value) >= 1e21 ? BigInt(value).toString() : String(value);
  return String(value);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Days since the epoch as `YYYY-MM-DD`. */
export function formatDate(days: number): string {
  const date = new Date(days * 86_400_000);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * A timestamp split into whole seconds since the epoch and nanoseconds within the second; a
 * bigint (nanoseconds past 2^53, as query results carry them) splits exactly.
 */
export function splitTimestamp(value: number | bigint, unitsPerSecond: number): { seconds: number; nanos: number } {
  if (typeof value === 'bigint') {
    const perSecond = BigInt(unitsPerSecond);
    let whole = value / perSecond;
    if (whole * perSecond > value) whole -= 1n;
    return { seconds: Number(whole), nanos: Number((value - whole * perSecond) * (1_000_000_000n / perSecond)) };
  }
  const seconds = Math.floor(value / unitsPerSecond);
  const nanos = Math.round((value - seconds * unitsPerSecond) * (1e9 / unitsPerSecond));
  return { seconds, nanos };
}

/**
 * A timestamp as local date-time text at `offsetMinutes` east of UTC. `mysql` style writes the
 * fraction as chrono's `%.f` (none, 3, 6 or 9 digits); `postgres` style as PostgreSQL (up to
 * microseconds, trailing zeros dropped).
 */
export function formatTimestamp(
  value: number | bigint,
  unitsPerSecond: number,
  offsetMinutes: number,
  style: 'mysql' | 'postgres',
): string {
  const { seconds, nanos } = splitTimestamp(value, unitsPerSecond);
  const date = new Date((seconds + offsetMinutes * 60) * 1000);
  const base =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  if (nanos === 0) return base;
  if (style === 'postgres') {
    const micros = Math.floor(nanos / 1000);
    return micros === 0 ? base : `${base}.${pad(micros, 6).replace(/0+$/, '')}`;
  }
  const digits = nanos % 1_000_000 === 0 ? 3 : nanos % 1000 === 0 ? 6 : 9;
  return `${base}.${pad(nanos, 9).slice(0, digits)}`;
}

/**
 * A value as wire text for its type, or null for SQL NULL. Booleans are left to the caller
 * (`1`/`0` for MySQL, `t`/`f` for PostgreSQL), as are time zones (`offsetMinutes`).
 */
export function formatValue(
  value: unknown,
  type: WireType,
  offsetMinutes: number,
  style: 'mysql' | 'postgres',
): string | null {
  if (value === null || value === undefined) return null;
  switch (type.class) {
    case 'null':
      return null;
    case 'boolean':
      if (typeof value === 'boolean') return style === 'mysql' ? (value ? '1' : '0') : value ? 't' : 'f';
      return String(value);
    case 'float32':
    case 'float64':
      return typeof value === 'number' ? formatFloat(value, type.class === 'float32') : String(value);
    case 'timestamp':
      return typeof value === 'number' || typeof value === 'bigint'
        ? formatTimestamp(value, type.unitsPerSecond, offsetMinutes, style)
        : String(value);
    case 'date':
      return typeof value === 'number' ? formatDate(value) : String(value);
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'bigint' ? String(value) : jsonText(value);
    default:
      if (typeof value === 'number') return Number.isInteger(value) ? formatInteger(value) : formatFloat(value);
      if (typeof value === 'string') return value;
      // 64-bit integers past 2^53 arrive exact, as bigints.
      if (typeof value === 'bigint') return String(value);
      if (typeof value === 'boolean') return style === 'mysql' ? (value ? '1' : '0') : value ? 't' : 'f';
      return jsonText(value);
  }
}

/**
 * JSON text in which 64-bit integers past 2^53 (bigints, as query results carry them) are plain
 * numbers with every digit, as GreptimeDB (serde_json) writes i64 / u64. JSON.stringify cannot,
 * so only a value holding one takes the slower path through a marker string.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/.test(error.message)) throw error;
  }
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? `${BIGINT_MARK}${item}${BIGINT_MARK}` : item,
  );
  return text.replace(BIGINT_PATTERN, '$1');
}

const BIGINT_MARK = '\u0000bigint\u0000';
const BIGINT_PATTERN = /"\\u0000bigint\\u0000(-?\d+)\\u0000bigint\\u0000"/g;
