/**
 * Test-only helpers for the SST tests: a region schema with every column type, batches built
 * from plain JS values, and the reverse (cells of a column as comparable JS values).
 * Not exported from index.ts.
 */

import type {
  Data,
  DateDay,
  Decimal,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Timestamp,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
} from 'apache-arrow';
import {
  Binary,
  Bool,
  RecordBatch,
  Schema,
  Struct,
  Type,
  Utf8,
  makeData,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { ColumnSchema, ColumnType, RegionSchema, TimeUnit } from '../region-schema.ts';
import { arrowSchemaOf } from '../arrow-types.ts';

/** A JS value as tests compare it: bigint for 64-bit, decimal (unscaled) and timestamps; hex for bytes. */
export type Cell = null | boolean | number | bigint | string;

/** Every column type Tessera has, tags first, with nullable fields; time index unit as given. */
export function allTypesSchema(unit: TimeUnit = 'ms'): RegionSchema {
  const field = (name: string, type: ColumnType, columnId: number): ColumnSchema => ({
    name,
    type,
    semantic: 'field',
    nullable: true,
    columnId,
  });
  return {
    version: 7,
    columns: [
      { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 10 },
      { name: 'shard', type: { kind: 'int32' }, semantic: 'tag', nullable: true, columnId: 11 },
      { name: 'ts', type: { kind: 'timestamp', unit }, semantic: 'timestamp', nullable: false, columnId: 12 },
      field('f_bool', { kind: 'boolean' }, 20),
      field('f_i8', { kind: 'int8' }, 21),
      field('f_i16', { kind: 'int16' }, 22),
      field('f_i32', { kind: 'int32' }, 23),
      field('f_i64', { kind: 'int64' }, 24),
      field('f_u8', { kind: 'uint8' }, 25),
      field('f_u16', { kind: 'uint16' }, 26),
      field('f_u32', { kind: 'uint32' }, 27),
      field('f_u64', { kind: 'uint64' }, 28),
      field('f_f32', { kind: 'float32' }, 29),
      field('f_f64', { kind: 'float64' }, 30),
      field('f_str', { kind: 'string' }, 31),
      field('f_bin', { kind: 'binary' }, 32),
      field('f_date', { kind: 'date' }, 33),
      field('f_dec5', { kind: 'decimal128', precision: 5, scale: 2 }, 34),
      field('f_dec15', { kind: 'decimal128', precision: 15, scale: 3 }, 35),
      field('f_dec30', { kind: 'decimal128', precision: 30, scale: 4 }, 36),
    ],
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rows for `allTypesSchema`: `series` hosts × `points` times each, sorted by (host, shard, ts),
 * with nulls sprinkled in every nullable field and the extreme values of each integer type.
 * Returned as columns of cells, keyed by column name.
 */
export function allTypesRows(
  series: number,
  points: number,
  start = 1_700_000_000_000n,
  step = 1000n,
): Map<string, Cell[]> {
  const next = random(7);
  const columns = new Map<string, Cell[]>();
  const push = (name: string, value: Cell): void => {
    let list = columns.get(name);
    if (!list) columns.set(name, (list = []));
    list.push(value);
  };
  const hosts = Array.from({ length: series }, (_, i) => `host_${String(i).padStart(4, '0')}`);
  let row = 0;
  for (const host of hosts) {
    for (let p = 0; p < points; p++, row++) {
      const nullHere = (k: number): boolean => (row + k) % 11 === 0;
      const extreme = row % 37 === 5;
      push('host', host);
      push('shard', 1);
      push('ts', start + BigInt(p) * step);
      push('f_bool', nullHere(1) ? null : next() < 0.5);
      push('f_i8', nullHere(2) ? null : extreme ? -128 : Math.floor(next() * 256) - 128);
      push('f_i16', nullHere(3) ? null : extreme ? 32767 : Math.floor(next() * 65536) - 32768);
      push('f_i32', nullHere(4) ? null : extreme ? -2147483648 : Math.floor(next() * 2 ** 32) - 2 ** 31);
      push('f_i64', nullHere(5) ? null : extreme ? -(2n ** 63n) : BigInt(Math.floor(next() * 2 ** 52)) - 2n ** 51n);
      push('f_u8', nullHere(6) ? null : extreme ? 255 : Math.floor(next() * 256));
      push('f_u16', nullHere(7) ? null : extreme ? 65535 : Math.floor(next() * 65536));
      push('f_u32', nullHere(8) ? null : extreme ? 4294967295 : Math.floor(next() * 2 ** 32));
      push('f_u64', nullHere(9) ? null : extreme ? 2n ** 64n - 1n : BigInt(Math.floor(next() * 2 ** 53)));
      push('f_f32', nullHere(10) ? null : Math.fround((next() - 0.5) * 1e6));
      push('f_f64', nullHere(0) ? null : (next() - 0.5) * 1e12);
      push('f_str', nullHere(1) ? null : row % 5 === 0 ? '' : `v${Math.floor(next() * 1e6)}-é✓😀`);
      push('f_bin', nullHere(2) ? null : hex(Uint8Array.from({ length: row % 4 }, () => Math.floor(next() * 256))));
      push('f_date', nullHere(3) ? null : 19000 + Math.floor(next() * 1000) - (extreme ? 40000 : 0));
      push('f_dec5', nullHere(4) ? null : extreme ? -99999n : BigInt(Math.floor(next() * 199999) - 99999));
      push('f_dec15', nullHere(5) ? null : BigInt(Math.floor(next() * 2 ** 48)) - 2n ** 47n);
      push(
        'f_dec30',
        nullHere(6) ? null : extreme ? -(10n ** 30n - 1n) : BigInt(Math.floor(next() * 2 ** 52)) * 10n ** 12n - 17n,
      );
    }
  }
  return columns;
}

/** Bytes as lowercase hex (how binary cells are compared). */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** One batch of `schema` holding `columns[...]` rows [from, to). String tags are given as Utf8. */
export function batchOf(schema: RegionSchema, columns: Map<string, Cell[]>, from = 0, to?: number): RecordBatch {
  const arrow = arrowSchemaOf(schema);
  const end = to ?? columns.get(schema.columns[0]!.name)!.length;
  const children = schema.columns.map((column, i) => {
    const cells = columns.get(column.name)!.slice(from, end);
    const type = column.type.kind === 'string' ? new Utf8() : arrow.fields[i]!.type;
    return dataOf(type, cells);
  });
  const fields = arrow.fields.map((field, i) => field.clone({ type: children[i]!.type }));
  const plain = new Schema(fields);
  return new RecordBatch(plain, makeData({ type: new Struct(fields), length: end - from, nullCount: 0, children }));
}

/** Arrow data of `type` holding `cells` (nulls included). */
export function dataOf(type: DataType, cells: Cell[]): Data {
  const length = cells.length;
  const nullCount = cells.filter((c) => c === null).length;
  const nullBitmap = new Uint8Array((length + 7) >> 3);
  cells.forEach((cell, i) => {
    if (cell !== null) nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  const props = { type, length, nullCount, nullBitmap: nullCount > 0 ? nullBitmap : undefined };
  const typed = <T extends { [i: number]: number | bigint }>(array: T, zero: number | bigint): T => {
    cells.forEach((cell, i) => {
      array[i] = (cell ?? zero) as never;
    });
    return array;
  };
  switch (type.typeId) {
    case Type.Int: {
      const int = type as Int8 | Int16 | Int32 | Int64 | Uint8 | Uint16 | Uint32 | Uint64;
      const ArrayType = int.ArrayType as unknown as new (n: number) => { [i: number]: number | bigint };
      const zero = int.bitWidth === 64 ? 0n : 0;
      return makeData({ ...props, type: int, data: typed(new ArrayType(length), zero) as never });
    }
    case Type.Float: {
      const float = type as Float32 | Float64;
      const data = float.precision === 1 ? new Float32Array(length) : new Float64Array(length);
      return makeData({ ...props, type: float, data: typed(data, 0) });
    }
    case Type.Timestamp:
      return makeData({ ...props, type: type as Timestamp, data: typed(new BigInt64Array(length), 0n) });
    case Type.Date:
      return makeData({ ...props, type: type as DateDay, data: typed(new Int32Array(length), 0) });
    case Type.Decimal: {
      const words = new Uint32Array(length * 4);
      cells.forEach((cell, i) => {
        const value = BigInt.asUintN(128, (cell as bigint | null) ?? 0n);
        for (let w = 0; w < 4; w++) words[i * 4 + w] = Number((value >> BigInt(32 * w)) & 0xffffffffn);
      });
      return makeData({ ...props, type: type as Decimal, data: words });
    }
    case Type.Bool:
      return vectorFromArray(cells as (boolean | null)[], new Bool()).data[0]!;
    case Type.Utf8:
      return vectorFromArray(cells as (string | null)[], new Utf8()).data[0]!;
    case Type.Binary:
      return vectorFromArray(
        cells.map((c) => (c === null ? null : Uint8Array.from(Buffer.from(c as string, 'hex')))),
        new Binary(),
      ).data[0]!;
  }
  throw new Error(`dataOf: no builder for ${String(type)}`);
}

/** The cells of a column, whatever Arrow type it has (dictionaries are looked up). */
export function cellsOf(vector: Vector): Cell[] {
  const cells: Cell[] = [];
  for (const data of vector.data) {
    for (let i = 0; i < data.length; i++) cells.push(cellOf(data, i));
  }
  return cells;
}

function cellOf(data: Data, i: number): Cell {
  if (!data.getValid(i)) return null;
  // apache-arrow slices `values` and `valueOffsets` with the data; bit-packed booleans use `offset`.
  const at = i;
  switch (data.typeId) {
    case Type.Dictionary:
      return cellOf(data.dictionary!.data[0]!, Number((data.values as Int32Array)[at]));
    case Type.Int:
    case Type.Float:
    case Type.Timestamp:
    case Type.Date:
      return (data.values as unknown as ArrayLike<number | bigint>)[at]!;
    case Type.Decimal: {
      const words = data.values as Uint32Array;
      let value = 0n;
      for (let w = 3; w >= 0; w--) value = (value << 32n) | BigInt(words[at * 4 + w]!);
      return BigInt.asIntN(128, value);
    }
    case Type.Bool:
      return ((data.values as Uint8Array)[(data.offset + i) >> 3]! & (1 << ((data.offset + i) & 7))) !== 0;
    case Type.Utf8:
    case Type.Binary: {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = (data.values as Uint8Array).subarray(offsets[at]!, offsets[at + 1]!);
      return data.typeId === Type.Utf8 ? new TextDecoder().decode(bytes) : hex(bytes);
    }
  }
  throw new Error(`cellOf: unexpected ${String(data.type)}`);
}
