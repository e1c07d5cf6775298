/**
 * Arrow record batches across a thread boundary without copying their columns.
 *
 * `postMessage` structured-clones what it is given, which for Arrow objects would lose their
 * classes and copy every buffer. So a batch travels as plain descriptions of its `Data` trees
 * (offset, length, null count, the typed arrays, children, dictionary chunks), and the typed
 * arrays' `ArrayBuffer`s go in the transfer list: they move to the other thread, and the
 * sender's views become empty. Schemas travel once per distinct schema, as an Arrow IPC schema
 * message, so the receiver rebuilds exactly the same types (dictionaries, timestamps, …).
 *
 * Only hand over batches nothing else reads afterwards (a memtable's sorted run, SST reads made
 * for a compaction): their buffers are gone from this thread once posted.
 */

import { Data, RecordBatch, Struct, Table, Vector, makeData, tableFromIPC, tableToIPC } from 'apache-arrow';
import type { DataType, Schema } from 'apache-arrow';

type Buffer = ArrayBufferView | undefined;

/** One `Data` node as plain, cloneable values. */
export interface DataWire {
  offset: number;
  length: number;
  nullCount: number;
  /** `[valueOffsets, values, nullBitmap, typeIds]`, Arrow's buffer order. */
  buffers: [Buffer, Buffer, Buffer, Buffer];
  children: DataWire[];
  /** The chunks of a dictionary column's dictionary. */
  dictionary?: DataWire[];
}

/** Batches as sent: schemas once each, batches pointing at them. */
export interface BatchesWire {
  /** Arrow IPC stream bytes holding only a schema. */
  schemas: Uint8Array[];
  batches: { schema: number; length: number; columns: DataWire[] }[];
}

/**
 * Describes `batches` for `postMessage`; every `ArrayBuffer` they use is added to `transfer`
 * (once). Buffers of a `SharedArrayBuffer` are shared, not moved, and are left out.
 */
export function batchesToWire(batches: readonly RecordBatch[], transfer: Set<ArrayBuffer>): BatchesWire {
  const schemaIndex = new Map<Schema, number>();
  const schemas: Uint8Array[] = [];
  const wire: BatchesWire['batches'] = [];
  for (const batch of batches) {
    let index = schemaIndex.get(batch.schema);
    if (index === undefined) {
      index = schemas.length;
      schemaIndex.set(batch.schema, index);
      schemas.push(tableToIPC(new Table(batch.schema), 'stream'));
    }
    wire.push({
      schema: index,
      length: batch.numRows,
      columns: batch.data.children.map((child) => dataToWire(child, transfer)),
    });
  }
  for (const bytes of schemas) transfer.add(bytes.buffer as ArrayBuffer);
  return { schemas, batches: wire };
}

/** The batches `batchesToWire` described, on the receiving side. */
export function batchesFromWire(wire: BatchesWire): RecordBatch[] {
  const schemas = wire.schemas.map((bytes) => tableFromIPC(bytes).schema);
  return wire.batches.map(({ schema: index, length, columns }) => {
    const schema = schemas[index]!;
    const children = columns.map((column, i) => dataFromWire(schema.fields[i]!.type, column));
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
  });
}

function dataToWire(data: Data, transfer: Set<ArrayBuffer>): DataWire {
  const buffers: DataWire['buffers'] = [data.valueOffsets, data.values, data.nullBitmap, data.typeIds];
  for (const buffer of buffers) {
    if (buffer !== undefined && buffer.buffer instanceof ArrayBuffer) transfer.add(buffer.buffer);
  }
  const wire: DataWire = {
    offset: data.offset,
    length: data.length,
    nullCount: data.nullCount,
    buffers,
    children: data.children.map((child) => dataToWire(child, transfer)),
  };
  if (data.dictionary !== undefined) wire.dictionary = data.dictionary.data.map((chunk) => dataToWire(chunk, transfer));
  return wire;
}

function dataFromWire(type: DataType, wire: DataWire): Data {
  const childTypes = type.children ?? [];
  const children = wire.children.map((child, i) => dataFromWire(childTypes[i]!.type, child));
  const dictionaryType = (type as { dictionary?: DataType }).dictionary;
  const dictionary =
    wire.dictionary === undefined || dictionaryType === undefined
      ? undefined
      : new Vector(wire.dictionary.map((chunk) => dataFromWire(dictionaryType, chunk)));
  return new Data(type, wire.offset, wire.length, wire.nullCount, wire.buffers as never, children, dictionary);
}
