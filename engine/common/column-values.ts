/**
 * Column values one at a time, for the places that convert data written before an ALTER:
 * storage reading a field whose type changed (every value cast from the file's type, as
 * Arrow's safe cast does: what does not convert is null) or a column added with a DEFAULT (the
 * constant, repeated), and the frontend casting a column's DEFAULT to its new type. Only data
 * from before an alter comes through here, so a per-value loop is fine; hot paths never do.
 */
import type { Data, DataType } from 'apache-arrow';
import { Type, makeBuilder, makeData, makeVector } from 'apache-arrow';
import type { ColumnType, TimeUnit } from './column-type.ts';

/** One value in its column type's JS form: bigint for 64-bit integers and timestamps, days for dates. */
export type ColumnValue = number | bigint | string | boolean | Uint8Array | null;

const ticksPerDay: Record<TimeUnit, bigint> = {
  s: 86_400n,
  ms: 86_400_000n,
  us: 86_400_000_000n,
  ns: 86_400_000_000_000n,
};
const ticksPerSecond: Record<TimeUnit, bigint> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

const integerRanges: Record<string, readonly [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

/** The values of `data` (a column of `type`, string tags possibly dictionary-encoded). */
export function columnValues(data: Data, type: ColumnType): ColumnValue[] {
  const values: ColumnValue[] = new Array<ColumnValue>(data.length);
  const hasNulls = data.nullCount > 0;
  const direct = data.typeId !== Type.Dictionary && data.typeId !== Type.Bool && data.typeId !== Type.Utf8;
  const vector = direct && type.kind !== 'binary' && type.kind !== 'decimal128' ? undefined : makeVector(data);
  // apache-arrow slices `values` with the data; only the validity bitmap uses `offset`.
  const raw = data.values as ArrayLike<number | bigint>;
  for (let i = 0; i < data.length; i++) {
    if (hasNulls && !data.getValid(i)) {
      values[i] = null;
    } else if (vector === undefined) {
      values[i] = raw[i]!;
    } else {
      const value = vector.get(i) as unknown;
      values[i] = type.kind === 'decimal128' ? null : (value as ColumnValue);
    }
  }
  return values;
}

/** `value` of type `from` as type `to`; null where Arrow's safe cast gives null. */
export function castValue(value: ColumnValue, from: ColumnType, to: ColumnType): ColumnValue {
  if (value === null) return null;
  if (JSON.stringify(from) === JSON.stringify(to)) return value;
  switch (to.kind) {
    case 'string':
      return valueText(value, from);
    case 'boolean':
      if (typeof value === 'string') return booleanOf(value);
      return typeof value === 'boolean' ? value : Number(value) !== 0;
    case 'float32':
    case 'float64': {
      if (typeof value === 'string') return floatOf(value);
      const number = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      return to.kind === 'float32' ? Math.fround(number) : number;
    }
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32': {
      const integer = integerOf(value, from);
      if (integer === null) return null;
      const [min, max] = integerRanges[to.kind]!;
      return integer < BigInt(min) || integer > BigInt(max) ? null : Number(integer);
    }
    case 'int64':
    case 'uint64': {
      const integer = integerOf(value, from);
      if (integer === null) return null;
      if (to.kind === 'uint64') return integer < 0n || integer >= 2n ** 64n ? null : integer;
      return integer < -(2n ** 63n) || integer >= 2n ** 63n ? null : integer;
    }
    case 'date':
      if (from.kind === 'timestamp') return Number(floorDiv(value as bigint, ticksPerDay[from.unit]));
      if (typeof value === 'string') return dateOf(value);
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'timestamp':
      if (from.kind === 'timestamp') return convertUnit(value as bigint, from.unit, to.unit);
      if (from.kind === 'date') return BigInt(value as number) * ticksPerDay[to.unit];
      if (typeof value === 'string') return timestampOf(value, to.unit);
      return integerOf(value, from);
    case 'binary':
      return typeof value === 'string' ? new TextEncoder().encode(value) : null;
    default:
      return null;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function convertUnit(value: bigint, from: TimeUnit, to: TimeUnit): bigint {
  const a = ticksPerSecond[from];
  const b = ticksPerSecond[to];
  return b >= a ? value * (b / a) : value / (a / b);
}

function integerOf(value: ColumnValue, from: ColumnType): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // Floats truncate toward zero, as Arrow casts them.
    return from.kind.startsWith('float') ? BigInt(Math.trunc(value)) : BigInt(value);
  }
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return /^[+-]?\d+$/.test(trimmed) ? BigInt(trimmed) : null;
  }
  return null;
}

function booleanOf(text: string): boolean | null {
  const lower = text.trim().toLowerCase();
  if (['true', 't', 'yes', 'y', 'on', '1'].includes(lower)) return true;
  if (['false', 'f', 'no', 'n', 'off', '0'].includes(lower)) return false;
  return null;
}

function floatOf(text: string): number | null {
  const lower = text.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(lower)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return null;
  return Number(lower);
}

function dateOf(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? null : Math.floor(ms / 86_400_000);
}

function timestampOf(text: string, unit: TimeUnit): bigint | null {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  let seconds = BigInt(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000);
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const offset = Number(digits.slice(1, 3)) * 3600 + Number(digits.slice(3, 5)) * 60;
    seconds -= BigInt(zone.startsWith('-') ? -offset : offset);
  }
  const nanos = BigInt(fraction.padEnd(9, '0'));
  return seconds * ticksPerSecond[unit] + (nanos * ticksPerSecond[unit]) / 1_000_000_000n;
}

/** A value as Arrow's cast to Utf8 prints it (floats always with a fraction or exponent). */
function valueText(value: ColumnValue, from: ColumnType): string | null {
  switch (from.kind) {
    case 'float32':
    case 'float64': {
      const number = value as number;
      if (Number.isNaN(number)) return 'NaN';
      if (!Number.isFinite(number)) return number > 0 ? 'inf' : '-inf';
      const text = String(number).replace('e+', 'e');
      return /[.e]/.test(text) ? text : `${text}.0`;
    }
    case 'timestamp': {
      const ticks = value as bigint;
      const perSecond = ticksPerSecond[from.unit];
      const seconds = floorDiv(ticks, perSecond);
      const date = new Date(Number(seconds) * 1000);
      // Beyond JavaScript's date range (±273,790 years) there is no text to give.
      if (Number.isNaN(date.getTime())) return null;
      const iso = date.toISOString().slice(0, 19);
      const rest = ticks - seconds * perSecond;
      const digits = from.unit === 's' ? 0 : String(perSecond).length - 1;
      return rest === 0n ? iso : `${iso}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
    }
    case 'date': {
      const date = new Date((value as number) * 86_400_000);
      return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
    }
    case 'binary':
      return new TextDecoder().decode(value as Uint8Array);
    default:
      return String(value);
  }
}

/** A stored default (`ColumnSchema.defaultValue`) as a value of `type`; throws when it is not one. */
export function parseDefaultText(text: string, type: ColumnType): ColumnValue {
  switch (type.kind) {
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new Error(`"${text}" is not a boolean`);
      return text === 'true';
    case 'int64':
    case 'uint64':
    case 'timestamp':
      if (!/^-?\d+$/.test(text)) throw new Error(`"${text}" is not an integer`);
      return BigInt(text);
    case 'string':
      return text;
    case 'binary':
      return new TextEncoder().encode(text);
    case 'decimal128':
      throw new Error('decimal defaults are not stored in the region');
    default: {
      const number = Number(text);
      if (text.trim() === '' || Number.isNaN(number)) throw new Error(`"${text}" is not a number`);
      return number;
    }
  }
}

/** The text `parseDefaultText` reads back as `value` (a value of some column type), or undefined for null. */
export function defaultTextOf(value: ColumnValue): string | undefined {
  if (value === null) return undefined;
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);
}

/** Arrow data of `arrowType` (a column of `type`; a dictionary for string tags) holding `values`. */
export function columnDataOf(type: ColumnType, arrowType: DataType, values: readonly ColumnValue[]): Data {
  const length = values.length;
  let nullCount = 0;
  const validity = new Uint8Array((length + 7) >> 3);
  values.forEach((value, i) => {
    if (value === null) nullCount++;
    else validity[i >> 3]! |= 1 << (i & 7);
  });
  const nullBitmap = nullCount > 0 ? validity : undefined;
  const fixed = fixedArrayOf(type, length);
  if (fixed !== undefined) {
    values.forEach((value, i) => {
      if (value !== null) (fixed as unknown as (number | bigint)[])[i] = value as number | bigint;
    });
    return makeData({ type: arrowType as never, length, nullCount, nullBitmap, data: fixed as never });
  }
  const builder = makeBuilder({ type: arrowType, nullValues: [null] });
  for (const value of values) builder.append(value as never);
  return builder.finish().flush();
}

function fixedArrayOf(type: ColumnType, length: number): ArrayLike<number | bigint> | undefined {
  switch (type.kind) {
    case 'int8':
      return new Int8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'int32':
    case 'date':
      return new Int32Array(length);
    case 'uint8':
      return new Uint8Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int64':
    case 'timestamp':
      return new BigInt64Array(length);
    case 'uint64':
      return new BigUint64Array(length);
    default:
      return undefined;
  }
}
