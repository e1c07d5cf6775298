/**
 * The k-way merge of sorted runs (sorted-run.ts) with deduplication by merge mode: the read path
 * of a region scan (memtables + SSTs), a flush (one memtable, tombstones kept) and a compaction
 * (several SSTs, tombstones kept).
 *
 * Inputs are merged by (primary key, time index, sequence descending). Rows with equal primary
 * key and time index form a *group*, newest first:
 *
 * * `last_row` (default): a group yields its newest row; if that is a delete the key disappears
 *   (with `keepDeletes`, the delete row itself is yielded, to mask older files).
 * * `last_non_null`: a group yields its newest row if it is a put, each field filled with the
 *   newest non-null value among the puts newer than the group's newest delete (a delete hides
 *   everything older). With `keepDeletes` that newest delete is yielded too, after the put — a
 *   partial merge (compaction) must then take sequence-contiguous inputs, or a filled field could
 *   skip a delete held in a file outside the merge (GreptimeDB's rule too).
 * * `append` (`append_mode = true`): every put row is yielded, duplicates included. GreptimeDB
 *   rejects DELETE on append-mode regions ("DELETE is not allowed under append mode"), so an
 *   append-mode run never holds deletes; if one does anyway, it is dropped and masks nothing
 *   (yielded as is with `keepDeletes`). The region engine rejects the delete request.
 *
 * How: a binary heap of run cursors. The smallest cursor emits, in one step, every row up to the
 * second-smallest cursor's head — a whole primary-key run when the series differ, else a binary
 * search on time — so non-overlapping runs cost a few comparisons per series, not per row.
 * Emitted rows become (source batch, row) pairs in `Int32Array`s and dedup decides per row with
 * typed-array reads; output batches of exactly `batchRows` rows (the last one shorter) are built
 * column by column from runs of consecutive rows (column-gather.ts). No object per row.
 *
 * The stream does no work before the first pull, reports errors through the iteration, and
 * closes every input iterator when it ends or the consumer stops early.
 */

import { RecordBatch, Struct, makeData, type Data } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RegionSchema } from '../region-schema.ts';
import { ByteInterner } from './byte-interner.ts';
import { Segments, gatherColumn, type TagDictionary } from './column-gather.ts';
import { OutputDictionary } from './output-dictionary.ts';
import { OpType } from './sorted-run.ts';
import { SourceBatch, planMerge, type MergePlan } from './source-batch.ts';

/** How rows with equal (primary key, time index) collapse; see the module comment. */
export type MergeMode = 'last_row' | 'last_non_null' | 'append';

/** Options of `mergeSortedRuns`. */
export interface MergeOptions {
  /** The region schema the runs were written with (after any conversion to the current version). */
  schema: RegionSchema;
  /** Default `last_row`. */
  mode?: MergeMode;
  /** Yield the delete rows that decide a key instead of dropping them (flush, compaction). Default false. */
  keepDeletes?: boolean;
  /**
   * User columns to output, in this order; default every column in storage order. Key columns
   * are read from the inputs whether projected or not; only projected fields are filled in
   * `last_non_null`.
   */
  projection?: readonly string[];
  /**
   * Append `__sequence` and `__op_type` to the output (for writing SSTs). Default: `keepDeletes`,
   * since kept delete rows cannot be told from puts without `__op_type`.
   */
  internalColumns?: boolean;
  /** Rows per output batch (the last batch may be shorter). Default 8192. */
  batchRows?: number;
}

/** One sorted run: its batches in order, as an async stream or any iterable (an array). */
export type SortedRunSource = AsyncIterable<RecordBatch> | Iterable<RecordBatch>;

/** Default rows per output batch. */
export const defaultMergeBatchRows = 8192;

/**
 * Merges sorted runs into one deduplicated stream in (primary key, time index) order. Options
 * are checked at once (throws `InvalidArguments`); a malformed input batch fails the stream with
 * `SortedRunMalformed`.
 */
export function mergeSortedRuns(runs: readonly SortedRunSource[], options: MergeOptions): AsyncIterable<RecordBatch> {
  const mode = options.mode ?? 'last_row';
  if (mode !== 'last_row' && mode !== 'last_non_null' && mode !== 'append') {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `Merge mode "${String(mode)}" is not one of last_row, last_non_null, append`,
    );
  }
  const batchRows = options.batchRows ?? defaultMergeBatchRows;
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new TesseraError(ErrorCode.InvalidArguments, `batchRows must be a positive integer, got ${batchRows}`);
  }
  const keepDeletes = options.keepDeletes ?? false;
  const plan = planMerge(options.schema, options.projection, options.internalColumns ?? keepDeletes);
  return {
    [Symbol.asyncIterator]: () => new Merger(runs, plan, mode, keepDeletes, batchRows).batches(),
  };
}

class RunCursor {
  readonly runIndex: number;
  private readonly iterator: AsyncIterator<RecordBatch> | Iterator<RecordBatch>;
  private readonly isAsync: boolean;
  source!: SourceBatch;
  sourceId = -1;
  /** Next row to emit. */
  pos = 0;
  /** Current primary-key run of `source`, its end row and key. */
  run = 0;
  runEnd = 0;
  key = '';

  constructor(input: SortedRunSource, runIndex: number) {
    this.runIndex = runIndex;
    if (Symbol.asyncIterator in input) {
      this.iterator = (input as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]();
      this.isAsync = true;
    } else {
      this.iterator = (input as Iterable<RecordBatch>)[Symbol.iterator]();
      this.isAsync = false;
    }
  }

  /** Moves to the next non-empty batch; false at the end of the run. */
  async nextBatch(plan: MergePlan, register: (source: SourceBatch) => number): Promise<boolean> {
    const previousKey = this.sourceId >= 0 ? this.key : undefined;
    for (;;) {
      const result = this.isAsync
        ? await (this.iterator as AsyncIterator<RecordBatch>).next()
        : (this.iterator as Iterator<RecordBatch>).next();
      if (result.done === true) return false;
      const batch = result.value;
      if (!(batch instanceof RecordBatch)) {
        throw new TesseraError(
          ErrorCode.SortedRunMalformed,
          `Sorted run ${this.runIndex} yielded ${String(batch)}, not a RecordBatch`,
        );
      }
      if (batch.numRows === 0) continue;
      this.source = new SourceBatch(batch, plan, this.runIndex);
      this.sourceId = register(this.source);
      this.pos = 0;
      this.enterRun(0);
      if (previousKey !== undefined && this.key < previousKey) {
        throw new TesseraError(
          ErrorCode.SortedRunMalformed,
          `Sorted run ${this.runIndex} is not sorted by primary key across batches`,
        );
      }
      return true;
    }
  }

  enterRun(run: number): void {
    this.run = run;
    this.key = this.source.runs.keys[run]!;
    this.runEnd = this.source.runs.starts[run + 1]!;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/** Total order of cursor heads: key, time ascending, sequence descending, run position. */
function compareHeads(a: RunCursor, b: RunCursor): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return compareTail(a.source, a.pos, a.runIndex, b);
}

/** Compares row `row` of `source` (run `runIndex`) with `b`'s head, given equal keys. */
function compareTail(source: SourceBatch, row: number, runIndex: number, b: RunCursor): number {
  const ta = source.ts;
  const tb = b.source.ts;
  const hiA = ta[2 * row + 1]!;
  const hiB = tb[2 * b.pos + 1]!;
  if (hiA !== hiB) return hiA < hiB ? -1 : 1;
  const loA = ta[2 * row]! >>> 0;
  const loB = tb[2 * b.pos]! >>> 0;
  if (loA !== loB) return loA < loB ? -1 : 1;
  const seqA = source.sequence[row]!;
  const seqB = b.source.sequence[b.pos]!;
  if (seqA !== seqB) return seqA > seqB ? -1 : 1;
  return runIndex - b.runIndex;
}

class Merger {
  private readonly inputs: readonly SortedRunSource[];
  private readonly plan: MergePlan;
  private readonly mode: MergeMode;
  private readonly keepDeletes: boolean;
  private readonly batchRows: number;
  private readonly cursors: RunCursor[] = [];
  private heap: RunCursor[] = [];

  /** Source batches by id; output rows refer to them until built. */
  private sources: SourceBatch[] = [];
  /** Pending output rows `[0, count)`: (source id, row). */
  private outSource: Int32Array = new Int32Array(1024);
  private outRow: Int32Array = new Int32Array(1024);
  private count = 0;
  /** Pending rows that no later input can change (`last_non_null` keeps the open group back). */
  private final = 0;

  /** The last merged row (selected or not): key and time, for group detection across steps. */
  private lastKey: string | undefined = undefined;
  private lastHi = 0;
  private lastLo = 0;

  // last_non_null group state
  /** Output index of the open group's put row, or -1 when nothing more can be filled. */
  private headOut = -1;
  /** Output fields still null in the head row; -1 until the first duplicate asks. */
  private nullsLeft = -1;
  private readonly fieldNull: Uint8Array;
  /** Per output column: replacement (source id, row) per pending row, -1 = none. */
  private readonly overrideSource: (Int32Array | undefined)[];
  private readonly overrideRow: (Int32Array | undefined)[];
  private readonly fieldColumns: number[];

  private readonly segments = new Segments();
  private readonly overrideSegments = new Segments();
  private readonly tagDictionaries: (TagDictionary | undefined)[];
  private readonly hasDictionaryTags: boolean;

  constructor(
    inputs: readonly SortedRunSource[],
    plan: MergePlan,
    mode: MergeMode,
    keepDeletes: boolean,
    batchRows: number,
  ) {
    this.inputs = inputs;
    this.plan = plan;
    this.mode = mode;
    this.keepDeletes = keepDeletes;
    this.batchRows = batchRows;
    const columns = plan.outputs.length;
    this.fieldNull = new Uint8Array(columns);
    this.overrideSource = new Array<Int32Array | undefined>(columns);
    this.overrideRow = new Array<Int32Array | undefined>(columns);
    this.fieldColumns = plan.outputs.flatMap((output, c) => (output.isField ? [c] : []));
    // One interner per tag column and merge: tags from different batch dictionaries meet there.
    const interners = plan.tags.map(() => new ByteInterner());
    this.tagDictionaries = plan.outputs.map((output) => {
      if (output.tagIndex < 0) return undefined;
      const interner = interners[output.tagIndex]!;
      return { interner, dictionary: new OutputDictionary(interner) };
    });
    this.hasDictionaryTags = plan.outputs.some((output) => output.tagIndex >= 0);
  }

  async *batches(): AsyncGenerator<RecordBatch, void, undefined> {
    const register = (source: SourceBatch): number => {
      this.sources.push(source);
      return this.sources.length - 1;
    };
    try {
      for (let i = 0; i < this.inputs.length; i++) {
        const cursor = new RunCursor(this.inputs[i]!, i);
        this.cursors.push(cursor);
        if (await cursor.nextBatch(this.plan, register)) this.heapPush(cursor);
      }
      const heap = this.heap;
      while (heap.length > 0) {
        const top = heap[0]!;
        let end = top.runEnd;
        if (heap.length > 1) {
          const second = heap.length === 2 || compareHeads(heap[1]!, heap[2]!) <= 0 ? heap[1]! : heap[2]!;
          if (top.key === second.key) end = this.boundBefore(top, second);
        }
        if (end - top.pos > this.batchRows) end = top.pos + this.batchRows;
        this.emit(top, top.pos, end);
        top.pos = end;
        if (end === top.runEnd) {
          if (top.run + 1 < top.source.runs.count) {
            top.enterRun(top.run + 1);
          } else if (!(await top.nextBatch(this.plan, register))) {
            this.heapPopTop();
            continue;
          }
        }
        this.siftDown(0);
        while (this.final >= this.batchRows) yield this.build(this.batchRows);
      }
      this.final = this.count;
      while (this.count > 0) yield this.build(Math.min(this.count, this.batchRows));
    } finally {
      await Promise.all(this.cursors.map((cursor) => cursor.close()));
    }
  }

  /** First row of `top`'s current run (from `top.pos`) that orders after `second`'s head; keys are equal. */
  private boundBefore(top: RunCursor, second: RunCursor): number {
    const source = top.source;
    const last = top.runEnd - 1;
    if (compareTail(source, last, top.runIndex, second) < 0) return top.runEnd;
    let low = top.pos + 1;
    if (low > last || compareTail(source, low, top.runIndex, second) > 0) return low;
    // Invariant: row `low` orders before `second`, row `high` after it.
    let high = last;
    while (high - low > 1) {
      const mid = (low + high) >>> 1;
      if (compareTail(source, mid, top.runIndex, second) < 0) low = mid;
      else high = mid;
    }
    return high;
  }

  /** Feeds rows `[from, to)` of `cursor`'s current run through dedup into the pending output. */
  private emit(cursor: RunCursor, from: number, to: number): void {
    const source = cursor.source;
    const id = cursor.sourceId;
    const ts = source.ts;
    const op = source.opType;
    const keepDeletes = this.keepDeletes;
    this.reserve(to - from + 2);
    const outSource = this.outSource;
    const outRow = this.outRow;
    let count = this.count;
    switch (this.mode) {
      case 'append':
        for (let i = from; i < to; i++) {
          if (op[i] === OpType.Put || keepDeletes) {
            outSource[count] = id;
            outRow[count++] = i;
          }
        }
        this.count = count;
        this.final = count;
        break;
      case 'last_row': {
        let same = cursor.key === this.lastKey && ts[2 * from + 1] === this.lastHi && ts[2 * from] === this.lastLo;
        for (let i = from; i < to; i++) {
          if (i > from) same = ts[2 * i] === ts[2 * i - 2] && ts[2 * i + 1] === ts[2 * i - 1];
          if (!same && (op[i] === OpType.Put || keepDeletes)) {
            outSource[count] = id;
            outRow[count++] = i;
          }
        }
        this.count = count;
        this.final = count;
        break;
      }
      case 'last_non_null': {
        let same = cursor.key === this.lastKey && ts[2 * from + 1] === this.lastHi && ts[2 * from] === this.lastLo;
        for (let i = from; i < to; i++) {
          if (i > from) same = ts[2 * i] === ts[2 * i - 2] && ts[2 * i + 1] === ts[2 * i - 1];
          if (!same) {
            // A new group: everything before it is final.
            this.final = count;
            if (op[i] === OpType.Put) {
              this.headOut = count;
              this.nullsLeft = -1;
              outSource[count] = id;
              outRow[count++] = i;
            } else {
              this.headOut = -1;
              if (keepDeletes) {
                outSource[count] = id;
                outRow[count++] = i;
              }
            }
          } else if (this.headOut >= 0) {
            if (op[i] === OpType.Put) {
              this.fill(source, id, i);
            } else {
              // The newest delete of the group: older rows are hidden, nothing more to fill.
              this.headOut = -1;
              if (keepDeletes) {
                outSource[count] = id;
                outRow[count++] = i;
              }
            }
          }
        }
        this.count = count;
        break;
      }
    }
    this.lastKey = cursor.key;
    this.lastHi = ts[2 * to - 1]!;
    this.lastLo = ts[2 * to - 2]!;
  }

  /** `last_non_null`: fills the head row's null fields from row `row` of `source` (an older put). */
  private fill(source: SourceBatch, id: number, row: number): void {
    const head = this.headOut;
    if (this.nullsLeft < 0) {
      this.nullsLeft = 0;
      const headSource = this.sources[this.outSource[head]!]!;
      const headRow = this.outRow[head]!;
      for (const c of this.fieldColumns) {
        const isNull = headSource.isValid(c, headRow) ? 0 : 1;
        this.fieldNull[c] = isNull;
        this.nullsLeft += isNull;
      }
    }
    if (this.nullsLeft === 0) return;
    for (const c of this.fieldColumns) {
      if (this.fieldNull[c] === 1 && source.isValid(c, row)) {
        let sources = this.overrideSource[c];
        let rows = this.overrideRow[c];
        if (sources === undefined || rows === undefined) {
          sources = new Int32Array(this.outSource.length).fill(-1);
          rows = new Int32Array(this.outSource.length);
          this.overrideSource[c] = sources;
          this.overrideRow[c] = rows;
        }
        sources[head] = id;
        rows[head] = row;
        this.fieldNull[c] = 0;
        this.nullsLeft--;
      }
    }
  }

  /** Makes room for `extra` more pending rows. */
  private reserve(extra: number): void {
    const needed = this.count + extra;
    if (needed <= this.outSource.length) return;
    let size = this.outSource.length;
    while (size < needed) size *= 2;
    const grow = (array: Int32Array, fill: number): Int32Array => {
      const grown = new Int32Array(size);
      if (fill !== 0) grown.fill(fill, array.length);
      grown.set(array);
      return grown;
    };
    this.outSource = grow(this.outSource, 0);
    this.outRow = grow(this.outRow, 0);
    for (const c of this.fieldColumns) {
      if (this.overrideSource[c] !== undefined) {
        this.overrideSource[c] = grow(this.overrideSource[c], -1);
        this.overrideRow[c] = grow(this.overrideRow[c]!, 0);
      }
    }
  }

  /** Builds an output batch from the first `n` pending rows and drops them. */
  private build(n: number): RecordBatch {
    const { plan, sources } = this;
    const segments = this.segments;
    segments.fill(this.outSource, this.outRow, n);
    if (this.hasDictionaryTags) segments.locateRuns(sources);
    const children: Data[] = plan.outputs.map((output, c) => {
      const overrides = this.overrideSource[c];
      let columnSegments = segments;
      if (overrides !== undefined && hasOverride(overrides, n)) {
        const patchedSource = this.outSource.slice(0, n);
        const patchedRow = this.outRow.slice(0, n);
        const rows = this.overrideRow[c]!;
        for (let j = 0; j < n; j++) {
          if (overrides[j]! >= 0) {
            patchedSource[j] = overrides[j]!;
            patchedRow[j] = rows[j]!;
          }
        }
        columnSegments = this.overrideSegments;
        columnSegments.fill(patchedSource, patchedRow, n);
        if (output.tagIndex >= 0) columnSegments.locateRuns(sources);
      }
      return gatherColumn(output, c, sources, columnSegments, this.tagDictionaries[c]);
    });
    const batch = new RecordBatch(
      plan.outputSchema,
      makeData({ type: new Struct(plan.outputSchema.fields), length: n, nullCount: 0, children }),
    );
    this.dropPending(n);
    return batch;
  }

  /** Removes the first `n` pending rows and forgets source batches nothing refers to any more. */
  private dropPending(n: number): void {
    const rest = this.count - n;
    this.outSource.copyWithin(0, n, this.count);
    this.outRow.copyWithin(0, n, this.count);
    for (const c of this.fieldColumns) {
      const overrides = this.overrideSource[c];
      if (overrides === undefined) continue;
      overrides.copyWithin(0, n, this.count);
      overrides.fill(-1, rest);
      this.overrideRow[c]!.copyWithin(0, n, this.count);
    }
    this.count = rest;
    this.final -= n;
    if (this.headOut >= 0) this.headOut -= n;

    // Renumber the sources still referred to by pending rows or cursors, densely.
    const renumber = new Int32Array(this.sources.length).fill(-1);
    const kept: SourceBatch[] = [];
    const keep = (id: number): number => {
      if (renumber[id]! < 0) {
        renumber[id] = kept.length;
        kept.push(this.sources[id]!);
      }
      return renumber[id]!;
    };
    for (const cursor of this.heap) cursor.sourceId = keep(cursor.sourceId);
    for (let j = 0; j < rest; j++) this.outSource[j] = keep(this.outSource[j]!);
    for (const c of this.fieldColumns) {
      const overrides = this.overrideSource[c];
      if (overrides === undefined) continue;
      for (let j = 0; j < rest; j++) if (overrides[j]! >= 0) overrides[j] = keep(overrides[j]!);
    }
    this.sources = kept;
  }

  private heapPush(cursor: RunCursor): void {
    const heap = this.heap;
    heap.push(cursor);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareHeads(heap[i]!, heap[parent]!) >= 0) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private heapPopTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && compareHeads(heap[right]!, heap[left]!) < 0 ? right : left;
      if (compareHeads(heap[child]!, heap[i]!) >= 0) return;
      [heap[i], heap[child]] = [heap[child]!, heap[i]!];
      i = child;
    }
  }
}

function hasOverride(overrides: Int32Array, n: number): boolean {
  for (let j = 0; j < n; j++) if (overrides[j]! >= 0) return true;
  return false;
}
