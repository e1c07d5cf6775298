/**
 * `takeRows(batch, selection)`: a new batch with the selected rows, built column by column
 * with one indexed loop each (STYLE §11: a filter yields a selection, one take builds the
 * output). Fixed-width values are copied as machine words (no BigInt per value), dictionary
 * columns gather their keys and keep their dictionary, strings and binaries copy their bytes.
 */

import type { Data } from 'apache-arrow';
import { RecordBatch, Struct, Type, makeData, type DataType } from 'apache-arrow';

function takeValidity(data: Data, selection: Uint32Array): { bitmap: Uint8Array | undefined; nullCount: number } {
  if (data.nullCount === 0) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((selection.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < selection.length; i++) {
    if (data.getValid(selection[i]!)) bitmap[i >> 3]! |= 1 << (i & 7);
    else nullCount++;
  }
  return { bitmap: nullCount > 0 ? bitmap : undefined, nullCount };
}

/** Bytes per value of a fixed-width type, or 0 for the others. */
function byteWidthOf(type: DataType): number {
  switch (type.typeId) {
    case Type.Bool:
    case Type.Utf8:
    case Type.Binary:
    case Type.Dictionary:
      return 0;
    default: {
      const values = (type as unknown as { ArrayType?: { BYTES_PER_ELEMENT: number } }).ArrayType;
      const stride = (type as unknown as { stride?: number }).stride ?? 1;
      return values === undefined ? 0 : values.BYTES_PER_ELEMENT * stride;
    }
  }
}

function takeData(data: Data, selection: Uint32Array): Data {
  const k = selection.length;
  const { bitmap, nullCount } = takeValidity(data, selection);
  const type = data.type;
  if (data.typeId === Type.Dictionary) {
    const keys = data.values as Int32Array;
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = keys[selection[i]!]!;
    return makeData({
      type,
      length: k,
      nullCount,
      nullBitmap: bitmap,
      data: out,
      dictionary: data.dictionary!,
    } as never);
  }
  if (data.typeId === Type.Bool) {
    const bits = data.values as Uint8Array;
    const out = new Uint8Array((k + 7) >> 3);
    for (let i = 0; i < k; i++) {
      const bit = data.offset + selection[i]!;
      if ((bits[bit >> 3]! >> (bit & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
    }
    return makeData({ type, length: k, nullCount, nullBitmap: bitmap, data: out } as never);
  }
  if (data.typeId === Type.Utf8 || data.typeId === Type.Binary) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const outOffsets = new Int32Array(k + 1);
    let total = 0;
    for (let i = 0; i < k; i++) {
      const row = selection[i]!;
      total += offsets[row + 1]! - offsets[row]!;
      outOffsets[i + 1] = total;
    }
    const out = new Uint8Array(total);
    for (let i = 0; i < k; i++) {
      const row = selection[i]!;
      out.set(bytes.subarray(offsets[row]!, offsets[row + 1]!), outOffsets[i]!);
    }
    return makeData({ type, length: k, nullCount, nullBitmap: bitmap, valueOffsets: outOffsets, data: out } as never);
  }
  const width = byteWidthOf(type);
  const values = data.values as ArrayBufferView & { length: number };
  // apache-arrow slices `values` with the data, so row 0 is the first element.
  if (width % 4 === 0 && width > 0 && values.byteOffset % 4 === 0) {
    const words = width / 4;
    const source = new Int32Array(values.buffer, values.byteOffset, data.length * words);
    const out = new Int32Array(k * words);
    if (words === 2) {
      for (let i = 0; i < k; i++) {
        const row = selection[i]! * 2;
        out[2 * i] = source[row]!;
        out[2 * i + 1] = source[row + 1]!;
      }
    } else {
      for (let i = 0; i < k; i++) {
        const row = selection[i]! * words;
        for (let w = 0; w < words; w++) out[i * words + w] = source[row + w]!;
      }
    }
    const ArrayType = (values as unknown as { constructor: new (b: ArrayBuffer) => ArrayBufferView }).constructor;
    return makeData({ type, length: k, nullCount, nullBitmap: bitmap, data: new ArrayType(out.buffer) } as never);
  }
  const ArrayType = (values as unknown as { constructor: new (n: number) => { [i: number]: unknown } }).constructor;
  const source = values as unknown as { [i: number]: unknown };
  const stride = width > 0 ? width / (values as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
  const out = new ArrayType(k * stride);
  for (let i = 0; i < k; i++) {
    for (let s = 0; s < stride; s++) out[i * stride + s] = source[selection[i]! * stride + s];
  }
  return makeData({ type, length: k, nullCount, nullBitmap: bitmap, data: out } as never);
}

/** The rows of `batch` at `selection` (ascending or not), as a new batch of the same schema. */
export function takeRows(batch: RecordBatch, selection: Uint32Array): RecordBatch {
  const children = batch.data.children.map((child) => takeData(child as Data, selection));
  return new RecordBatch(
    batch.schema,
    makeData({ type: new Struct(batch.schema.fields), length: selection.length, nullCount: 0, children }),
  );
}
