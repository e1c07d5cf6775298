/**
 * A memtable's per-column storage: values of every written row appended into one growing typed
 * array per column (rows in write order), and gathered by a sorted index array into fresh Arrow
 * data for a sorted run.
 *
 * Appends copy whole buffers with `TypedArray.set` (the incoming batch is not retained, so its
 * underlying IPC or WAL buffer can be freed). Validity is one byte per row, allocated only once a
 * column sees its first null, because most time-series fields never do; it turns back into an
 * Arrow bitmap when gathered.
 */

import { makeData, type Data, type Field } from 'apache-arrow';
import type { ColumnSchema } from '../region-schema.ts';
import { arrowValuesOf, newWordArray, wordArray, type ValueLayout, type WordArray } from '../merge/index.ts';

/** Storage for one column; capacity (in rows) is managed by the memtable for all columns at once. */
export interface ColumnBuffer {
  /** Appends rows `[0, n)` of `data` (undefined: `n` nulls) at row `at`; capacity must allow it. */
  append(data: Data | undefined, n: number, at: number): void;
  /** Reallocates for `capacity` rows, keeping rows `[0, rows)`. */
  grow(capacity: number, rows: number): void;
  /** Arrow data of the rows `order[from, to)`, in that order. */
  gather(order: Int32Array, from: number, to: number): Data;
  /** Bytes held, including spare capacity. */
  readonly byteSize: number;
}

/** A buffer for a field column (or the time index) of `column`'s type, output as `field`. */
export function createColumnBuffer(
  column: ColumnSchema,
  field: Field,
  layout: ValueLayout,
  capacity: number,
): ColumnBuffer {
  switch (layout.kind) {
    case 'fixed':
      return new FixedColumnBuffer(column, field, layout, capacity);
    case 'bool':
      return new BoolColumnBuffer(field, capacity);
    case 'binary':
      return new BinaryColumnBuffer(field, capacity);
  }
}

/** Whether bit `offset + i` of an Arrow validity bitmap is set. */
function bitAt(bitmap: Uint8Array, bit: number): number {
  return (bitmap[bit >> 3]! >> (bit & 7)) & 1;
}

/** One validity byte per row, or none while every row is valid. */
class Validity {
  bytes: Uint8Array | undefined = undefined;

  append(data: Data | undefined, n: number, at: number, capacity: number): void {
    if (data === undefined) {
      this.ensure(at, capacity).fill(0, at, at + n);
    } else if (data.nullCount > 0) {
      const bytes = this.ensure(at, capacity);
      const bitmap = data.nullBitmap as Uint8Array;
      for (let i = 0; i < n; i++) bytes[at + i] = bitAt(bitmap, data.offset + i);
    } else if (this.bytes !== undefined) {
      this.bytes.fill(1, at, at + n);
    }
  }

  grow(capacity: number, rows: number): void {
    if (this.bytes === undefined) return;
    const bytes = new Uint8Array(capacity);
    bytes.set(this.bytes.subarray(0, rows));
    this.bytes = bytes;
  }

  /** Arrow bitmap and null count of rows `order[from, to)`; no bitmap when none is null. */
  gather(order: Int32Array, from: number, to: number): { bitmap: Uint8Array | undefined; nullCount: number } {
    const bytes = this.bytes;
    if (bytes === undefined) return { bitmap: undefined, nullCount: 0 };
    let valid = 0;
    for (let j = from; j < to; j++) valid += bytes[order[j]!]!;
    const n = to - from;
    if (valid === n) return { bitmap: undefined, nullCount: 0 };
    const bitmap = new Uint8Array((n + 7) >> 3);
    for (let j = 0; j < n; j++) if (bytes[order[from + j]!]) bitmap[j >> 3]! |= 1 << (j & 7);
    return { bitmap, nullCount: n - valid };
  }

  isValid(row: number): boolean {
    return this.bytes === undefined || this.bytes[row] === 1;
  }

  get byteSize(): number {
    return this.bytes?.byteLength ?? 0;
  }

  private ensure(rows: number, capacity: number): Uint8Array {
    if (this.bytes === undefined) {
      this.bytes = new Uint8Array(capacity);
      this.bytes.fill(1, 0, rows);
    }
    return this.bytes;
  }
}

class FixedColumnBuffer implements ColumnBuffer {
  private readonly column: ColumnSchema;
  private readonly field: Field;
  private readonly layout: Extract<ValueLayout, { kind: 'fixed' }>;
  private readonly validity = new Validity();
  private capacity: number;
  /** `stride` words per row. */
  words: WordArray;

  constructor(column: ColumnSchema, field: Field, layout: Extract<ValueLayout, { kind: 'fixed' }>, capacity: number) {
    this.column = column;
    this.field = field;
    this.layout = layout;
    this.capacity = capacity;
    this.words = newWordArray(layout.words, capacity * layout.stride);
  }

  append(data: Data | undefined, n: number, at: number): void {
    const stride = this.layout.stride;
    if (data === undefined) {
      this.words.fill(0, at * stride, (at + n) * stride);
    } else {
      const source = wordArray(this.layout.words, data.values as ArrayBufferView, n * stride);
      (this.words as Float64Array).set(source as Float64Array, at * stride);
    }
    this.validity.append(data, n, at, this.capacity);
  }

  grow(capacity: number, rows: number): void {
    const stride = this.layout.stride;
    const words = newWordArray(this.layout.words, capacity * stride);
    (words as Float64Array).set((this.words as Float64Array).subarray(0, rows * stride));
    this.words = words;
    this.validity.grow(capacity, rows);
    this.capacity = capacity;
  }

  gather(order: Int32Array, from: number, to: number): Data {
    const n = to - from;
    const stride = this.layout.stride;
    const source = this.words;
    const out = newWordArray(this.layout.words, n * stride);
    if (stride === 1) {
      for (let j = 0; j < n; j++) out[j] = source[order[from + j]!]!;
    } else if (stride === 2) {
      for (let j = 0; j < n; j++) {
        const r = order[from + j]! * 2;
        out[2 * j] = source[r]!;
        out[2 * j + 1] = source[r + 1]!;
      }
    } else {
      for (let j = 0; j < n; j++) {
        const r = order[from + j]! * stride;
        for (let k = 0; k < stride; k++) out[j * stride + k] = source[r + k]!;
      }
    }
    const { bitmap, nullCount } = this.validity.gather(order, from, to);
    return makeData({
      type: this.field.type,
      length: n,
      nullCount,
      nullBitmap: bitmap,
      data: arrowValuesOf(this.column.type, out),
    } as never);
  }

  get byteSize(): number {
    return this.words.byteLength + this.validity.byteSize;
  }
}

class BoolColumnBuffer implements ColumnBuffer {
  private readonly field: Field;
  private readonly validity = new Validity();
  private capacity: number;
  /** One byte (0 or 1) per row. */
  private values: Uint8Array;

  constructor(field: Field, capacity: number) {
    this.field = field;
    this.capacity = capacity;
    this.values = new Uint8Array(capacity);
  }

  append(data: Data | undefined, n: number, at: number): void {
    if (data === undefined) {
      this.values.fill(0, at, at + n);
    } else {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) this.values[at + i] = bitAt(bits, data.offset + i);
    }
    this.validity.append(data, n, at, this.capacity);
  }

  grow(capacity: number, rows: number): void {
    const values = new Uint8Array(capacity);
    values.set(this.values.subarray(0, rows));
    this.values = values;
    this.validity.grow(capacity, rows);
    this.capacity = capacity;
  }

  gather(order: Int32Array, from: number, to: number): Data {
    const n = to - from;
    const out = new Uint8Array((n + 7) >> 3);
    for (let j = 0; j < n; j++) if (this.values[order[from + j]!]) out[j >> 3]! |= 1 << (j & 7);
    const { bitmap, nullCount } = this.validity.gather(order, from, to);
    return makeData({ type: this.field.type, length: n, nullCount, nullBitmap: bitmap, data: out } as never);
  }

  get byteSize(): number {
    return this.values.byteLength + this.validity.byteSize;
  }
}

class BinaryColumnBuffer implements ColumnBuffer {
  private readonly field: Field;
  private readonly validity = new Validity();
  private capacity: number;
  /** Row `r` is `bytes[offsets[r], offsets[r + 1])`. */
  private offsets: Int32Array;
  private bytes = new Uint8Array(1024);

  constructor(field: Field, capacity: number) {
    this.field = field;
    this.capacity = capacity;
    this.offsets = new Int32Array(capacity + 1);
  }

  append(data: Data | undefined, n: number, at: number): void {
    const offsets = this.offsets;
    const base = offsets[at]!;
    if (data === undefined) {
      offsets.fill(base, at + 1, at + n + 1);
    } else {
      const sourceOffsets = data.valueOffsets as Int32Array;
      const start = sourceOffsets[0]!;
      const end = sourceOffsets[n]!;
      if (base + end - start > this.bytes.length) {
        let size = this.bytes.length * 2;
        while (size < base + end - start) size *= 2;
        const bytes = new Uint8Array(size);
        bytes.set(this.bytes.subarray(0, base));
        this.bytes = bytes;
      }
      this.bytes.set((data.values as Uint8Array).subarray(start, end), base);
      const shift = base - start;
      for (let i = 1; i <= n; i++) offsets[at + i] = sourceOffsets[i]! + shift;
    }
    this.validity.append(data, n, at, this.capacity);
  }

  grow(capacity: number, rows: number): void {
    const offsets = new Int32Array(capacity + 1);
    offsets.set(this.offsets.subarray(0, rows + 1));
    this.offsets = offsets;
    this.validity.grow(capacity, rows);
    this.capacity = capacity;
  }

  gather(order: Int32Array, from: number, to: number): Data {
    const n = to - from;
    const offsets = this.offsets;
    const outOffsets = new Int32Array(n + 1);
    let total = 0;
    for (let j = 0; j < n; j++) {
      const r = order[from + j]!;
      total += offsets[r + 1]! - offsets[r]!;
      outOffsets[j + 1] = total;
    }
    const out = new Uint8Array(total);
    const bytes = this.bytes;
    for (let j = 0; j < n; j++) {
      const r = order[from + j]!;
      const start = offsets[r]!;
      const length = offsets[r + 1]! - start;
      const at = outOffsets[j]!;
      if (length > 32) out.set(bytes.subarray(start, start + length), at);
      else for (let k = 0; k < length; k++) out[at + k] = bytes[start + k]!;
    }
    const { bitmap, nullCount } = this.validity.gather(order, from, to);
    return makeData({
      type: this.field.type,
      length: n,
      nullCount,
      nullBitmap: bitmap,
      valueOffsets: outOffsets,
      data: out,
    } as never);
  }

  get byteSize(): number {
    return this.offsets.byteLength + this.bytes.byteLength + this.validity.byteSize;
  }
}
