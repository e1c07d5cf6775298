/**
 * RecordBatches on the wire, as Arrow IPC stream messages.
 *
 * A stream sends its schema once: the first item frame's data is the schema message followed
 * by the batch's messages, and its header says how many bytes the schema message takes
 * (`schemaBytes`); later items carry only their batch's messages (dictionary batches, then
 * the record batch). A batch whose schema differs from the one before starts over with a new
 * schema message. Dictionaries are re-sent with every batch that uses them, so any item
 * decodes with nothing but the stream's schema: no other decoder state crosses frames.
 *
 * Why: encoding a self-contained IPC stream per batch spends most of its time setting up a
 * writer and building the schema's flatbuffer (about 125 µs per 8192-row batch of Int64,
 * Utf8 and Float64, against 9 µs for the batch messages alone). From batch to frame bytes and
 * back, `bench/rpc.bench.ts` ("arrow item codec") measures about 90–120 µs per batch with
 * the schema in every item and 50–65 µs with the schema once.
 *
 * A request's attachment is one self-contained IPC stream (schema, then one batch).
 */
import {
  AsyncByteQueue,
  RecordBatch,
  RecordBatchReader,
  RecordBatchStreamWriter,
  util,
  type Schema,
} from 'apache-arrow';
import { ErrorCode, TesseraError, rememberIpcSource } from '../common/index.ts';

/** Collects what a writer writes, synchronously. */
class ChunkSink extends AsyncByteQueue {
  /** The chunks written since the last take. */
  take(): Uint8Array[] {
    const chunks = this._values as Uint8Array[];
    this._values = [];
    return chunks;
  }
}

/** A stream writer that writes every dictionary again with each batch. */
class ItemWriter extends RecordBatchStreamWriter {
  writeItem(batch: RecordBatch): void {
    this._seenDictionaries.clear();
    this._dictionaryDeltaOffsets.clear();
    this.write(batch);
  }
}

/** One encoded stream item: the schema message when this item starts a schema, then the batch's messages. */
export interface EncodedItem {
  schema: Uint8Array[] | undefined;
  batch: Uint8Array[];
}

/** Encodes the batches of one stream, in order; one encoder per stream. */
export class BatchEncoder {
  private readonly sink = new ChunkSink();
  private writer: ItemWriter | undefined;
  private schema: Schema | undefined;

  /** Throws InvalidArguments when `batch` is not a RecordBatch. */
  encode(batch: RecordBatch): EncodedItem {
    if (!(batch instanceof RecordBatch)) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Expected an Arrow RecordBatch, got ${describe(batch)}`);
    }
    let schema: Uint8Array[] | undefined;
    if (this.writer === undefined || !sameSchema(batch.schema, this.schema!)) {
      this.writer = new ItemWriter({ autoDestroy: false });
      this.writer.reset(this.sink, batch.schema);
      this.schema = batch.schema;
      schema = this.sink.take();
    }
    this.writer.writeItem(batch);
    return { schema, batch: this.sink.take() };
  }
}

/** Decodes the items of one stream, in order; one decoder per stream. */
export class BatchDecoder {
  private schema: Uint8Array | undefined;

  /**
   * Decodes an item's data; `schemaBytes` is the item header's count of schema bytes at its
   * start (0 when it reuses the stream's schema). Buffers are views into `data` where they
   * are aligned, so `data` must not be reused. Throws MalformedMessage naming `what`.
   */
  decode(data: Uint8Array, schemaBytes: number, what: string): RecordBatch {
    if (schemaBytes > 0) {
      if (schemaBytes > data.byteLength) throw malformed(what, `its schema (${schemaBytes} bytes) runs past its data`);
      // A copy: the schema outlives this frame, the frame's buffer need not.
      this.schema = data.slice(0, schemaBytes);
      data = data.subarray(schemaBytes);
    }
    if (this.schema === undefined) throw malformed(what, 'it came before any schema');
    return readOne([this.schema, data], what);
  }
}

/** Encodes one batch as a self-contained IPC stream (schema, then the batch), as chunks. */
export function encodeBatch(batch: RecordBatch): Uint8Array[] {
  const item = new BatchEncoder().encode(batch);
  return [...item.schema!, ...item.batch];
}

/** Decodes a self-contained IPC stream holding one batch (as `encodeBatch` writes). Throws MalformedMessage naming `what`. */
export function decodeBatch(bytes: Uint8Array, what: string): RecordBatch {
  const { batch, reader } = readFirst(bytes, what);
  // A stream of exactly this batch is kept with it: the storage engine logs those very bytes to
  // its WAL instead of encoding the batch again (engine/common/arrow-ipc-source.ts).
  try {
    if (reader.next().done === true) rememberIpcSource(batch, bytes);
  } catch {
    // Trailing bytes that do not decode: the batch is still good, the stream is not reusable.
  }
  return batch;
}

function readOne(source: Uint8Array | Uint8Array[], what: string): RecordBatch {
  return readFirst(source, what).batch;
}

function readFirst(
  source: Uint8Array | Uint8Array[],
  what: string,
): { batch: RecordBatch; reader: Iterator<RecordBatch> } {
  let reader: Iterator<RecordBatch>;
  let result: IteratorResult<RecordBatch>;
  try {
    // Bytes in memory: the reader is synchronous.
    reader = RecordBatchReader.from(source) as unknown as Iterator<RecordBatch>;
    result = reader.next();
  } catch (error) {
    throw malformed(what, `it is not Arrow IPC: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  if (result.done === true || !(result.value instanceof RecordBatch)) throw malformed(what, 'it holds no record batch');
  return { batch: result.value, reader };
}

function sameSchema(a: Schema, b: Schema): boolean {
  return a === b || util.compareSchemas(a, b);
}

function malformed(what: string, reason: string, cause?: unknown): TesseraError {
  return new TesseraError(ErrorCode.MalformedMessage, `Malformed message: ${what}: ${reason}`, { cause });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
