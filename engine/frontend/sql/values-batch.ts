/**
 * `INSERT ... VALUES` rows → one Arrow RecordBatch in the table's column types, the batch a
 * region put carries. Values are constants: numbers, strings, booleans, NULL, signed numbers,
 * `TIMESTAMP '...'`, `DEFAULT`, and `now()` / `current_timestamp` for times. Strings convert to
 * timestamps (UTC unless they carry an offset), dates, numbers and booleans as GreptimeDB casts
 * them; 64-bit integers and timestamps stay exact (BigInt64Array).
 *
 * Columns not named in the INSERT get their DEFAULT, or are left out of the batch (the region
 * stores null); a missing time index without a default is an error.
 */
import { Bool, Field, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { localToUtcMs } from '../../query/index.ts';
import type { TableInfo } from '../../rpc/index.ts';
import { formatExpr, parseExpression } from '../../sql/index.ts';
import type { Expr } from '../../sql/index.ts';
import { arrowTypeOfColumn, greptimeColumnTypeName } from './column-types.ts';
import type { TimeUnit, WireColumnSchema, WireColumnType } from './column-types.ts';

type Value = number | bigint | string | boolean | Uint8Array | null;

const ticksPerSecond: Record<TimeUnit, bigint> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

/**
 * Builds the put batch for `rows` written to `columns` (all columns in CREATE order when the
 * INSERT names none). `nowMs` is what `now()` means for this statement.
 */
export function valuesBatch(
  table: TableInfo,
  columns: readonly string[],
  rows: readonly (readonly Expr[])[],
  nowMs: number,
  timeZone?: string,
): RecordBatch {
  const byName = new Map(table.regionSchema.columns.map((column) => [column.name, column]));
  const targets = (columns.length > 0 ? columns : table.columnOrder).map((name) => {
    const column = byName.get(name);
    if (!column) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Column ${name} not found in table ${table.name}`);
    }
    return column;
  });
  if (new Set(targets).size !== targets.length) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Column specified twice in INSERT INTO ${table.name}`);
  }
  rows.forEach((row) => {
    if (row.length !== targets.length) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid SQL, error: column count mismatch, columns: ${targets.length}, values: ${row.length}`,
      );
    }
  });

  const defaults = table.defaults ?? {};
  const output: { column: WireColumnSchema; values: Value[] }[] = targets.map((column, c) => ({
    column,
    values: rows.map((row) => {
      const expr = row[c]!;
      if (expr.kind === 'default') return defaultValue(column, defaults[column.name], nowMs, timeZone);
      return checkNull(column, convert(expr, column, nowMs, timeZone));
    }),
  }));
  for (const column of table.regionSchema.columns) {
    if (targets.includes(column)) continue;
    const text = defaults[column.name];
    if (text !== undefined) {
      const value = defaultValue(column, text, nowMs, timeZone);
      output.push({ column, values: rows.map(() => value) });
    } else if (column.semantic === 'timestamp') {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Invalid request for region, reason: missing required time index column ${column.name}`,
      );
    } else if (!column.nullable) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Column ${column.name} has no default value and is not nullable; INSERT INTO ${table.name} must give it`,
      );
    }
  }

  const fields = output.map(({ column }) => new Field(column.name, arrowTypeOfColumn(column.type), column.nullable));
  const children = output.map(({ column, values }, i) => columnData(fields[i]!, column.type, values));
  return new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children }),
  );
}

function defaultValue(column: WireColumnSchema, text: string | undefined, nowMs: number, timeZone?: string): Value {
  if (text === undefined && !column.nullable) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `No valid default value can be built automatically, column: ${column.name}`,
    );
  }
  if (text === undefined) return null;
  return checkNull(column, convert(parseExpression(text), column, nowMs, timeZone));
}

function checkNull(column: WireColumnSchema, value: Value): Value {
  if (value === null && !column.nullable) {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Invalid request to region, reason: column ${column.name} is not null but input has null`,
    );
  }
  return value;
}

function cannotConvert(expr: Expr, type: WireColumnType, column: string): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `Cannot insert ${formatExpr(expr)} into column ${column} of type ${greptimeColumnTypeName(type)}`,
  );
}

/** One constant in the column's type; the type's JS representation (bigint for 64-bit and times). */
export function convert(expr: Expr, column: WireColumnSchema, nowMs: number, timeZone?: string): Value {
  const type = column.type;
  switch (expr.kind) {
    case 'null':
      return null;
    case 'nested':
      return convert(expr.expr, column, nowMs, timeZone);
    case 'unary': {
      if ((expr.op === '-' || expr.op === '+') && expr.operand.kind === 'number') {
        return fromNumberText(expr.op === '-' ? `-${expr.operand.text}` : expr.operand.text, expr, column);
      }
      break;
    }
    case 'number':
      return fromNumberText(expr.text, expr, column);
    case 'string':
      return fromString(expr.value, expr, column, timeZone);
    case 'typed-string':
      return fromString(expr.value, expr, column, timeZone);
    case 'hex':
      // X'AA01' into a binary column is its bytes; elsewhere GreptimeDB refuses it.
      if (type.kind === 'binary' && expr.digits.length % 2 === 0)
        return Uint8Array.from(Buffer.from(expr.digits, 'hex'));
      throw cannotConvert(expr, type, column.name);
    case 'boolean':
      if (type.kind === 'boolean') return expr.value;
      if (type.kind === 'string') return String(expr.value);
      return fromNumberText(expr.value ? '1' : '0', expr, column);
    case 'function':
    case 'identifier': {
      const name = (expr.kind === 'function' ? expr.name.parts : expr.parts).map((part) => part.value).join('.');
      const noArgs = expr.kind === 'identifier' || expr.args.length === 0;
      if (noArgs && ['now', 'current_timestamp', 'localtimestamp'].includes(name) && type.kind === 'timestamp') {
        return (BigInt(Math.floor(nowMs)) * ticksPerSecond[type.unit]) / 1000n;
      }
      break;
    }
  }
  throw new TesseraError(
    ErrorCode.Unsupported,
    `INSERT values must be constants in this build of Tessera; cannot evaluate ${formatExpr(expr)} for column ${column.name}`,
  );
}

function fromNumberText(text: string, expr: Expr, column: WireColumnSchema): Value {
  const type = column.type;
  switch (type.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'float32':
    case 'float64': {
      if (type.kind.startsWith('float')) {
        const float = floatText(text);
        // NaN is a float value; only text that is no number at all is refused.
        if (Number.isNaN(float) && !/^[+-]?nan$/i.test(text.trim())) throw cannotConvert(expr, type, column.name);
        return float;
      }
      const value = Number(text);
      if (Number.isNaN(value)) throw cannotConvert(expr, type, column.name);
      return checkRange(Math.trunc(value), type, expr, column.name);
    }
    case 'int64':
    case 'uint64':
    case 'timestamp': {
      const value = integerText(text);
      if (value === undefined) throw cannotConvert(expr, type, column.name);
      if (type.kind === 'uint64' && value < 0n) throw cannotConvert(expr, type, column.name);
      return value;
    }
    case 'boolean':
      return Number(text) !== 0;
    case 'string':
      return text;
    case 'decimal128': {
      const value = decimalText(text, type.scale);
      if (value === undefined) throw cannotConvert(expr, type, column.name);
      if (value >= 10n ** BigInt(type.precision) || value <= -(10n ** BigInt(type.precision))) {
        throw cannotConvert(expr, type, column.name);
      }
      return value;
    }
    default:
      throw cannotConvert(expr, type, column.name);
  }
}

/** A float from text as Rust parses one: decimal, or `inf` / `infinity` / `nan` in any case, signed. */
function floatText(text: string): number {
  const trimmed = text.trim().toLowerCase();
  const body = trimmed.replace(/^[+-]/, '');
  const sign = trimmed.startsWith('-') ? -1 : 1;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  return trimmed === '' ? NaN : Number(trimmed);
}

/** The value of decimal text times 10^scale, rounded half away from zero; undefined if not a number. */
function decimalText(text: string, scale: number): bigint | undefined {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const fraction = match[3] ?? '';
  const digits = BigInt((match[2] || '0') + fraction);
  const shift = scale + Number(match[4] ?? 0) - fraction.length;
  let magnitude: bigint;
  if (shift >= 0) magnitude = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    magnitude = digits / divisor + ((digits % divisor) * 2n >= divisor ? 1n : 0n);
  }
  return match[1] === '-' ? -magnitude : magnitude;
}

const integerRanges: Partial<Record<WireColumnType['kind'], [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

function checkRange(value: number, type: WireColumnType, expr: Expr, column: string): number {
  const range = integerRanges[type.kind];
  if (range && (value < range[0] || value > range[1])) throw cannotConvert(expr, type, column);
  return value;
}

/** An integer from decimal text; a fraction is truncated toward zero, as a cast does. */
function integerText(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return BigInt(trimmed);
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return undefined;
  return BigInt(Math.trunc(value));
}

function fromString(text: string, expr: Expr, column: WireColumnSchema, timeZone?: string): Value {
  const type = column.type;
  switch (type.kind) {
    case 'string':
      return text;
    case 'binary':
      return new TextEncoder().encode(text);
    case 'timestamp': {
      const value = parseTimestamp(text, type.unit, timeZone);
      if (value === undefined) throw cannotConvert(expr, type, column.name);
      return value;
    }
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
      if (!match) throw cannotConvert(expr, type, column.name);
      return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true' || lower === 'false') return lower === 'true';
      throw cannotConvert(expr, type, column.name);
    }
    default:
      return fromNumberText(text, expr, column);
  }
}

/**
 * `YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z|±HH[:MM]]` (or a date alone) → ticks of `unit`; UTC
 * when no offset is written. Integer strings are taken as ticks already. Undefined when the
 * text is none of these.
 */
export function parseTimestamp(text: string, unit: TimeUnit, timeZone?: string): bigint | undefined {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return BigInt(trimmed);
  const match =
    /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      trimmed,
    );
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const ms = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
  );
  if (Number.isNaN(ms)) return undefined;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
  } else if (!zone && timeZone !== undefined) {
    // No offset written: wall-clock time in the session time zone.
    offsetMinutes = (ms - localToUtcMs(timeZone, ms)) / 60_000;
  }
  const seconds = BigInt(ms / 1000 - offsetMinutes * 60);
  const nanos = BigInt((fraction ?? '').padEnd(9, '0'));
  const perSecond = ticksPerSecond[unit];
  return seconds * perSecond + (nanos * perSecond) / 1_000_000_000n;
}

/** One Arrow column from converted values (nulls in a validity bitmap). */
function columnData(field: Field, type: WireColumnType, values: readonly Value[]): Data {
  const length = values.length;
  let nullCount = 0;
  const nullBitmap = new Uint8Array(Math.ceil(length / 8));
  values.forEach((value, i) => {
    if (value === null) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  const base = { type: field.type, length, nullCount, ...(nullCount > 0 ? { nullBitmap } : {}) };
  switch (type.kind) {
    case 'string':
    case 'binary': {
      const encoder = new TextEncoder();
      const parts = values.map((value) =>
        value === null ? new Uint8Array(0) : value instanceof Uint8Array ? value : encoder.encode(String(value)),
      );
      const valueOffsets = new Int32Array(length + 1);
      parts.forEach((part, i) => (valueOffsets[i + 1] = valueOffsets[i]! + part.length));
      const data = new Uint8Array(valueOffsets[length]!);
      parts.forEach((part, i) => data.set(part, valueOffsets[i]!));
      return makeData({ ...base, valueOffsets, data } as never);
    }
    case 'boolean': {
      const data = new Uint8Array(Math.ceil(length / 8));
      values.forEach((value, i) => {
        if (value === true) data[i >> 3]! |= 1 << (i & 7);
      });
      return makeData({ ...base, type: new Bool(), data } as never);
    }
    case 'int64':
    case 'timestamp':
      return makeData({ ...base, data: BigInt64Array.from(values, (v) => (typeof v === 'bigint' ? v : 0n)) } as never);
    case 'uint64':
      return makeData({ ...base, data: BigUint64Array.from(values, (v) => (typeof v === 'bigint' ? v : 0n)) } as never);
    case 'decimal128': {
      // 128-bit two's complement, little-endian 32-bit words.
      const words = new Uint32Array(length * 4);
      values.forEach((value, i) => {
        let bits = BigInt.asUintN(128, typeof value === 'bigint' ? value : 0n);
        for (let w = 0; w < 4; w++, bits >>= 32n) words[i * 4 + w] = Number(bits & 0xffffffffn);
      });
      return makeData({ ...base, data: words } as never);
    }
    default: {
      const ArrayType = typedArrays[type.kind];
      if (!ArrayType) throw new TesseraError(ErrorCode.Unsupported, `Cannot build ${type.kind} columns yet`);
      return makeData({ ...base, data: ArrayType.from(values, (v) => (typeof v === 'number' ? v : 0)) } as never);
    }
  }
}

type NumberArrayType = { from(values: ArrayLike<Value>, map: (v: Value) => number): ArrayLike<number> };

const typedArrays: Partial<Record<WireColumnType['kind'], NumberArrayType>> = {
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  date: Int32Array,
};
