/**
 * What the merge knows about its inputs and output: the plan (which columns are the key, which
 * go out and how), and each input batch decoded once into typed-array views — time index as
 * `Int32` word pairs, `__sequence`, `__op_type`, tag readers and primary-key runs — so the merge
 * loop touches only typed arrays and one string per series.
 */

import { Float64, Schema, Uint8, type Data, type Field, type RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';
import { arrowFieldOf, isDictionaryTag, sameArrowType } from '../arrow-types.ts';
import { acceptsArrowType, valueLayoutOf, wordArray, type ValueLayout, type WordArray } from './column-types.ts';
import { keyKindOf } from './key-encoding.ts';
import { primaryKeyRuns, type PrimaryKeyRuns } from './primary-key-runs.ts';
import {
  opTypeColumnName,
  opTypeField,
  projectedColumns,
  regionColumnsOf,
  sequenceColumnName,
  sequenceField,
} from './sorted-run.ts';
import { TagColumn } from './tag-column.ts';

/** One column the merge outputs. */
export interface OutputColumn {
  /** Name in input and output batches. */
  name: string;
  field: Field;
  column: ColumnSchema;
  layout: ValueLayout;
  /** For a string tag (output as a dictionary): its index among the plan's tags; otherwise -1. */
  tagIndex: number;
  /** A field column: the one kind `last_non_null` fills from older rows. */
  isField: boolean;
}

/** The columns of a merge, resolved once from the region schema and the options. */
export interface MergePlan {
  schema: RegionSchema;
  tags: ColumnSchema[];
  timeIndex: ColumnSchema;
  outputs: OutputColumn[];
  outputSchema: Schema;
}

const internalSequence: ColumnSchema = {
  name: sequenceColumnName,
  type: { kind: 'float64' },
  semantic: 'field',
  nullable: false,
  columnId: -1,
};
const internalOpType: ColumnSchema = {
  name: opTypeColumnName,
  type: { kind: 'uint8' },
  semantic: 'field',
  nullable: false,
  columnId: -1,
};

/** Resolves the output columns; throws `InvalidArguments` for a bad schema or projection. */
export function planMerge(
  schema: RegionSchema,
  projection: readonly string[] | undefined,
  internalColumns: boolean,
): MergePlan {
  const { tags, timeIndex } = regionColumnsOf(schema);
  const outputs: OutputColumn[] = projectedColumns(schema, projection).map((column) => ({
    name: column.name,
    field: arrowFieldOf(column),
    column,
    layout: valueLayoutOf(column.type),
    tagIndex: isDictionaryTag(column) ? tags.indexOf(column) : -1,
    isField: column.semantic === 'field',
  }));
  if (internalColumns) {
    outputs.push(
      {
        name: sequenceColumnName,
        field: sequenceField(),
        column: internalSequence,
        layout: valueLayoutOf(internalSequence.type),
        tagIndex: -1,
        isField: false,
      },
      {
        name: opTypeColumnName,
        field: opTypeField(),
        column: internalOpType,
        layout: valueLayoutOf(internalOpType.type),
        tagIndex: -1,
        isField: false,
      },
    );
  }
  return { schema, tags, timeIndex, outputs, outputSchema: new Schema(outputs.map((o) => o.field)) };
}

const columnIndexCache = new WeakMap<Schema, Map<string, number>>();

function columnIndexOf(schema: Schema): Map<string, number> {
  let index = columnIndexCache.get(schema);
  if (index === undefined) {
    index = new Map(schema.fields.map((field, i) => [field.name, i]));
    columnIndexCache.set(schema, index);
  }
  return index;
}

function malformed(runIndex: number, message: string): TesseraError {
  return new TesseraError(ErrorCode.SortedRunMalformed, `Sorted run ${runIndex}: ${message}`);
}

/** One input batch, decoded for the merge. Holds the batch alive while output rows point into it. */
export class SourceBatch {
  readonly numRows: number;
  readonly tags: TagColumn[];
  readonly runs: PrimaryKeyRuns;
  /** Time index as little-endian Int32 pairs: row `i` is `(hi = ts[2i + 1], lo = ts[2i] >>> 0)`. */
  readonly ts: Int32Array;
  readonly sequence: Float64Array;
  readonly opType: Uint8Array;
  /** Per plan output column: its data in this batch, or undefined (missing: all null). */
  readonly columns: (Data | undefined)[];
  private readonly words: (WordArray | undefined)[];
  private readonly tagIds: (Int32Array | undefined)[] = [];

  constructor(batch: RecordBatch, plan: MergePlan, runIndex: number) {
    const n = batch.numRows;
    this.numRows = n;
    const index = columnIndexOf(batch.schema);
    const child = (name: string): Data | undefined => {
      const i = index.get(name);
      return i === undefined ? undefined : (batch.data.children[i] as Data);
    };
    const checked = (column: ColumnSchema): Data | undefined => {
      const data = child(column.name);
      if (data !== undefined && !acceptsArrowType(column, data.type)) {
        throw malformed(
          runIndex,
          `column "${column.name}" is ${String(data.type)}, expected ${String(arrowFieldOf(column).type)}`,
        );
      }
      return data;
    };

    this.tags = plan.tags.map((tag) => {
      const layout = valueLayoutOf(tag.type);
      return new TagColumn(keyKindOf(tag.type), checked(tag), n, layout.kind === 'fixed' ? layout.byteWidth : 0);
    });

    const ts = checked(plan.timeIndex);
    if (ts === undefined) throw malformed(runIndex, `time index "${plan.timeIndex.name}" is missing`);
    if (ts.nullCount > 0) throw malformed(runIndex, `time index "${plan.timeIndex.name}" has ${ts.nullCount} nulls`);
    this.ts = wordArray('int32', ts.values as BigInt64Array, n * 2) as Int32Array;

    const sequence = child(sequenceColumnName);
    if (sequence === undefined || !sameArrowType(new Float64(), sequence.type)) {
      throw malformed(
        runIndex,
        `"${sequenceColumnName}" must be a Float64 column, got ${sequence === undefined ? 'none' : String(sequence.type)}`,
      );
    }
    const opType = child(opTypeColumnName);
    if (opType === undefined || !sameArrowType(new Uint8(), opType.type)) {
      throw malformed(
        runIndex,
        `"${opTypeColumnName}" must be a Uint8 column, got ${opType === undefined ? 'none' : String(opType.type)}`,
      );
    }
    this.sequence = sequence.values as Float64Array;
    this.opType = new Uint8Array((opType.values as Uint8Array).buffer, (opType.values as Uint8Array).byteOffset, n);

    this.columns = plan.outputs.map((output) => checked(output.column));
    this.words = new Array<WordArray | undefined>(plan.outputs.length);
    this.runs = primaryKeyRuns(this.tags, n);
    this.checkOrder(runIndex);
  }

  /**
   * Throws unless rows are in sorted-run order: keys strictly increasing from run to run, time
   * ascending and sequence descending within a run. One pass of typed-array reads; it turns a
   * writer's sorting bug into an error instead of silently wrong deduplication.
   */
  private checkOrder(runIndex: number): void {
    const { count, starts, keys } = this.runs;
    const ts = this.ts;
    const sequence = this.sequence;
    for (let r = 0; r < count; r++) {
      if (r > 0 && keys[r]! <= keys[r - 1]!) {
        throw malformed(runIndex, `rows are not sorted by primary key at row ${starts[r]}`);
      }
      for (let i = starts[r]! + 1; i < starts[r + 1]!; i++) {
        const hi = ts[2 * i + 1]!;
        const previousHi = ts[2 * i - 1]!;
        if (hi > previousHi) continue;
        const lo = ts[2 * i]! >>> 0;
        const previousLo = ts[2 * i - 2]! >>> 0;
        if (hi < previousHi || lo < previousLo || (lo === previousLo && sequence[i]! >= sequence[i - 1]!)) {
          throw malformed(runIndex, `rows are not sorted by (time index, sequence descending) at row ${i}`);
        }
      }
    }
  }

  /**
   * Per primary-key run, tag `t`'s value as an id of the merge's interner for that tag: -2 not
   * looked up yet, -1 null. A tag is constant within a run, so it is interned once per run.
   */
  tagIdsByRun(t: number): Int32Array {
    let ids = this.tagIds[t];
    if (ids === undefined) {
      ids = new Int32Array(this.runs.count).fill(-2);
      this.tagIds[t] = ids;
    }
    return ids;
  }

  /** Output column `c`'s values as words of its layout (fixed-width columns only). */
  wordsOf(c: number, layout: Extract<ValueLayout, { kind: 'fixed' }>): WordArray | undefined {
    let words = this.words[c];
    if (words === undefined) {
      const data = this.columns[c];
      if (data === undefined) return undefined;
      words = wordArray(layout.words, data.values as ArrayBufferView, this.numRows * layout.stride);
      this.words[c] = words;
    }
    return words;
  }

  /** Whether output column `c` holds a value at `row`. */
  isValid(c: number, row: number): boolean {
    const data = this.columns[c];
    if (data === undefined) return false;
    if (data.nullCount === 0) return true;
    const bit = data.offset + row;
    return ((data.nullBitmap![bit >> 3]! >> (bit & 7)) & 1) === 1;
  }

  /** The primary-key run holding `row` (binary search over the run starts). */
  runOf(row: number): number {
    const starts = this.runs.starts;
    let low = 0;
    let high = this.runs.count - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= row) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
