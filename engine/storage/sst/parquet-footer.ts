/**
 * The Parquet footer (`FileMetaData`, Thrift compact) as the SST code needs it: where each
 * column chunk lives, its raw min/max statistics, the key-value metadata; and two rewrites of
 * it that keep everything else byte for byte:
 *
 * - `withKeyValues` adds entries after the file is written (the per-chunk CRCs, which are only
 *   known once the chunks exist);
 * - `buildSubFile` makes a small, valid Parquet file from one row group and some of its column
 *   chunks. parquet-wasm decodes whole in-memory files and ignores column projection there, so
 *   the reader fetches only the chunks a scan needs and hands parquet-wasm this file instead.
 *
 * Only flat schemas are handled (a root and one leaf per column), which is all Tessera writes.
 * Field numbers below are those of parquet-format's `parquet.thrift`.
 */

import {
  ThriftType,
  decodeThriftStruct,
  encodeThriftStruct,
  type ThriftField,
  type ThriftList,
  type ThriftStruct,
  type ThriftValue,
} from './thrift-compact.ts';

/** Parquet physical types (`Type` in parquet.thrift). */
export const ParquetPhysicalType = {
  Boolean: 0,
  Int32: 1,
  Int64: 2,
  Int96: 3,
  Float: 4,
  Double: 5,
  ByteArray: 6,
  FixedLenByteArray: 7,
} as const;

/** Parquet compression codec codes (`CompressionCodec` in parquet.thrift). */
export const parquetCodecNames: Record<number, string> = {
  0: 'none',
  1: 'snappy',
  2: 'gzip',
  3: 'lzo',
  4: 'brotli',
  5: 'lz4',
  6: 'zstd',
  7: 'lz4_raw',
};

/** One leaf column of the (flat) Parquet schema. */
export interface ParquetLeaf {
  name: string;
  physicalType: number;
  /** Set for FIXED_LEN_BYTE_ARRAY. */
  typeLength?: number;
}

/** Raw statistics of a column chunk: bounds are the Parquet plain encoding of one value. */
export interface ParquetChunkStatistics {
  min?: Uint8Array;
  max?: Uint8Array;
  nullCount?: number;
}

/** Where one column chunk of one row group lives in the file. */
export interface ParquetColumnChunk {
  /** Byte offset of the chunk's first page (the dictionary page when there is one). */
  start: number;
  /** Compressed length of all its pages, headers included. */
  length: number;
  codec: number;
  statistics?: ParquetChunkStatistics;
}

/** One row group: its row count and where each of its column chunks is. */
export interface ParquetRowGroup {
  rows: number;
  /** One per leaf, in schema order. */
  columns: ParquetColumnChunk[];
}

/** A decoded footer; `struct` is the raw Thrift tree the rewrites start from. */
export interface ParquetFooter {
  struct: ThriftStruct;
  leaves: ParquetLeaf[];
  rowGroups: ParquetRowGroup[];
  keyValues: Map<string, string>;
  rows: number;
  createdBy?: string;
}

/** A footer that cannot be understood; the caller names the file and maps it to an error code. */
export class ParquetFooterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParquetFooterError';
  }
}

/** The 4-byte magic at both ends of a Parquet file. */
export const parquetMagic = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Decodes the Thrift `FileMetaData` (the bytes between the data and the 8-byte tail).
 * `dataEnd` is where the footer starts: every chunk must lie in [4, dataEnd).
 */
export function parseFooter(metadata: Uint8Array, dataEnd: number): ParquetFooter {
  let struct: ThriftStruct;
  try {
    const decoded = decodeThriftStruct(metadata);
    struct = decoded.struct;
    if (decoded.end !== metadata.length) {
      throw new ParquetFooterError(`footer has ${metadata.length - decoded.end} trailing bytes`);
    }
  } catch (error) {
    if (error instanceof ParquetFooterError) throw error;
    throw new ParquetFooterError(`footer is not valid Thrift: ${(error as Error).message}`);
  }
  if (struct.has(8) || struct.has(9)) throw new ParquetFooterError('encrypted Parquet files are not supported');

  const schema = listOf(struct, 2, 'FileMetaData.schema');
  if (schema.length === 0) throw new ParquetFooterError('schema is empty');
  const rootChildren = optionalNumber(schema[0]!, 5) ?? 0;
  if (rootChildren !== schema.length - 1) {
    throw new ParquetFooterError(`schema root has ${rootChildren} children but ${schema.length - 1} elements follow`);
  }
  const leaves: ParquetLeaf[] = [];
  for (const element of schema.slice(1)) {
    if ((optionalNumber(element, 5) ?? 0) !== 0) throw new ParquetFooterError('nested columns are not supported');
    const physicalType = optionalNumber(element, 1);
    if (physicalType === undefined) throw new ParquetFooterError('a leaf column has no physical type');
    const leaf: ParquetLeaf = { name: text(element, 4, 'SchemaElement.name'), physicalType };
    const typeLength = optionalNumber(element, 2);
    if (typeLength !== undefined) leaf.typeLength = typeLength;
    leaves.push(leaf);
  }

  const rowGroups: ParquetRowGroup[] = [];
  let rows = 0;
  for (const [index, rowGroup] of listOf(struct, 4, 'FileMetaData.row_groups').entries()) {
    const chunks = listOf(rowGroup, 1, 'RowGroup.columns');
    if (chunks.length !== leaves.length) {
      throw new ParquetFooterError(
        `row group ${index} has ${chunks.length} column chunks for ${leaves.length} columns`,
      );
    }
    const rowCount = safeNumber(bigintOf(rowGroup, 3, 'RowGroup.num_rows'), 'RowGroup.num_rows');
    rows += rowCount;
    rowGroups.push({
      rows: rowCount,
      columns: chunks.map((chunk, column) => parseColumnChunk(chunk, dataEnd, `row group ${index} column ${column}`)),
    });
  }
  const fileRows = safeNumber(bigintOf(struct, 3, 'FileMetaData.num_rows'), 'FileMetaData.num_rows');
  if (fileRows !== rows) throw new ParquetFooterError(`footer says ${fileRows} rows but its row groups hold ${rows}`);

  const keyValues = new Map<string, string>();
  if (struct.has(5)) {
    for (const entry of listOf(struct, 5, 'FileMetaData.key_value_metadata')) {
      const key = text(entry, 1, 'KeyValue.key');
      keyValues.set(key, entry.has(2) ? text(entry, 2, 'KeyValue.value') : '');
    }
  }
  const footer: ParquetFooter = { struct, leaves, rowGroups, keyValues, rows };
  if (struct.has(6)) footer.createdBy = text(struct, 6, 'FileMetaData.created_by');
  return footer;
}

function parseColumnChunk(chunk: ThriftStruct, dataEnd: number, where: string): ParquetColumnChunk {
  if (chunk.has(1)) throw new ParquetFooterError(`${where} lives in another file, which SSTs never do`);
  if (chunk.has(8) || chunk.has(9)) throw new ParquetFooterError('encrypted Parquet files are not supported');
  const meta = structOf(chunk, 3, 'ColumnChunk.meta_data');
  const dataPage = safeNumber(bigintOf(meta, 9, 'ColumnMetaData.data_page_offset'), 'data_page_offset');
  // Some writers store 0 for "no dictionary page"; a real one always precedes the data pages.
  const dictionaryPage = meta.has(11)
    ? safeNumber(bigintOf(meta, 11, 'ColumnMetaData.dictionary_page_offset'), 'dictionary_page_offset')
    : undefined;
  const start =
    dictionaryPage !== undefined && dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
  const length = safeNumber(bigintOf(meta, 7, 'ColumnMetaData.total_compressed_size'), 'total_compressed_size');
  if (start < parquetMagic.length || length < 0 || start + length > dataEnd) {
    throw new ParquetFooterError(
      `${where} claims bytes [${start}, ${start + length}) outside the data [4, ${dataEnd})`,
    );
  }
  const result: ParquetColumnChunk = { start, length, codec: numberOf(meta, 4, 'ColumnMetaData.codec') };
  if (meta.has(12)) {
    const s = structOf(meta, 12, 'ColumnMetaData.statistics');
    const statistics: ParquetChunkStatistics = {};
    // Fields 6/5 (min_value/max_value) have well-defined orders; the deprecated 2/1 do not.
    if (s.has(6)) statistics.min = bytesOf(s, 6, 'Statistics.min_value');
    if (s.has(5)) statistics.max = bytesOf(s, 5, 'Statistics.max_value');
    if (s.has(3)) statistics.nullCount = safeNumber(bigintOf(s, 3, 'Statistics.null_count'), 'null_count');
    result.statistics = statistics;
  }
  return result;
}

/** The footer re-encoded with `entries` added to (or replacing) its key-value metadata. */
export function withKeyValues(footer: ParquetFooter, entries: Map<string, string>): Uint8Array {
  const items: ThriftStruct[] = [];
  for (const [key, value] of footer.keyValues) {
    if (!entries.has(key)) items.push(keyValue(key, value));
  }
  for (const [key, value] of entries) items.push(keyValue(key, value));
  const struct = new Map(footer.struct);
  struct.set(5, { type: ThriftType.List, value: { elementType: ThriftType.Struct, items } });
  return encodeThriftStruct(struct);
}

function keyValue(key: string, value: string): ThriftStruct {
  return new Map<number, ThriftField>([
    [1, { type: ThriftType.Binary, value: utf8Encoder.encode(key) }],
    [2, { type: ThriftType.Binary, value: utf8Encoder.encode(value) }],
  ]);
}

/**
 * A complete Parquet file holding row group `rowGroup` with only the leaves `leafIndexes`
 * (ascending), whose chunk bytes are `chunks` (same order). `arrowSchema` is the `ARROW:schema`
 * value for exactly those leaves, so Arrow readers restore the same types. Other key-value
 * metadata, page indexes, bloom filters and sorting columns are dropped: they refer to things
 * this file does not have.
 */
export function buildSubFile(
  footer: ParquetFooter,
  rowGroup: number,
  leafIndexes: readonly number[],
  chunks: readonly Uint8Array[],
  arrowSchema: string,
): Uint8Array {
  const schema = (footer.struct.get(2)!.value as ThriftList).items as ThriftStruct[];
  const root = new Map(schema[0]!);
  root.set(5, { type: ThriftType.I32, value: leafIndexes.length });
  const schemaItems: ThriftValue[] = [root, ...leafIndexes.map((leaf) => schema[leaf + 1]!)];

  const rowGroupStruct = ((footer.struct.get(4)!.value as ThriftList).items as ThriftStruct[])[rowGroup]!;
  const chunkStructs = (rowGroupStruct.get(1)!.value as ThriftList).items as ThriftStruct[];
  const newChunks: ThriftStruct[] = [];
  let offset = parquetMagic.length;
  let uncompressed = 0n;
  leafIndexes.forEach((leaf, i) => {
    const original = chunkStructs[leaf]!;
    const placed = footer.rowGroups[rowGroup]!.columns[leaf]!;
    if (chunks[i]!.length !== placed.length)
      throw new Error(`chunk ${leaf} has ${chunks[i]!.length} bytes, not ${placed.length}`);
    const shift = BigInt(offset - placed.start);
    const meta = new Map(original.get(3)!.value as ThriftStruct);
    relocate(meta, 9, shift);
    relocate(meta, 11, shift);
    meta.delete(10); // index_page_offset: unused by Parquet
    meta.delete(14); // bloom_filter_offset
    meta.delete(15); // bloom_filter_length
    const uncompressedField = meta.get(6);
    if (uncompressedField) uncompressed += uncompressedField.value as bigint;
    newChunks.push(
      new Map<number, ThriftField>([
        [2, { type: ThriftType.I64, value: BigInt(offset) }],
        [3, { type: ThriftType.Struct, value: meta }],
      ]),
    );
    offset += placed.length;
  });
  const dataEnd = offset;
  const newRowGroup: ThriftStruct = new Map<number, ThriftField>([
    [1, { type: ThriftType.List, value: { elementType: ThriftType.Struct, items: newChunks } }],
    [2, { type: ThriftType.I64, value: uncompressed }],
    [3, rowGroupStruct.get(3)!],
    [5, { type: ThriftType.I64, value: BigInt(parquetMagic.length) }],
    [6, { type: ThriftType.I64, value: BigInt(dataEnd - parquetMagic.length) }],
  ]);

  const struct: ThriftStruct = new Map(footer.struct);
  struct.set(2, { type: ThriftType.List, value: { elementType: ThriftType.Struct, items: schemaItems } });
  struct.set(3, rowGroupStruct.get(3)!);
  struct.set(4, { type: ThriftType.List, value: { elementType: ThriftType.Struct, items: [newRowGroup] } });
  struct.set(5, {
    type: ThriftType.List,
    value: { elementType: ThriftType.Struct, items: [keyValue('ARROW:schema', arrowSchema)] },
  });
  const columnOrders = struct.get(7);
  if (columnOrders) {
    const orders = (columnOrders.value as ThriftList).items;
    struct.set(7, {
      type: ThriftType.List,
      value: {
        elementType: (columnOrders.value as ThriftList).elementType,
        items: leafIndexes.map((leaf) => orders[leaf]!),
      },
    });
  }

  const metadata = encodeThriftStruct(struct);
  const file = new Uint8Array(dataEnd + metadata.length + 8);
  file.set(parquetMagic, 0);
  let at = parquetMagic.length;
  for (const chunk of chunks) {
    file.set(chunk, at);
    at += chunk.length;
  }
  file.set(metadata, at);
  at += metadata.length;
  new DataView(file.buffer).setUint32(at, metadata.length, true);
  file.set(parquetMagic, at + 4);
  return file;
}

function relocate(meta: ThriftStruct, field: number, shift: bigint): void {
  const entry = meta.get(field);
  if (entry && (entry.value as bigint) > 0n)
    meta.set(field, { type: ThriftType.I64, value: (entry.value as bigint) + shift });
}

/** A list of structs (the only lists the footer code walks). */
function listOf(struct: ThriftStruct, field: number, what: string): ThriftStruct[] {
  const entry = struct.get(field);
  if (!entry || (entry.type !== ThriftType.List && entry.type !== ThriftType.Set)) {
    throw new ParquetFooterError(`${what} is missing`);
  }
  const list = entry.value as ThriftList;
  if (list.elementType !== ThriftType.Struct) throw new ParquetFooterError(`${what} is not a list of structs`);
  return list.items as ThriftStruct[];
}

function structOf(struct: ThriftStruct, field: number, what: string): ThriftStruct {
  const entry = struct.get(field);
  if (!entry || entry.type !== ThriftType.Struct) throw new ParquetFooterError(`${what} is missing`);
  return entry.value as ThriftStruct;
}

function bigintOf(struct: ThriftStruct, field: number, what: string): bigint {
  const entry = struct.get(field);
  if (!entry || entry.type !== ThriftType.I64) throw new ParquetFooterError(`${what} is missing`);
  return entry.value as bigint;
}

function numberOf(struct: ThriftStruct, field: number, what: string): number {
  const value = optionalNumber(struct, field);
  if (value === undefined) throw new ParquetFooterError(`${what} is missing`);
  return value;
}

function optionalNumber(struct: ThriftStruct, field: number): number | undefined {
  const entry = struct.get(field);
  if (!entry) return undefined;
  if (entry.type !== ThriftType.I32 && entry.type !== ThriftType.I16 && entry.type !== ThriftType.Byte) {
    throw new ParquetFooterError(`field ${field} has wire type ${entry.type}, expected an integer`);
  }
  return entry.value as number;
}

function bytesOf(struct: ThriftStruct, field: number, what: string): Uint8Array {
  const entry = struct.get(field);
  if (!entry || entry.type !== ThriftType.Binary) throw new ParquetFooterError(`${what} is missing`);
  return entry.value as Uint8Array;
}

function text(struct: ThriftStruct, field: number, what: string): string {
  const bytes = bytesOf(struct, field, what);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new ParquetFooterError(`${what} is not UTF-8`);
  }
}

function safeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ParquetFooterError(`${what} is ${value}`);
  return Number(value);
}
