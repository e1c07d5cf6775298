/**
 * Reads SSTs through ranged reads: the footer first (statistics, no data), then, per row group
 * that survives pruning, only the column chunks a scan asks for.
 *
 * Decoding is split by what each library does best (measured in bench/sst.bench.ts):
 * - the footer is parsed here (`parquet-footer.ts`): parquet-wasm cannot return statistics, and
 *   hyparquet's statistics round nanosecond timestamps to milliseconds;
 * - the data is decoded by parquet-wasm, ~15x faster than hyparquet on TSBS rows, and it yields
 *   Arrow directly: typed-array columns and dictionary-encoded tags, no per-row conversion.
 *   parquet-wasm only decodes whole in-memory files, so each row group's fetched chunks are
 *   wrapped into a small Parquet file of their own (`buildSubFile`) and decoded in one call.
 *
 * Every fetched chunk is checked against the CRC-32 the writer stored, so damaged bytes become a
 * `StorageCorrupted` error naming the file before the WebAssembly decoder ever sees them. The
 * next row group's chunks are fetched while the current one is decoded and consumed.
 */

import { Field, Float64, RecordBatch, Schema, Struct, Table, makeData, tableFromIPC, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import { crc32 } from 'node:zlib';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { sequenceColumnName } from '../merge/sorted-run.ts';
import { arrowSchemaOf } from '../arrow-types.ts';
import { sequenceFromStored, storedInternalFields } from './internal-columns.ts';
import { ParquetFooterError, buildSubFile, parquetMagic, parseFooter } from './parquet-footer.ts';
import { pruneRowGroups, type SstColumnRange } from './sst-pruning.ts';
import { sstMetaFromFooter, timeIndexOf, type SstFileInternals, type SstMeta } from './sst-meta.ts';

/**
 * Random access to one SST's bytes (the object store implements it). `read` must return
 * exactly `length` bytes at `offset`; offsets are always explicit, never suffix ranges (S3
 * endpoints on loopback mishandle `bytes=-n`).
 */
export interface SstSource {
  /** Object key or path, used in error messages. */
  name?: string;
  /** Size of the file in bytes. */
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** An `SstSource` over bytes already in memory (tests, benchmarks, a just-written file). */
export function sstSourceFromBytes(bytes: Uint8Array, name = '(in memory)'): SstSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/** What to read: projection, time range and row-group selection (all optional). */
export interface SstReadOptions {
  /**
   * Columns to return, by their name in the file (`meta.schema`), in this order. Names the file
   * lacks (columns added by a later alter) are skipped; the scan fills them. Default: all.
   */
  columns?: readonly string[];
  /** Inclusive [start, end] in the time index unit: prunes row groups and trims rows exactly. */
  timeRange?: readonly [bigint, bigint];
  /** Only these row groups (indexes into `meta.rowGroups`), still pruned by the other options. */
  rowGroups?: readonly number[];
  /** Prune row groups whose statistics rule these ranges out (rows are not filtered by them). */
  ranges?: readonly SstColumnRange[];
  /**
   * The file's metadata as `readSstMeta` or `writeSst` returned it (that very object), to skip
   * reading the footer again. A copy of it (e.g. from JSON) makes the reader read the footer.
   */
  meta?: SstMeta;
}

/** What the reader keeps per file beside the public metadata, found again through the meta object. */
interface FileState extends SstFileInternals {
  /** Base64 `ARROW:schema` values by projection (leaf indexes joined with commas). */
  projections: Map<string, string>;
  /**
   * The Arrow schema the sub-files are decoded with. Derived from the (validated) region schema,
   * not parsed from the file's own `ARROW:schema`: apache-arrow's flatbuffer parser is not
   * hardened, and one flipped bit there made it allocate until the process died.
   */
  arrowSchema: Schema;
}

const fileStates = new WeakMap<SstMeta, FileState>();

/** Lets `readSst` use `meta` without reading the footer again (called by the writer too). */
export function rememberSstFile(meta: SstMeta, internals: SstFileInternals): void {
  const base = arrowSchemaOf(meta.schema);
  const arrowSchema =
    meta.internalColumns === undefined ? base : new Schema([...base.fields, ...storedInternalFields()]);
  fileStates.set(meta, { ...internals, projections: new Map(), arrowSchema });
}

/** Initial tail read: one request covers the footer of any SST with fewer than ~300 row groups. */
const tailReadLength = 64 * 1024;

/** Chunks closer than this are fetched in one read: cheaper than a second request. */
const coalesceGap = 256 * 1024;

function sourceName(source: SstSource): string {
  return source.name ?? '(unnamed source)';
}

function corrupted(source: SstSource, message: string, cause?: unknown): TesseraError {
  return new TesseraError(ErrorCode.StorageCorrupted, `SST ${sourceName(source)} is corrupted: ${message}`, { cause });
}

async function readExact(source: SstSource, offset: number, length: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await source.read(offset, length);
  } catch (error) {
    if (error instanceof TesseraError) throw error;
    throw new TesseraError(
      ErrorCode.StorageUnavailable,
      `Reading bytes [${offset}, ${offset + length}) of SST ${sourceName(source)} failed: ${String(error)}`,
      { cause: error },
    );
  }
  if (bytes.length !== length) {
    throw corrupted(
      source,
      `reading ${length} bytes at offset ${offset} returned ${bytes.length}; the file is shorter than ${source.size} bytes`,
    );
  }
  return bytes;
}

/**
 * Reads and checks an SST's footer: schema, row groups with their time bounds and column
 * statistics; no data pages. Throws `StorageCorrupted` naming the file when it is truncated,
 * not Parquet, or not a Tessera SST.
 */
export async function readSstMeta(source: SstSource): Promise<SstMeta> {
  const size = source.size;
  const minimum = parquetMagic.length * 2 + 4;
  if (!Number.isSafeInteger(size) || size < minimum) {
    throw corrupted(source, `it is ${size} bytes long, shorter than the ${minimum} bytes of an empty Parquet file`);
  }
  const tailLength = Math.min(size, tailReadLength);
  const tail = await readExact(source, size - tailLength, tailLength);
  for (let i = 0; i < 4; i++) {
    if (tail[tailLength - 4 + i] !== parquetMagic[i]) {
      throw corrupted(source, 'it does not end with the Parquet magic "PAR1" (truncated or not Parquet)');
    }
  }
  const metadataLength = new DataView(tail.buffer, tail.byteOffset, tail.byteLength).getUint32(tailLength - 8, true);
  const dataEnd = size - 8 - metadataLength;
  if (dataEnd < parquetMagic.length) {
    throw corrupted(source, `its footer claims ${metadataLength} bytes, more than the file's ${size}`);
  }
  let metadata: Uint8Array;
  if (metadataLength + 8 <= tailLength) {
    metadata = tail.subarray(tailLength - 8 - metadataLength, tailLength - 8);
  } else {
    const head = await readExact(source, dataEnd, metadataLength + 8 - tailLength);
    metadata = new Uint8Array(metadataLength);
    metadata.set(head, 0);
    metadata.set(tail.subarray(0, tailLength - 8), head.length);
  }
  let footer;
  try {
    footer = parseFooter(metadata, dataEnd);
  } catch (error) {
    if (error instanceof ParquetFooterError) throw corrupted(source, error.message, error);
    throw error;
  }
  const { meta, internals } = sstMetaFromFooter(footer, size, sourceName(source));
  rememberSstFile(meta, internals);
  return meta;
}

/**
 * Streams the SST's rows as Arrow batches: one batch per row group read (several zero-copy
 * slices when a time range cuts through a row group). Columns are typed arrays as `arrowSchemaOf`
 * describes them; string tags are dictionaries. Rows keep the file's (primary key, time) order.
 * Nothing is read before the first batch is pulled; errors arrive through the iteration.
 */
export async function* readSst(source: SstSource, options: SstReadOptions = {}): AsyncGenerator<RecordBatch> {
  let meta = options.meta;
  let state = meta ? fileStates.get(meta) : undefined;
  if (!meta || !state) {
    meta = await readSstMeta(source);
    state = fileStates.get(meta)!;
  }
  const fileState = state;
  const columns = meta.schema.columns;
  const timeLeaf = columns.indexOf(timeIndexOf(meta.schema));
  // Leaf names: the schema's columns, then any internal columns (`__sequence`, `__op_type`).
  const leafNames = [...columns.map((c) => c.name), ...(meta.internalColumns ?? [])];
  const wanted = options.columns ?? columns.map((c) => c.name);
  const outputNames = [...new Set(wanted)].filter((name) => leafNames.includes(name));
  const outputLeaves = outputNames.map((name) => leafNames.indexOf(name));
  const convertsSequence = outputNames.includes(sequenceColumnName);

  let plan = pruneRowGroups(meta, { timeRange: options.timeRange, ranges: options.ranges });
  if (options.rowGroups) {
    for (const index of options.rowGroups) {
      if (!Number.isInteger(index) || index < 0 || index >= meta.rowGroups.length) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `SST ${sourceName(source)} has ${meta.rowGroups.length} row groups; there is no row group ${index}`,
        );
      }
    }
    const allowed = new Set(options.rowGroups);
    plan = plan.filter((index) => allowed.has(index));
  }
  const timeRange = options.timeRange;
  const timeName = columns[timeLeaf]!.name;
  // A row group only partly inside the time range needs its rows trimmed, so its times read.
  const trims = (rowGroup: number): boolean => {
    const group = meta.rowGroups[rowGroup]!;
    return timeRange !== undefined && (group.timeMin < timeRange[0] || group.timeMax > timeRange[1]);
  };
  const leavesOf = (rowGroup: number): number[] => {
    const leaves = new Set(outputLeaves);
    if (trims(rowGroup)) leaves.add(timeLeaf);
    return [...leaves].sort((a, b) => a - b);
  };

  const fetch = (rowGroup: number): Promise<Uint8Array[]> =>
    fetchChunks(source, fileState, rowGroup, leavesOf(rowGroup));
  let pending = plan.length > 0 ? fetch(plan[0]!) : undefined;
  for (let step = 0; step < plan.length; step++) {
    const rowGroup = plan[step]!;
    const chunks = await pending!;
    pending = step + 1 < plan.length ? fetch(plan[step + 1]!) : undefined;
    // If the consumer stops early, nobody awaits the prefetch; keep its failure from going unhandled.
    pending?.catch(() => undefined);

    const leaves = leavesOf(rowGroup);
    const rows = meta.rowGroups[rowGroup]!.rows;
    const batches =
      leaves.length === 0 ? [emptyBatch(rows)] : decodeRowGroup(source, fileState, rowGroup, leaves, chunks, rows);
    for (const decoded of batches) {
      const batch = convertsSequence ? withFloatSequence(decoded) : decoded;
      const pieces = trims(rowGroup) ? trim(batch, timeName, timeRange!) : [batch];
      // Not `select`: apache-arrow 21's RecordBatch.select leaves holes in the children array.
      const order = outputNames.map((name) => batch.schema.fields.findIndex((f) => f.name === name));
      for (const piece of pieces) yield piece.selectAt(order);
    }
  }
}

/** The batch with its stored Int64 `__sequence` replaced by the Float64 column sorted runs use. */
function withFloatSequence(batch: RecordBatch): RecordBatch {
  const index = batch.schema.fields.findIndex((f) => f.name === sequenceColumnName);
  const children = batch.data.children.slice();
  children[index] = sequenceFromStored(children[index]!);
  const fields = batch.schema.fields.slice();
  fields[index] = new Field(sequenceColumnName, new Float64(), false);
  const schema = new Schema(fields, batch.schema.metadata);
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }),
  );
}

function emptyBatch(rows: number): RecordBatch {
  return new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: rows, nullCount: 0, children: [] }));
}

async function fetchChunks(
  source: SstSource,
  state: FileState,
  rowGroup: number,
  leaves: readonly number[],
): Promise<Uint8Array[]> {
  const placed = leaves.map((leaf) => ({ leaf, chunk: state.footer.rowGroups[rowGroup]!.columns[leaf]! }));
  const ordered = [...placed].sort((a, b) => a.chunk.start - b.chunk.start);
  // Merge neighbouring chunks into one read each.
  const reads: { start: number; end: number; members: typeof placed }[] = [];
  for (const entry of ordered) {
    const last = reads[reads.length - 1];
    const end = entry.chunk.start + entry.chunk.length;
    if (last && entry.chunk.start - last.end <= coalesceGap) {
      last.end = Math.max(last.end, end);
      last.members.push(entry);
    } else {
      reads.push({ start: entry.chunk.start, end, members: [entry] });
    }
  }
  const byLeaf = new Map<number, Uint8Array>();
  await Promise.all(
    reads.map(async (read) => {
      const bytes = await readExact(source, read.start, read.end - read.start);
      for (const { leaf, chunk } of read.members) {
        byLeaf.set(leaf, bytes.subarray(chunk.start - read.start, chunk.start - read.start + chunk.length));
      }
    }),
  );
  return leaves.map((leaf) => {
    const bytes = byLeaf.get(leaf)!;
    const expected = state.chunkCrc32?.[rowGroup]?.[leaf];
    if (expected !== undefined) {
      const actual = crc32(bytes);
      if (actual !== expected) {
        throw corrupted(
          source,
          `row group ${rowGroup} column "${state.footer.leaves[leaf]!.name}" fails its checksum ` +
            `(CRC-32 ${actual.toString(16)}, expected ${expected.toString(16)})`,
        );
      }
    }
    return bytes;
  });
}

function decodeRowGroup(
  source: SstSource,
  state: FileState,
  rowGroup: number,
  leaves: readonly number[],
  chunks: readonly Uint8Array[],
  rows: number,
): RecordBatch[] {
  const key = leaves.join(',');
  let arrowSchema = state.projections.get(key);
  if (arrowSchema === undefined) {
    arrowSchema = projectedSchemaMessage(
      state.arrowSchema,
      leaves.map((leaf) => state.arrowSchema.fields[leaf]!.name),
    );
    state.projections.set(key, arrowSchema);
  }
  const file = buildSubFile(state.footer, rowGroup, leaves, chunks, arrowSchema);
  let table: Table;
  try {
    table = tableFromIPC(parquetWasm.readParquet(file, { batchSize: Math.max(rows, 1) }).intoIPCStream());
  } catch (error) {
    throw corrupted(
      source,
      `row group ${rowGroup} cannot be decoded: ${(error as Error).message ?? String(error)}`,
      error,
    );
  }
  if (table.numRows !== rows) {
    throw corrupted(source, `row group ${rowGroup} decoded to ${table.numRows} rows, its footer says ${rows}`);
  }
  // One batch, as asked for with batchSize = rows.
  return table.batches;
}

/** Base64 IPC schema message of `schema` restricted to `names`: the `ARROW:schema` of a sub-file. */
function projectedSchemaMessage(schema: Schema, names: readonly string[]): string {
  const stream = tableToIPC(new Table(schema.select(names as string[])), 'stream');
  // Drop the 8-byte end-of-stream marker; what remains is the schema message.
  return Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength - 8).toString('base64');
}

/**
 * The rows of `batch` whose time lies in `range`, as zero-copy slices. Rows are sorted by
 * (primary key, time), so matching rows form one run per series; adjacent runs merge.
 */
function trim(batch: RecordBatch, timeName: string, range: readonly [bigint, bigint]): RecordBatch[] {
  // apache-arrow slices `values` along with the data, so index 0 is the batch's first row.
  const times = batch.getChild(timeName)!.data[0]!.values as BigInt64Array;
  const [start, end] = range;
  const pieces: RecordBatch[] = [];
  let runStart = -1;
  for (let i = 0; i < batch.numRows; i++) {
    const time = times[i]!;
    const inside = time >= start && time <= end;
    if (inside && runStart < 0) runStart = i;
    if (!inside && runStart >= 0) {
      pieces.push(batch.slice(runStart, i));
      runStart = -1;
    }
  }
  if (runStart === 0) return [batch];
  if (runStart > 0) pieces.push(batch.slice(runStart, batch.numRows));
  return pieces;
}
