/**
 * Reading an SST written with an older schema as the current one, without rewriting it. An
 * SST's footer holds the region schema it was written with; for every column the read wants:
 *
 * - the file has it (same name and column id) with the same type: read as is;
 * - same column, another type (ALTER ... MODIFY COLUMN): read the stored values and cast each
 *   to the current type (`castValue`; what does not convert is null, as in GreptimeDB);
 * - the file lacks it (added later, or dropped and re-added under a new id): the column's
 *   `defaultValue` on every row, or nothing (the merge reads a missing column as null).
 *
 * Scans and compactions both read files through this, so a compaction writes the current
 * types and the defaults into its output and the filled values never change.
 */
import { Field, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { arrowFieldOf } from '../arrow-types.ts';
import type { SortedRunSource } from '../merge/index.ts';
import { opTypeColumnName, sequenceColumnName } from '../merge/index.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';
import type { SstColumnRange, SstMeta } from '../sst/index.ts';
import { castValue, columnDataOf, columnValues, parseDefaultText, type ColumnValue } from '../../common/index.ts';

/** The stored column of `column` in a file written with `fileSchema`, if the file has it. */
function storedColumn(fileSchema: RegionSchema, column: ColumnSchema): ColumnSchema | undefined {
  const stored = fileSchema.columns.find((c) => c.name === column.name);
  return stored !== undefined && stored.columnId === column.columnId ? stored : undefined;
}

/**
 * The columns to read from a file written with `meta.schema`: those of `wanted` it has with the
 * same name and column id (a dropped and re-added column is not the old one), plus the internal
 * columns.
 */
export function fileColumns(meta: SstMeta, wanted: readonly ColumnSchema[]): string[] {
  const names = wanted.filter((column) => storedColumn(meta.schema, column) !== undefined).map((c) => c.name);
  return [...names, sequenceColumnName, opTypeColumnName];
}

/**
 * The pruning ranges that hold for a file: only on columns it stores with the current type (its
 * statistics are in the stored type; a filled default has none).
 */
export function fileRanges(meta: SstMeta, schema: RegionSchema, ranges: readonly SstColumnRange[]): SstColumnRange[] {
  return ranges.filter((range) => {
    const column = schema.columns.find((c) => c.name === range.column);
    const stored = column === undefined ? undefined : storedColumn(meta.schema, column);
    return stored !== undefined && JSON.stringify(stored.type) === JSON.stringify(column!.type);
  });
}

/** The value a column reads as where a file lacks it: its default, parsed once. */
export function parseDefaultValue(column: ColumnSchema): ColumnValue {
  return column.defaultValue === undefined ? null : parseDefaultText(column.defaultValue, column.type);
}

interface ColumnPlan {
  column: ColumnSchema;
  /** The file's version of the column when its type differs (cast), else undefined. */
  castFrom?: ColumnSchema;
  /** The default to fill when the file lacks the column (never null here). */
  fill?: ColumnValue;
}

/** `run` (an SST read with `fileColumns`) as batches of the current types, defaults filled. */
export function adaptFileRun(
  run: SortedRunSource,
  fileSchema: RegionSchema,
  wanted: readonly ColumnSchema[],
): SortedRunSource {
  const plans: ColumnPlan[] = [];
  for (const column of wanted) {
    const stored = storedColumn(fileSchema, column);
    if (stored === undefined) {
      const fill = parseDefaultValue(column);
      if (fill !== null) plans.push({ column, fill });
    } else if (JSON.stringify(stored.type) !== JSON.stringify(column.type)) {
      plans.push({ column, castFrom: stored });
    }
  }
  if (plans.length === 0) return run;
  return {
    async *[Symbol.asyncIterator]() {
      for await (const batch of run) yield adaptBatch(batch, plans);
    },
  };
}

function adaptBatch(batch: RecordBatch, plans: readonly ColumnPlan[]): RecordBatch {
  const fields = [...batch.schema.fields];
  const children = [...batch.data.children];
  for (const plan of plans) {
    const field = arrowFieldOf(plan.column);
    let values: ColumnValue[];
    if (plan.castFrom !== undefined) {
      const index = fields.findIndex((f) => f.name === plan.column.name);
      if (index < 0) continue;
      values = columnValues(children[index]!, plan.castFrom.type).map((value) =>
        castValue(value, plan.castFrom!.type, plan.column.type),
      );
      const data = columnDataOf(plan.column.type, field.type, values);
      fields[index] = new Field(field.name, field.type, true, field.metadata);
      children[index] = data;
    } else {
      values = new Array<ColumnValue>(batch.numRows).fill(plan.fill!);
      fields.push(new Field(field.name, field.type, true, field.metadata));
      children.push(columnDataOf(plan.column.type, field.type, values));
    }
  }
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children }));
}
