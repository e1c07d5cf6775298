/**
 * A region's in-memory write buffer (DESIGN §4): rows appended column by column in write order,
 * keyed by (series, time index), read back as a sorted run (engine/storage/merge/sorted-run.ts).
 *
 * Write path: each tag column becomes value ids (interned bytes), the tuple of value ids becomes
 * a series id (series-index.ts), and the time index, fields, sequences and op types are copied
 * into growing typed arrays — whole-buffer copies plus a few tight loops over the batch, no
 * string or object per row. Tags are stored once per series, not per row.
 *
 * Read path: `sortedRun()` sorts row numbers (sort-rows.ts; cached until the next write) and
 * gathers each column with one indexed loop per output batch. A memtable keeps every version it
 * was given, deletes included; deduplication belongs to the merge.
 *
 * Lifecycle: a mutable memtable takes writes; `freeze()` makes it immutable so a flush can read
 * it (its sorted order is then computed once and kept) while the region writes into a new one.
 * Not thread-safe, and needs none: a region's writes and reads run on one event loop.
 */

import { RecordBatch, Schema, Struct, makeData, type Data } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';
import { arrowFieldOf } from '../arrow-types.ts';
import {
  OpType,
  acceptsArrowType,
  maxSequence,
  opTypeField,
  regionColumnsOf,
  sequenceField,
  sortedRunColumns,
  valueLayoutOf,
} from '../merge/index.ts';
import { createColumnBuffer, type ColumnBuffer } from './column-buffer.ts';
import { SeriesIndex } from './series-index.ts';
import { sortRows } from './sort-rows.ts';
import { TagStore, type SeriesRuns } from './tag-store.ts';

/** Options of `Memtable.sortedRun`. */
export interface SortedRunOptions {
  /**
   * Columns to include. Only fields are dropped by a projection: every tag and the time index
   * are always in a sorted run (the merge orders by them), and so are `__sequence`/`__op_type`.
   */
  projection?: readonly string[];
  /** Rows with `min <= time < max`, in the time index unit. */
  timeRange?: readonly [min: bigint | number, max: bigint | number];
  /** Rows per batch (the last may be shorter). Default 8192. */
  batchRows?: number;
}

/** A memtable's counters, for flush decisions and region statistics. */
export interface MemtableStats {
  rows: number;
  /** Bytes of memory held (typed arrays at capacity, interned tags, cached sort order). */
  estimatedBytes: number;
  series: number;
  /** Smallest and largest time index value written, in the time index unit; undefined when empty. */
  minTime: bigint | undefined;
  maxTime: bigint | undefined;
  /** Largest sequence written, -1 when empty. */
  maxSequence: number;
  frozen: boolean;
}

const defaultBatchRows = 8192;
const initialCapacity = 1024;

const columnIndexCache = new WeakMap<Schema, Map<string, number>>();

function columnIndexOf(schema: Schema): Map<string, number> {
  let index = columnIndexCache.get(schema);
  if (index === undefined) {
    index = new Map(schema.fields.map((field, i) => [field.name, i]));
    columnIndexCache.set(schema, index);
  }
  return index;
}

/** Signed 64-bit value from little-endian int32 words. */
function wordsToBigInt(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

/** A bound as (hi, lo-unsigned) words. */
function boundWords(value: bigint | number, name: string): [number, number] {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Time range ${name} must be an integer, got ${value}`);
  }
  const big = BigInt.asIntN(64, BigInt(value));
  return [Number(big >> 32n), Number(big & 0xffffffffn)];
}

/** The memtable of one region; see the module comment. */
export class Memtable {
  readonly schema: RegionSchema;
  private readonly tagColumns: ColumnSchema[];
  private readonly timeIndex: ColumnSchema;
  private readonly fieldColumns: ColumnSchema[];
  private readonly tags: TagStore[];
  private readonly series: SeriesIndex;
  private readonly timeBuffer: ColumnBuffer & { words: Int32Array };
  private readonly fieldBuffers: ColumnBuffer[];
  private readonly knownColumns: Set<string>;

  private capacity = 0;
  private rowCount = 0;
  private seriesIds = new Int32Array(0);
  private sequences = new Float64Array(0);
  private opTypes = new Uint8Array(0);
  private valueIds: Int32Array[];

  private isFrozen = false;
  private largestSequence = -1;
  private minHi = 0;
  private minLo = 0;
  private maxHi = 0;
  private maxLo = 0;

  /** Sorted order of all rows, valid while `sortedRows === rowCount`. */
  private sortedOrder: Int32Array | undefined = undefined;
  private sortedRows = -1;
  /** Encoded primary key per series (key-encoding.ts), filled lazily. */
  private readonly seriesKeys: string[] = [];
  private seriesKeyBytes = 0;

  constructor(schema: RegionSchema) {
    this.schema = schema;
    const { tags, timeIndex, fields } = regionColumnsOf(schema);
    this.tagColumns = tags;
    this.timeIndex = timeIndex;
    this.fieldColumns = fields;
    this.knownColumns = new Set(schema.columns.map((c) => c.name));
    this.tags = tags.map((tag) => new TagStore(tag, arrowFieldOf(tag)));
    this.series = new SeriesIndex(tags.length);
    this.valueIds = tags.map(() => new Int32Array(0));
    this.timeBuffer = createColumnBuffer(
      timeIndex,
      arrowFieldOf(timeIndex),
      valueLayoutOf(timeIndex.type),
      0,
    ) as ColumnBuffer & {
      words: Int32Array;
    };
    this.fieldBuffers = fields.map((field) =>
      createColumnBuffer(field, arrowFieldOf(field), valueLayoutOf(field.type), 0),
    );
  }

  /**
   * Appends `batch`'s rows with sequences `firstSequence`, `firstSequence + 1`, …. Columns are
   * matched by name; a missing nullable tag or field is null. A delete needs the tags and the
   * time index; its fields are ignored (stored as null). Throws `MemtableFrozen` after
   * `freeze()` and `InvalidArguments` for a batch that does not fit the schema — in both cases
   * nothing was written.
   */
  write(batch: RecordBatch, firstSequence: number, opType: 'put' | 'delete'): void {
    if (this.isFrozen) {
      throw new TesseraError(
        ErrorCode.MemtableFrozen,
        `Memtable is frozen: ${batch.numRows} rows at sequence ${firstSequence} were not written`,
      );
    }
    if (opType !== 'put' && opType !== 'delete') {
      throw new TesseraError(ErrorCode.InvalidArguments, `Op type must be "put" or "delete", got "${String(opType)}"`);
    }
    const n = batch.numRows;
    if (!Number.isInteger(firstSequence) || firstSequence < 0 || firstSequence > maxSequence - Math.max(n - 1, 0)) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Sequence ${firstSequence} for ${n} rows must be an integer with 0 <= sequence and sequence + rows - 1 <= ${maxSequence}`,
      );
    }
    const columns = this.resolve(batch, opType);
    if (n === 0) return;

    const at = this.rowCount;
    this.reserve(at + n);
    for (let t = 0; t < this.tags.length; t++) {
      if (this.valueIds[t]!.length < n) this.valueIds[t] = new Int32Array(Math.max(n, 1024));
      this.tags[t]!.intern(columns.tags[t], n, this.valueIds[t]!);
    }
    this.series.assign(this.valueIds, n, this.seriesIds, at);

    this.timeBuffer.append(columns.timeIndex, n, at);
    this.trackTimeRange(at, n);
    for (let f = 0; f < this.fieldBuffers.length; f++) {
      this.fieldBuffers[f]!.append(opType === 'put' ? columns.fields[f] : undefined, n, at);
    }
    const sequences = this.sequences;
    for (let i = 0; i < n; i++) sequences[at + i] = firstSequence + i;
    this.opTypes.fill(opType === 'put' ? OpType.Put : OpType.Delete, at, at + n);

    this.rowCount = at + n;
    this.largestSequence = Math.max(this.largestSequence, firstSequence + n - 1);
    this.sortedOrder = undefined;
  }

  /**
   * The memtable's rows as a sorted run (sorted-run.ts): every version, deletes included, in
   * (primary key, time, sequence descending) order. String tags come as `Dictionary<Int32,
   * Utf8>` with a small dictionary per batch. The batches own their buffers (nothing is shared
   * with the memtable or between columns), so they stay valid whatever is written next.
   */
  sortedRun(options: SortedRunOptions = {}): RecordBatch[] {
    return [...this.sortedRunBatches(options)];
  }

  /**
   * `sortedRun`, one batch at a time: the sort happens (or its cached result is taken) at the
   * first pull, each batch is gathered when pulled. For a frozen memtable, whose rows cannot
   * change, a caller may give the event loop a turn between pulls (a flush does).
   */
  *sortedRunBatches(options: SortedRunOptions = {}): Generator<RecordBatch, void, undefined> {
    const batchRows = options.batchRows ?? defaultBatchRows;
    if (!Number.isInteger(batchRows) || batchRows < 1) {
      throw new TesseraError(ErrorCode.InvalidArguments, `batchRows must be a positive integer, got ${batchRows}`);
    }
    const columns = sortedRunColumns(this.schema, options.projection);
    if (this.rowCount === 0) return;
    let order = this.sortOrder();
    let rows = this.rowCount;
    if (options.timeRange !== undefined) {
      const selected = this.selectTimeRange(order, options.timeRange);
      order = selected.order;
      rows = selected.rows;
    }
    const schema = new Schema([...columns.map(arrowFieldOf), sequenceField(), opTypeField()]);
    for (let from = 0; from < rows; from += batchRows) {
      yield this.buildBatch(schema, columns, order, from, Math.min(rows, from + batchRows));
    }
  }

  /** Stops writes; reads keep working. Idempotent. */
  freeze(): void {
    this.isFrozen = true;
  }

  get frozen(): boolean {
    return this.isFrozen;
  }

  get rows(): number {
    return this.rowCount;
  }

  get isEmpty(): boolean {
    return this.rowCount === 0;
  }

  /** Largest sequence written, -1 when empty. */
  get maxSequence(): number {
    return this.largestSequence;
  }

  get seriesCount(): number {
    return this.rowCount === 0 ? 0 : this.series.count;
  }

  /** Smallest time index value written (time index unit), undefined when empty. */
  get minTime(): bigint | undefined {
    return this.rowCount === 0 ? undefined : wordsToBigInt(this.minHi, this.minLo);
  }

  /** Largest time index value written (time index unit), undefined when empty. */
  get maxTime(): bigint | undefined {
    return this.rowCount === 0 ? undefined : wordsToBigInt(this.maxHi, this.maxLo);
  }

  /**
   * Bytes of memory this memtable holds: its typed arrays at capacity (up to twice the bytes in
   * use, since they grow by doubling), interned tag values, series index and cached sort order.
   * Cheap enough to read after every write (sums a few dozen lengths).
   */
  get estimatedBytes(): number {
    let bytes = this.seriesIds.byteLength + this.sequences.byteLength + this.opTypes.byteLength;
    bytes += this.timeBuffer.byteSize;
    for (const buffer of this.fieldBuffers) bytes += buffer.byteSize;
    for (const tag of this.tags) bytes += tag.byteSize;
    for (const ids of this.valueIds) bytes += ids.byteLength;
    bytes += this.series.byteSize + this.seriesKeyBytes;
    bytes += this.sortedOrder?.byteLength ?? 0;
    return bytes;
  }

  stats(): MemtableStats {
    return {
      rows: this.rowCount,
      estimatedBytes: this.estimatedBytes,
      series: this.seriesCount,
      minTime: this.minTime,
      maxTime: this.maxTime,
      maxSequence: this.largestSequence,
      frozen: this.isFrozen,
    };
  }

  /** The batch's columns by role, checked against the schema. */
  private resolve(
    batch: RecordBatch,
    opType: 'put' | 'delete',
  ): { tags: (Data | undefined)[]; timeIndex: Data; fields: (Data | undefined)[] } {
    const index = columnIndexOf(batch.schema);
    for (const name of index.keys()) {
      if (!this.knownColumns.has(name)) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Column "${name}" is not in region schema version ${this.schema.version} (columns: ${[...this.knownColumns].join(', ')})`,
        );
      }
    }
    const get = (column: ColumnSchema, required: boolean): Data | undefined => {
      const i = index.get(column.name);
      if (i === undefined) {
        if (required || !column.nullable) {
          throw new TesseraError(
            ErrorCode.InvalidArguments,
            `A ${opType} batch needs column "${column.name}" (it is not nullable)`,
          );
        }
        return undefined;
      }
      const data = batch.data.children[i] as Data;
      if (!acceptsArrowType(column, data.type)) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Column "${column.name}" is ${String(data.type)}, region schema version ${this.schema.version} has ${String(arrowFieldOf(column).type)}`,
        );
      }
      if (!column.nullable && data.nullCount > 0) {
        throw new TesseraError(
          ErrorCode.InvalidArguments,
          `Column "${column.name}" is not nullable but has ${data.nullCount} nulls`,
        );
      }
      return data;
    };
    const tags = this.tagColumns.map((tag) => get(tag, false));
    const timeIndex = get(this.timeIndex, true)!;
    if (timeIndex.nullCount > 0) {
      throw new TesseraError(
        ErrorCode.InvalidArguments,
        `Time index "${this.timeIndex.name}" has ${timeIndex.nullCount} nulls`,
      );
    }
    const fields = opType === 'put' ? this.fieldColumns.map((field) => get(field, false)) : [];
    return { tags, timeIndex, fields };
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    let capacity = Math.max(this.capacity * 2, initialCapacity);
    while (capacity < rows) capacity *= 2;
    const used = this.rowCount;
    const seriesIds = new Int32Array(capacity);
    seriesIds.set(this.seriesIds.subarray(0, used));
    this.seriesIds = seriesIds;
    const sequences = new Float64Array(capacity);
    sequences.set(this.sequences.subarray(0, used));
    this.sequences = sequences;
    const opTypes = new Uint8Array(capacity);
    opTypes.set(this.opTypes.subarray(0, used));
    this.opTypes = opTypes;
    this.timeBuffer.grow(capacity, used);
    for (const buffer of this.fieldBuffers) buffer.grow(capacity, used);
    this.capacity = capacity;
  }

  private trackTimeRange(at: number, n: number): void {
    const ts = this.timeBuffer.words;
    let minHi = this.minHi;
    let minLo = this.minLo;
    let maxHi = this.maxHi;
    let maxLo = this.maxLo;
    let i = at;
    if (this.rowCount === 0) {
      minHi = maxHi = ts[2 * at + 1]!;
      minLo = maxLo = ts[2 * at]! >>> 0;
      i++;
    }
    for (; i < at + n; i++) {
      const hi = ts[2 * i + 1]!;
      const lo = ts[2 * i]! >>> 0;
      if (hi < minHi || (hi === minHi && lo < minLo)) {
        minHi = hi;
        minLo = lo;
      }
      if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
        maxHi = hi;
        maxLo = lo;
      }
    }
    this.minHi = minHi;
    this.minLo = minLo;
    this.maxHi = maxHi;
    this.maxLo = maxLo;
  }

  /** Row numbers in sorted-run order, cached until the next write. */
  private sortOrder(): Int32Array {
    if (this.sortedOrder !== undefined && this.sortedRows === this.rowCount) return this.sortedOrder;
    const seriesCount = this.series.count;
    const keys = this.seriesKeys;
    const tagCount = this.tags.length;
    const tuples = this.series.tuples;
    for (let s = keys.length; s < seriesCount; s++) {
      let key = '';
      for (let t = 0; t < tagCount; t++) key += this.tags[t]!.pieceOf(tuples[s * tagCount + t]!);
      keys.push(key);
      this.seriesKeyBytes += 16 + 2 * key.length;
    }
    // Plain string order of encoded keys is primary-key order (key-encoding.ts).
    const bySeries = Array.from({ length: seriesCount }, (_, s) => s).sort((a, b) =>
      keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0,
    );
    const rank = new Int32Array(seriesCount);
    for (let i = 0; i < seriesCount; i++) rank[bySeries[i]!] = i;
    this.sortedOrder = sortRows({
      rows: this.rowCount,
      seriesIds: this.seriesIds,
      rank,
      seriesCount,
      ts: this.timeBuffer.words,
      sequence: this.sequences,
    });
    this.sortedRows = this.rowCount;
    return this.sortedOrder;
  }

  private selectTimeRange(
    order: Int32Array,
    range: readonly [bigint | number, bigint | number],
  ): { order: Int32Array; rows: number } {
    const [minHi, minLo] = boundWords(range[0], 'start');
    const [maxHi, maxLo] = boundWords(range[1], 'end');
    // The whole memtable inside the range: no copy.
    const coversMin = minHi < this.minHi || (minHi === this.minHi && minLo <= this.minLo);
    const coversMax = maxHi > this.maxHi || (maxHi === this.maxHi && maxLo > this.maxLo);
    if (coversMin && coversMax) return { order, rows: this.rowCount };
    const ts = this.timeBuffer.words;
    const selected = new Int32Array(this.rowCount);
    let rows = 0;
    for (let j = 0; j < this.rowCount; j++) {
      const r = order[j]!;
      const hi = ts[2 * r + 1]!;
      const lo = ts[2 * r]! >>> 0;
      const afterMin = hi > minHi || (hi === minHi && lo >= minLo);
      const beforeMax = hi < maxHi || (hi === maxHi && lo < maxLo);
      if (afterMin && beforeMax) selected[rows++] = r;
    }
    return { order: selected, rows };
  }

  /** The series runs of sorted rows `order[from, to)` (rows of a series are adjacent). */
  private seriesRuns(order: Int32Array, from: number, to: number): SeriesRuns {
    const n = to - from;
    const starts = new Int32Array(n + 1);
    const series = new Int32Array(n);
    const seriesIds = this.seriesIds;
    let count = 0;
    let previous = -1;
    for (let j = 0; j < n; j++) {
      const id = seriesIds[order[from + j]!]!;
      if (id !== previous) {
        starts[count] = j;
        series[count++] = id;
        previous = id;
      }
    }
    starts[count] = n;
    return { rows: n, count, starts, series };
  }

  private buildBatch(
    schema: Schema,
    columns: readonly ColumnSchema[],
    order: Int32Array,
    from: number,
    to: number,
  ): RecordBatch {
    const n = to - from;
    const runs = this.seriesRuns(order, from, to);
    const children: Data[] = columns.map((column) => {
      if (column.semantic === 'tag') {
        const t = this.tagColumns.indexOf(column);
        return this.tags[t]!.gather(runs, this.series.tuples, this.tags.length, t);
      }
      if (column.semantic === 'timestamp') return this.timeBuffer.gather(order, from, to);
      return this.fieldBuffers[this.fieldColumns.indexOf(column)]!.gather(order, from, to);
    });
    const sequence = new Float64Array(n);
    const op = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      const r = order[from + j]!;
      sequence[j] = this.sequences[r]!;
      op[j] = this.opTypes[r]!;
    }
    const sequenceIndex = children.length;
    children.push(
      makeData({ type: schema.fields[sequenceIndex]!.type, length: n, nullCount: 0, data: sequence } as never),
      makeData({ type: schema.fields[sequenceIndex + 1]!.type, length: n, nullCount: 0, data: op } as never),
    );
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
  }
}
