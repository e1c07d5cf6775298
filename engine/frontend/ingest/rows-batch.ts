/**
 * One table's decoded rows → the Arrow batch a region put carries, built over the decoders'
 * buffers (no per-row work except booleans and a time-unit change): string tags become
 * `Dictionary<Int32, Utf8>` (the region's in-memory tag form), 64-bit columns are views of the
 * word-pair buffers, nulls are the validity bitmaps. A column with no value in any row is left
 * out (the region stores null). The time index is converted when the table's unit differs.
 */
import { isUtf8 } from 'node:buffer';
import {
  Bool,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Uint64,
  Utf8,
  makeData,
  makeVector,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { TableInfo } from '../../rpc/index.ts';
import { arrowTypeOfColumn } from '../sql/column-types.ts';
import { bigIntOfWords, setWordsFromBigInt } from './int64-words.ts';
import type { IngestColumn, TableRows } from './table-rows.ts';

const ticksPerSecond: Record<string, bigint> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

function countSet(validity: Uint8Array, rows: number): number {
  let count = 0;
  for (let row = 0; row < rows; row++) if (validity[row >> 3]! & (1 << (row & 7))) count++;
  return count;
}

function notUtf8(table: string, column: string): TesseraError {
  return new TesseraError(
    ErrorCode.InvalidArguments,
    `Column ${column} of table ${table} has a value that is not UTF-8`,
  );
}

/** Builds the put batch of `rows` for the table `info` (already checked by ingest-schema.ts). */
export function rowsBatch(rows: TableRows, info: TableInfo): RecordBatch {
  const n = rows.rows;
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const column of rows.columns) {
    const present = countSet(column.validity, n);
    if (present === 0) continue;
    const nullCount = n - present;
    const nullBitmap = nullCount === 0 ? undefined : column.validity.subarray(0, (n + 7) >> 3);
    const built = columnData(rows.name, column, n, nullCount, nullBitmap);
    fields.push(new Field(column.name, built.type, true));
    children.push(built);
  }
  const timeSchema = info.regionSchema.columns.find((column) => column.semantic === 'timestamp')!;
  const timeType = arrowTypeOfColumn(timeSchema.type);
  const unit = timeSchema.type.kind === 'timestamp' ? timeSchema.type.unit : rows.timeUnit;
  let words = rows.timeColumn.words!;
  if (unit !== rows.timeUnit) words = convertTicks(words, n, rows.timeUnit, unit);
  fields.push(new Field(timeSchema.name, timeType, false));
  children.push(
    makeData({ type: timeType, length: n, nullCount: 0, data: new BigInt64Array(words.buffer, 0, n) } as never),
  );
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
}

function convertTicks(words: Int32Array, n: number, from: string, to: string): Int32Array {
  const converted = new Int32Array(n * 2);
  const fromTicks = ticksPerSecond[from]!;
  const toTicks = ticksPerSecond[to]!;
  for (let row = 0; row < n; row++) {
    setWordsFromBigInt(converted, row, (bigIntOfWords(words, row) * toTicks) / fromTicks);
  }
  return converted;
}

function columnData(
  table: string,
  column: IngestColumn,
  n: number,
  nullCount: number,
  nullBitmap: Uint8Array | undefined,
): Data {
  const base = { length: n, nullCount, ...(nullBitmap ? { nullBitmap } : {}) };
  switch (column.kind) {
    case 'tag': {
      const { offsets, bytes } = column.dictionary!.utf8();
      if (!isUtf8(bytes)) throw notUtf8(table, column.name);
      const dictionary = makeVector(
        makeData({ type: new Utf8(), length: offsets.length - 1, valueOffsets: offsets, data: bytes }),
      );
      const type: DataType = new Dictionary(new Utf8(), new Int32());
      return makeData({ type, ...base, data: column.ids!.subarray(0, n), dictionary } as never);
    }
    case 'float64':
      return makeData({ type: new Float64(), ...base, data: column.floats!.subarray(0, n) });
    case 'int64':
      return makeData({ type: new Int64(), ...base, data: new BigInt64Array(column.words!.buffer, 0, n) } as never);
    case 'uint64':
      return makeData({ type: new Uint64(), ...base, data: new BigUint64Array(column.words!.buffer, 0, n) } as never);
    case 'boolean': {
      const bits = new Uint8Array((n + 7) >> 3);
      const bytes = column.bytes!;
      for (let row = 0; row < n; row++) if (bytes[row]) bits[row >> 3]! |= 1 << (row & 7);
      return makeData({ type: new Bool(), ...base, data: bits });
    }
    case 'string': {
      column.finishStrings(n);
      const data = column.stringArena!.subarray(0, column.stringUsed);
      if (!isUtf8(data)) throw notUtf8(table, column.name);
      return makeData({ type: new Utf8(), ...base, valueOffsets: column.ids!.subarray(0, n + 1), data });
    }
    case 'timestamp':
      throw new TesseraError(ErrorCode.Internal, `Column ${column.name} of table ${table}: a second time index`);
  }
}
