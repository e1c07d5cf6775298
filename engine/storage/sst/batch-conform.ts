/**
 * Brings the batches handed to the SST writer to the region's exact Arrow schema: checks that
 * every column is there with values of the right type, relabels types that only differ in
 * dictionary id or time zone, dictionary-encodes string tags given as plain `Utf8`, and copies
 * any buffer two columns share (apache-arrow 21 writes a corrupt IPC stream when two columns
 * of a batch hold the same typed array, and IPC is how batches reach the Parquet writer).
 *
 * Works per column on whole buffers; the only per-row loop is the dictionary encoding of
 * `Utf8` tags, which compares bytes with the previous row first because rows arrive sorted by
 * primary key, so tags come in long runs.
 */

import type { Dictionary, Schema } from 'apache-arrow';
import { Data, RecordBatch, Struct, Type, Utf8, makeData, vectorFromArray, type DataType } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RegionSchema } from '../region-schema.ts';
import { sequenceColumnName } from '../merge/sorted-run.ts';
import { sameArrowType } from '../arrow-types.ts';
import { sequenceToStored } from './internal-columns.ts';

/**
 * Returns `batches` as batches of exactly `target` (the region's Arrow schema, possibly followed
 * by the stored internal columns), same rows. `nullable` is per target field.
 */
export function conformBatches(
  schema: RegionSchema,
  target: Schema,
  batches: readonly RecordBatch[],
  nullable: readonly boolean[] = schema.columns.map((c) => c.nullable),
): RecordBatch[] {
  return batches.map((batch, batchIndex) => {
    const children = target.fields.map((field, column) => {
      const index = batch.schema.fields.findIndex((f) => f.name === field.name);
      if (index < 0) {
        throw new TesseraError(ErrorCode.InvalidArguments, `Batch ${batchIndex} has no column "${field.name}"`);
      }
      const data = batch.data.children[index]!;
      const conformed =
        field.name === sequenceColumnName ? sequenceToStored(data) : conformColumn(field.name, field.type, data);
      if (!nullable[column] && conformed.nullCount > 0) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Column "${field.name}" is not nullable but batch ${batchIndex} has ${conformed.nullCount} nulls in it`,
        );
      }
      return conformed;
    });
    if (batch.schema.fields.length !== target.fields.length) {
      const extra = batch.schema.fields
        .map((f) => f.name)
        .filter((name) => !target.fields.some((f) => f.name === name));
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Batch ${batchIndex} has columns [${extra.join(', ')}] that region schema version ${schema.version} does not have`,
      );
    }
    unshareBuffers(children);
    const struct = makeData({ type: new Struct(target.fields), length: batch.numRows, nullCount: 0, children });
    return new RecordBatch(target, struct);
  });
}

function conformColumn(name: string, expected: DataType, data: Data): Data {
  if (sameArrowType(expected, data.type)) return data.clone(expected);
  if (expected.typeId === Type.Dictionary) {
    const dictionaryType = expected as Dictionary;
    if (data.typeId === Type.Utf8) return dictionaryEncode(data as Data<Utf8>, dictionaryType);
    if (
      data.typeId === Type.Dictionary &&
      sameArrowType(dictionaryType.dictionary, (data.type as Dictionary).dictionary)
    ) {
      return widenKeys(data as Data<Dictionary>, dictionaryType);
    }
  }
  throw new TesseraError(
    ErrorCode.InvalidArguments,
    `Column "${name}" must be ${String(expected)} but is ${String(data.type)}`,
  );
}

/** A packed validity bitmap starting at bit 0 for `data`'s rows, or undefined without nulls. */
function validityOf(data: Data): Uint8Array | undefined {
  if (data.nullCount === 0) return undefined;
  const bitmap = new Uint8Array((data.length + 7) >> 3);
  for (let i = 0; i < data.length; i++) if (data.getValid(i)) bitmap[i >> 3]! |= 1 << (i & 7);
  return bitmap;
}

function widenKeys(data: Data<Dictionary>, type: Dictionary): Data {
  // apache-arrow slices `values` and `valueOffsets` with the data; only the bitmap uses `offset`.
  const source = data.values as ArrayLike<number>;
  const keys = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) keys[i] = source[i]!;
  return makeData({
    type,
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: validityOf(data),
    data: keys,
    dictionary: data.dictionary!,
  });
}

function dictionaryEncode(data: Data<Utf8>, type: Dictionary): Data {
  const offsets = data.valueOffsets;
  const bytes = data.values;
  const keys = new Int32Array(data.length);
  const index = new Map<string, number>();
  const decoder = new TextDecoder();
  const hasNulls = data.nullCount > 0;
  let previousStart = -1;
  let previousEnd = -1;
  let previousKey = 0;
  for (let i = 0; i < data.length; i++) {
    if (hasNulls && !data.getValid(i)) continue;
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (previousStart >= 0 && sameBytes(bytes, start, end, previousStart, previousEnd)) {
      keys[i] = previousKey;
      continue;
    }
    const text = decoder.decode(bytes.subarray(start, end));
    let key = index.get(text);
    if (key === undefined) {
      key = index.size;
      index.set(text, key);
    }
    keys[i] = key;
    previousStart = start;
    previousEnd = end;
    previousKey = key;
  }
  const dictionary = vectorFromArray([...index.keys()], new Utf8());
  return makeData({
    type,
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: validityOf(data),
    data: keys,
    dictionary,
  });
}

function sameBytes(bytes: Uint8Array, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  if (end - start !== otherEnd - otherStart) return false;
  for (let i = 0; i < end - start; i++) if (bytes[start + i] !== bytes[otherStart + i]) return false;
  return true;
}

/** Replaces, in place, any column whose buffers are the very typed arrays of an earlier column. */
function unshareBuffers(children: Data[]): void {
  const seen = new Set<unknown>();
  children.forEach((data, column) => {
    const buffers = [data.values, data.valueOffsets, data.nullBitmap].filter(
      (buffer): buffer is NonNullable<typeof buffer> =>
        buffer !== undefined && buffer !== null && buffer.byteLength > 0,
    );
    if (buffers.some((buffer) => seen.has(buffer))) {
      children[column] = copyData(data);
    } else {
      for (const buffer of buffers) seen.add(buffer);
    }
  });
}

function copyData(data: Data): Data {
  return new Data(
    data.type,
    data.offset,
    data.length,
    data.nullCount,
    // Indexed by apache-arrow's BufferType: OFFSET, DATA, VALIDITY, TYPE.
    [data.valueOffsets?.slice(), data.values?.slice(), data.nullBitmap?.slice(), data.typeIds?.slice()] as never,
    data.children,
    data.dictionary,
  );
}
