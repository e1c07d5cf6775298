/**
 * The engine's in-memory column: what expressions evaluate on and operators take from.
 *
 * Arrow RecordBatches are the currency between operators (STYLE §3); a `Column` is the
 * computing view of one Arrow column. Numbers and timestamps are one `Float64Array` (cheap
 * arithmetic, no BigInt on hot paths; Int64, UInt64 and timestamps past 2^53 also keep their
 * exact 64-bit words in `exact`, see exact-integers.ts), booleans a `Uint8Array` of 0/1, strings a `string[]`,
 * and validity a `Uint8Array` of 0/1 per row (null when every row is valid), so vectorized
 * AND/OR and selections are plain indexed loops. `batchColumns` remembers the view of each
 * batch an operator produced, so the next operator does not decode it again.
 */
import { makeData, RecordBatch, Schema, Field, Struct, Type } from 'apache-arrow';
import type { Data, Vector } from 'apache-arrow';
import { isDecimal, isFloatStored, isList, listElementType, toArrowType, fromArrowType } from './data-type.ts';
import type { SqlType } from './data-type.ts';
import { ZERO_INTERVAL } from './interval.ts';
import type { IntervalValue } from './interval.ts';
import {
  exactRowValue,
  floatsOfWords,
  hasExactStorage,
  isWide,
  takeWords,
  wordsOfFloats,
  bigintOfFloat,
} from './exact-integers.ts';
import type { ExactValues } from './exact-integers.ts';

/**
 * Values of a column by storage class; see the module comment. Decimals are `bigint`s scaled
 * by 10^scale, intervals `IntervalValue`s, binaries `Uint8Array`s: exact, off the hot path.
 */
export type ColumnValues =
  Float64Array | Uint8Array | string[] | bigint[] | IntervalValue[] | Uint8Array[] | ListValue[] | null;

/** A list row: its elements as row values (NULL elements as null). */
export type ListValue = RowValue[];

const EMPTY_LIST: ListValue = [];

/** A value that stands in for a null row in the values array of a boxed type. */
function boxedFill(type: SqlType): bigint | IntervalValue | Uint8Array | string | ListValue {
  if (isDecimal(type)) return 0n;
  if (isList(type)) return EMPTY_LIST;
  if (type === 'Interval(MonthDayNano)') return ZERO_INTERVAL;
  if (type === 'Binary') return EMPTY_BYTES;
  return '';
}

const EMPTY_BYTES = new Uint8Array(0);

/** One column of `length` rows. `valid[i]` is 0 for a null row; `valid` null means no nulls. */
export interface Column {
  type: SqlType;
  length: number;
  values: ColumnValues;
  valid: Uint8Array | null;
  /**
   * Int64, UInt64 and timestamps: the exact values when some are past 2^53, where the floats
   * of `values` round (exact-integers.ts). Absent or null means the floats are exact.
   */
  exact?: ExactValues | null;
}

/** A batch as engine columns, with the names and types of its schema. */
export interface Chunk {
  columns: Column[];
  length: number;
}

/** A column of `length` nulls of the given type. */
export function nullColumn(type: SqlType, length: number): Column {
  const valid = new Uint8Array(length);
  return { type, length, values: emptyValues(type, length), valid };
}

/** Zeroed values of the storage class of `type`. */
export function emptyValues(type: SqlType, length: number): ColumnValues {
  if (type === 'Null') return null;
  if (type === 'Boolean') return new Uint8Array(length);
  if (type === 'Utf8') return new Array<string>(length).fill('');
  if (!isFloatStored(type)) return new Array(length).fill(boxedFill(type)) as ColumnValues;
  return new Float64Array(length);
}

/** A column repeating one value (null for SQL NULL) `length` times. */
export function constantColumn(type: SqlType, value: unknown, length: number): Column {
  if (value === null || value === undefined || type === 'Null') return nullColumn(type, length);
  if (type === 'Utf8') return { type, length, values: new Array<string>(length).fill(String(value)), valid: null };
  if (type === 'Boolean') return { type, length, values: new Uint8Array(length).fill(value ? 1 : 0), valid: null };
  if (!isFloatStored(type)) return { type, length, values: new Array(length).fill(value) as ColumnValues, valid: null };
  const number = Number(value);
  if (typeof value === 'bigint' && isWide(number) && hasExactStorage(type)) {
    const exact = type === 'UInt64' ? new BigUint64Array(length) : new BigInt64Array(length);
    return { type, length, values: new Float64Array(length).fill(number), valid: null, exact: exact.fill(value) };
  }
  return { type, length, values: new Float64Array(length).fill(number), valid: null };
}

/** A JS value of a row: a number, string, boolean, null, or a boxed decimal, interval or binary. */
export type RowValue = number | string | boolean | null | bigint | IntervalValue | Uint8Array | ListValue;

/** The value at `row` as a JS value; for tests and folding. */
export function columnValue(column: Column, row: number): RowValue {
  if (column.type === 'Null' || (column.valid !== null && column.valid[row] === 0)) return null;
  if (column.type === 'Boolean') return (column.values as Uint8Array)[row] === 1;
  if (column.type === 'Utf8') return (column.values as string[])[row];
  if (!isFloatStored(column.type)) return (column.values as (bigint | IntervalValue | Uint8Array | ListValue)[])[row];
  return exactRowValue(column.values as Float64Array, column.exact, row);
}

/**
 * The value at `row` as a hash or equality key (NULL rows not considered): the raw entry of the
 * values array, or the bigint where a 64-bit value is past 2^53 (floats there may tie).
 */
export function keyValueAt(column: Column, row: number): unknown {
  const exact = column.exact;
  if (exact === null || exact === undefined) return (column.values as ArrayLike<unknown>)[row];
  return exactRowValue(column.values as Float64Array, exact, row);
}

/** The exact value at `row` of an integer or timestamp column as a bigint (not for NULL rows). */
export function bigintAt(column: Column, row: number): bigint {
  const exact = column.exact;
  if (exact !== null && exact !== undefined) return exact[row];
  return bigintOfFloat((column.values as Float64Array)[row]);
}

/** The column's exact words: its own, or made from its floats (exact below 2^53). */
export function exactWords(column: Column): ExactValues {
  if (column.exact !== null && column.exact !== undefined) return column.exact;
  return wordsOfFloats(column.values as Float64Array, column.length, column.type === 'UInt64');
}

/** Whether row `row` is null. */
export function isNullAt(column: Column, row: number): boolean {
  return column.type === 'Null' || (column.valid !== null && column.valid[row] === 0);
}

/** The rows at `indices`, in that order; an index of -1 gives a null row (outer joins). */
export function takeColumn(column: Column, indices: Uint32Array | Int32Array): Column {
  const length = indices.length;
  const source = column.values;
  let valid: Uint8Array | null = null;
  const sourceValid = column.valid;
  const hasMissing = indices instanceof Int32Array;
  if (sourceValid !== null || hasMissing) {
    valid = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const index = indices[i];
      valid[i] = index < 0 ? 0 : sourceValid === null ? 1 : sourceValid[index];
    }
  }
  if (source === null) return { type: column.type, length, values: null, valid: valid ?? new Uint8Array(length) };
  if (Array.isArray(source)) {
    const fill = boxedFill(column.type);
    const items = source as unknown[];
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = indices[i] < 0 ? fill : items[indices[i]];
    return { type: column.type, length, values: out as ColumnValues, valid };
  }
  const out = new (source.constructor as Float64ArrayConstructor | Uint8ArrayConstructor)(length);
  for (let i = 0; i < length; i++) out[i] = indices[i] < 0 ? 0 : source[indices[i]];
  if (column.exact) return { type: column.type, length, values: out, valid, exact: takeWords(column.exact, indices) };
  return { type: column.type, length, values: out, valid };
}

/** Rows `[start, start + length)`: typed arrays are zero-copy views. */
export function sliceColumn(column: Column, start: number, length: number): Column {
  const values = column.values;
  const sliced =
    values === null
      ? null
      : Array.isArray(values)
        ? values.slice(start, start + length)
        : values.subarray(start, start + length);
  const sliceValid = column.valid === null ? null : column.valid.subarray(start, start + length);
  if (column.exact) {
    const exact = column.exact.subarray(start, start + length);
    return { type: column.type, length, values: sliced, valid: sliceValid, exact };
  }
  return { type: column.type, length, values: sliced, valid: sliceValid };
}

/** Columns appended end to end; all must share one type. */
export function concatColumns(type: SqlType, parts: Column[]): Column {
  let length = 0;
  let anyNull = false;
  for (const part of parts) {
    length += part.length;
    if (part.valid !== null) anyNull = true;
  }
  const values = emptyValues(type, length);
  const valid = anyNull ? new Uint8Array(length).fill(1) : null;
  let offset = 0;
  for (const part of parts) {
    if (values !== null && part.values !== null) {
      if (Array.isArray(values)) {
        const source = part.values as unknown[];
        const target = values as unknown[];
        for (let i = 0; i < part.length; i++) target[offset + i] = source[i];
      } else (values as Float64Array).set(part.values as Float64Array, offset);
    }
    if (valid !== null && part.valid !== null) valid.set(part.valid, offset);
    offset += part.length;
  }
  if (parts.some((part) => part.exact)) {
    const exact = type === 'UInt64' ? new BigUint64Array(length) : new BigInt64Array(length);
    offset = 0;
    for (const part of parts) {
      if (part.values !== null) exact.set(exactWords(part) as BigInt64Array, offset);
      offset += part.length;
    }
    return { type, length, values, valid, exact };
  }
  return { type, length, values, valid };
}

/** Number of null rows. */
export function nullCount(column: Column): number {
  if (column.type === 'Null') return column.length;
  const valid = column.valid;
  if (valid === null) return 0;
  let count = 0;
  for (let i = 0; i < column.length; i++) if (valid[i] === 0) count++;
  return count;
}

/** Bytes a column holds, for memory accounting (strings counted at 2 bytes a character + 16). */
export function columnBytes(column: Column): number {
  const values = column.values;
  let bytes = column.valid === null ? 0 : column.valid.byteLength;
  if (values === null) return bytes;
  if (Array.isArray(values)) {
    const items = values as unknown[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      bytes += 16 + (typeof item === 'string' ? item.length * 2 : item instanceof Uint8Array ? item.length : 16);
    }
    return bytes;
  }
  return bytes + values.byteLength + (column.exact ? column.exact.byteLength : 0);
}

// --- Arrow conversion -------------------------------------------------------------------

const decoded = new WeakMap<RecordBatch, Chunk>();

/** The engine columns of a batch; decoded once per batch and remembered. */
export function batchColumns(batch: RecordBatch): Chunk {
  const cached = decoded.get(batch);
  if (cached !== undefined) return cached;
  const columns: Column[] = [];
  for (let c = 0; c < batch.numCols; c++) {
    const field = batch.schema.fields[c];
    const vector = batch.getChildAt(c) as Vector;
    columns.push(vectorColumn(fromArrowType(field.type), vector, batch.numRows));
  }
  const chunk = { columns, length: batch.numRows };
  decoded.set(batch, chunk);
  return chunk;
}

function vectorColumn(type: SqlType, vector: Vector, length: number): Column {
  if (type === 'Null') return nullColumn(type, length);
  const dataList = vector.data as Data[];
  if (dataList.length === 1 && isFloatStored(type) && dataList[0].typeId !== Type.Dictionary) {
    const data = dataList[0];
    const valid = validityOf(data);
    if (data.values instanceof Float64Array) {
      // Arrow slices value buffers eagerly but keeps `offset` for the validity bitmap (also
      // relied on by boxedColumn).
      return { type, length, values: data.values.subarray(0, length), valid };
    }
    const values = new Float64Array(length);
    if (data.values instanceof BigInt64Array || data.values instanceof BigUint64Array) {
      // 64-bit integers and timestamps: floats from the words, the words kept when some are wide.
      const words = data.values.subarray(0, length);
      const wide = floatsOfWords(words, length, values);
      if (!wide || !hasExactStorage(type)) return { type, length, values, valid };
      const unsigned = type === 'UInt64';
      const exact = unsigned === words instanceof BigUint64Array ? words : reinterpretWords(words, unsigned);
      return { type, length, values, valid, exact };
    }
    const source = data.values as ArrayLike<number>;
    for (let i = 0; i < length; i++) values[i] = Number(source[i]);
    return { type, length, values, valid };
  }
  if (isList(type)) return listColumn(type, vector, length);
  if (type === 'Utf8' && dataList.length === 1 && dataList[0].typeId === Type.Utf8) {
    return utf8Column(dataList[0], length);
  }
  if (!isFloatStored(type) && type !== 'Utf8' && type !== 'Boolean') return boxedColumn(type, dataList, length);
  // Booleans, dictionaries and multi-chunk vectors: decode row by row (off the hot numeric
  // path; each batch is decoded once).
  const values = emptyValues(type, length);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const value = vector.get(i) as unknown;
    if (value === null || value === undefined) {
      if (valid === null) valid = new Uint8Array(length).fill(1);
      valid[i] = 0;
      continue;
    }
    if (type === 'Utf8') (values as string[])[i] = String(value);
    else if (type === 'Boolean') (values as Uint8Array)[i] = value ? 1 : 0;
    // apache-arrow reads a DateDay as epoch milliseconds.
    else if (type === 'Date') (values as Float64Array)[i] = Math.floor(Number(value) / 86_400_000);
    else (values as Float64Array)[i] = Number(value);
  }
  if (hasExactStorage(type) && (values as Float64Array).some(isWide)) {
    const exact = type === 'UInt64' ? new BigUint64Array(length) : new BigInt64Array(length);
    for (let i = 0; i < length; i++) {
      const value = vector.get(i) as unknown;
      if (typeof value === 'bigint') exact[i] = value;
    }
    return { type, length, values, valid, exact };
  }
  return { type, length, values, valid };
}

/** The same 64 bits read as the other signedness (an Int64 column over UInt64 data, or back). */
function reinterpretWords(words: ExactValues, unsigned: boolean): ExactValues {
  return unsigned
    ? new BigUint64Array(words.buffer, words.byteOffset, words.length)
    : new BigInt64Array(words.buffer, words.byteOffset, words.length);
}

/** Lists row by row: each row's elements decoded as a column of the element type. */
function listColumn(type: SqlType, vector: Vector, length: number): Column {
  const elementType = listElementType(type as `List(${string})`);
  const values = new Array<ListValue>(length);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const items = vector.get(i) as Vector | null;
    if (items === null || items === undefined) {
      valid ??= new Uint8Array(length).fill(1);
      valid[i] = 0;
      values[i] = EMPTY_LIST;
      continue;
    }
    const elements = vectorColumn(elementType, items, items.length);
    const row: ListValue = new Array(items.length);
    for (let j = 0; j < items.length; j++) row[j] = columnValue(elements, j);
    values[i] = row;
  }
  return { type, length, values, valid };
}

/** A column of `type` from row values (null for NULL). */
export function columnFromValues(type: SqlType, rows: RowValue[]): Column {
  const length = rows.length;
  const values = emptyValues(type, length);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const value = rows[i];
    if (value === null || value === undefined) {
      valid ??= new Uint8Array(length).fill(1);
      valid[i] = 0;
    } else if (type === 'Boolean') (values as Uint8Array)[i] = value ? 1 : 0;
    else if (typeof value === 'bigint' && values instanceof Float64Array) return columnFromExactRows(type, rows);
    else if (values !== null) (values as unknown[])[i] = value;
  }
  return { type, length, values, valid: type === 'Null' ? new Uint8Array(length) : valid };
}

/** A 64-bit column from rows some of which are bigints (values past 2^53). */
function columnFromExactRows(type: SqlType, rows: RowValue[]): Column {
  const length = rows.length;
  const values = new Float64Array(length);
  const exact = type === 'UInt64' ? new BigUint64Array(length) : new BigInt64Array(length);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    const value = rows[i];
    if (value === null || value === undefined) {
      valid ??= new Uint8Array(length).fill(1);
      valid[i] = 0;
    } else if (typeof value === 'bigint') {
      values[i] = Number(value);
      exact[i] = value;
    } else {
      values[i] = Number(value);
      exact[i] = bigintOfFloat(Number(value));
    }
  }
  if (!hasExactStorage(type)) return { type, length, values, valid };
  return { type, length, values, valid, exact };
}

/** Decimals, intervals and binaries from their Arrow buffers, chunk by chunk. */
function boxedColumn(type: SqlType, dataList: Data[], length: number): Column {
  const values = new Array<unknown>(length);
  let valid: Uint8Array | null = null;
  let row = 0;
  for (const data of dataList) {
    const chunkValid = validityOf(data);
    for (let i = 0; i < data.length; i++, row++) {
      if (chunkValid !== null && chunkValid[i] === 0) {
        valid ??= new Uint8Array(length).fill(1);
        valid[row] = 0;
        values[row] = boxedFill(type);
        continue;
      }
      if (isDecimal(type)) {
        const words = data.values as Uint32Array;
        let value = 0n;
        for (let w = 3; w >= 0; w--) value = (value << 32n) | BigInt(words[i * 4 + w]);
        values[row] = BigInt.asIntN(128, value);
      } else if (type === 'Interval(MonthDayNano)') {
        const words = new Int32Array(data.values.buffer, data.values.byteOffset, data.values.byteLength >> 2);
        const base = i * 4;
        const nanos = (BigInt(words[base + 3]) << 32n) | BigInt(words[base + 2] >>> 0);
        values[row] = { months: words[base], days: words[base + 1], nanos };
      } else {
        const offsets = data.valueOffsets as Int32Array;
        const bytes = data.values as Uint8Array;
        values[row] = bytes.slice(offsets[i], offsets[i + 1]);
      }
    }
  }
  return { type, length, values: values as ColumnValues, valid };
}

const decoder = new TextDecoder();

/**
 * Strings from Arrow's offsets + bytes. ASCII buffers (the common case for tags and names)
 * are decoded once and sliced, which V8 does without copying; others decode row by row.
 */
function utf8Column(data: Data, length: number): Column {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const start = offsets[0];
  const end = offsets[length];
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  const values = new Array<string>(length);
  if (ascii) {
    const text = decoder.decode(bytes.subarray(start, end));
    for (let i = 0; i < length; i++) values[i] = text.slice(offsets[i] - start, offsets[i + 1] - start);
  } else {
    for (let i = 0; i < length; i++) values[i] = decoder.decode(bytes.subarray(offsets[i], offsets[i + 1]));
  }
  return { type: 'Utf8', length, values, valid: validityOf(data) };
}

function validityOf(data: Data): Uint8Array | null {
  if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) return null;
  const bitmap = data.nullBitmap;
  const valid = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const bit = data.offset + i;
    valid[i] = (bitmap[bit >> 3] >> (bit & 7)) & 1;
  }
  return valid;
}

/** An output field: name, type and nullability. */
export interface OutputField {
  name: string;
  type: SqlType;
  nullable: boolean;
}

/** The Arrow schema for output fields. */
export function arrowSchema(fields: OutputField[]): Schema {
  return new Schema(fields.map((field) => new Field(field.name, toArrowType(field.type), field.nullable)));
}

/**
 * A RecordBatch from engine columns. Every column gets its own buffers (apache-arrow 21
 * corrupts IPC when two columns share one typed array), and the columns are remembered so the
 * consuming operator skips decoding.
 */
export function columnsBatch(schema: Schema, chunk: Chunk): RecordBatch {
  const seen = new Set<unknown>();
  const children = chunk.columns.map((column, index) => {
    const data = columnData(schema.fields[index].type, column, seen);
    return data;
  });
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: chunk.length, nullCount: 0, children }),
  );
  decoded.set(batch, chunk);
  return batch;
}

function columnData(arrowType: Field['type'], column: Column, seen: Set<unknown>): Data {
  const length = column.length;
  const type = column.type;
  let nullBitmap: Uint8Array | undefined;
  let nulls = 0;
  if (column.valid !== null || type === 'Null') {
    nullBitmap = new Uint8Array((length + 7) >> 3);
    const valid = column.valid;
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 1 && type !== 'Null') nullBitmap[i >> 3] |= 1 << (i & 7);
      else nulls++;
    }
    if (nulls === 0) nullBitmap = undefined;
  }
  if (type === 'Null') return makeData({ type: arrowType as never, length });
  if (type === 'Utf8') {
    const strings = column.values as string[];
    const encoder = new TextEncoder();
    const offsets = new Int32Array(length + 1);
    const parts: Uint8Array[] = new Array(length);
    let total = 0;
    for (let i = 0; i < length; i++) {
      const bytes = encoder.encode(strings[i] ?? '');
      parts[i] = bytes;
      total += bytes.length;
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < length; i++) bytes.set(parts[i], offsets[i]);
    return makeData({
      type: arrowType as never,
      length,
      nullCount: nulls,
      nullBitmap,
      valueOffsets: offsets,
      data: bytes,
    });
  }
  if (isDecimal(type)) {
    const source = column.values as bigint[];
    const words = new Uint32Array(length * 4);
    for (let i = 0; i < length; i++) {
      let value = BigInt.asUintN(128, source[i] ?? 0n);
      for (let w = 0; w < 4; w++) {
        words[i * 4 + w] = Number(value & 0xffffffffn);
        value >>= 32n;
      }
    }
    return makeData({ type: arrowType as never, length, nullCount: nulls, nullBitmap, data: words as never });
  }
  if (type === 'Interval(MonthDayNano)') {
    const source = column.values as IntervalValue[];
    const words = new Int32Array(length * 4);
    for (let i = 0; i < length; i++) {
      const value = source[i] ?? ZERO_INTERVAL;
      const nanos = BigInt.asUintN(64, value.nanos);
      words[i * 4] = value.months;
      words[i * 4 + 1] = value.days;
      words[i * 4 + 2] = Number(nanos & 0xffffffffn) | 0;
      words[i * 4 + 3] = Number(nanos >> 32n) | 0;
    }
    return makeData({ type: arrowType as never, length, nullCount: nulls, nullBitmap, data: words as never });
  }
  if (isList(type)) {
    const source = column.values as ListValue[];
    const offsets = new Int32Array(length + 1);
    const elements: RowValue[] = [];
    for (let i = 0; i < length; i++) {
      const row = source[i] ?? EMPTY_LIST;
      if (nullBitmap === undefined || column.valid === null || column.valid[i] === 1) elements.push(...row);
      offsets[i + 1] = elements.length;
    }
    const elementField = (arrowType as unknown as { children: Field[] }).children[0];
    const elementType = listElementType(type);
    const child = columnData(elementField.type, columnFromValues(elementType, elements), seen);
    return makeData({ type: arrowType as never, length, nullCount: nulls, nullBitmap, valueOffsets: offsets, child });
  }
  if (type === 'Binary') {
    const source = column.values as Uint8Array[];
    const offsets = new Int32Array(length + 1);
    let total = 0;
    for (let i = 0; i < length; i++) {
      total += (source[i] ?? EMPTY_BYTES).length;
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < length; i++) bytes.set(source[i] ?? EMPTY_BYTES, offsets[i]);
    return makeData({
      type: arrowType as never,
      length,
      nullCount: nulls,
      nullBitmap,
      valueOffsets: offsets,
      data: bytes,
    });
  }
  if (type === 'Boolean') {
    const source = column.values as Uint8Array;
    const packed = new Uint8Array((length + 7) >> 3);
    for (let i = 0; i < length; i++) if (source[i] === 1) packed[i >> 3] |= 1 << (i & 7);
    return makeData({ type: arrowType as never, length, nullCount: nulls, nullBitmap, data: packed });
  }
  const source = column.values as Float64Array;
  let data: ArrayLike<number> | BigInt64Array | BigUint64Array;
  switch (type) {
    case 'Float64':
      data = seen.has(source.buffer) ? source.slice() : source;
      seen.add(source.buffer);
      break;
    case 'Float32':
      data = Float32Array.from(source);
      break;
    case 'Int8':
      data = Int8Array.from(source);
      break;
    case 'Int16':
      data = Int16Array.from(source);
      break;
    case 'Int32':
    case 'Date':
      data = Int32Array.from(source);
      break;
    case 'UInt8':
      data = Uint8Array.from(source);
      break;
    case 'UInt16':
      data = Uint16Array.from(source);
      break;
    case 'UInt32':
      data = Uint32Array.from(source);
      break;
    default: {
      const unsigned = type === 'UInt64';
      const exact = column.exact;
      if (exact) {
        const words = unsigned === exact instanceof BigUint64Array ? exact : reinterpretWords(exact, unsigned);
        data = seen.has(exact.buffer) || exact.length !== length ? words.slice(0, length) : words;
        seen.add(exact.buffer);
      } else data = wordsOfFloats(source, length, unsigned);
    }
  }
  return makeData({ type: arrowType as never, length, nullCount: nulls, nullBitmap, data: data as never });
}
