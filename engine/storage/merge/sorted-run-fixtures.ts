/**
 * Test-only helpers for the memtable and merge tests: region schemas, Arrow batches built from
 * plain JS rows, and the reverse (batches as plain rows), plus a seeded random generator and a
 * naive reference implementation of the merge modes to compare against. Not exported from
 * index.ts.
 */

import type { Data } from 'apache-arrow';
import {
  Dictionary,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Type,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Field,
} from 'apache-arrow';
import type { ColumnSchema, ColumnType, RegionSchema, TimeUnit } from '../region-schema.ts';
import type { MergeMode } from './merge-sorted-runs.ts';
import { OpType, opTypeField, sequenceField, sortedRunSchema } from './sorted-run.ts';

/** A row as tests write it: column name → value (bigint for 64-bit ints and timestamps). */
export type Row = Record<string, unknown>;

/** A schema: string tags `host`, `region` (nullable), time index `ts`, fields `cpu`, `mem` (float64), `note` (string). */
export function cpuSchema(unit: TimeUnit = 'ms'): RegionSchema {
  return {
    version: 1,
    columns: [
      { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 1 },
      { name: 'region', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 2 },
      { name: 'ts', type: { kind: 'timestamp', unit }, semantic: 'timestamp', nullable: false, columnId: 3 },
      { name: 'cpu', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 4 },
      { name: 'mem', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 5 },
      { name: 'note', type: { kind: 'string' }, semantic: 'field', nullable: true, columnId: 6 },
    ],
  };
}

/** A schema with one tag, the time index and fields of the given types (`f0`, `f1`, …). */
export function schemaWith(tagType: ColumnType, fieldTypes: ColumnType[], unit: TimeUnit = 'ms'): RegionSchema {
  const columns: ColumnSchema[] = [
    { name: 'k', type: tagType, semantic: 'tag', nullable: true, columnId: 1 },
    { name: 'ts', type: { kind: 'timestamp', unit }, semantic: 'timestamp', nullable: false, columnId: 2 },
    ...fieldTypes.map((type, i): ColumnSchema => ({
      name: `f${i}`,
      type,
      semantic: 'field',
      nullable: true,
      columnId: 10 + i,
    })),
  ];
  return { version: 1, columns };
}

/** Column data from JS values (`null` for nulls) of an Arrow type. */
export function columnData(type: DataType, values: readonly unknown[]): Data {
  if (type.typeId === Type.Timestamp) {
    // Arrow's timestamp builders take milliseconds; write the values as they are.
    const data = BigInt64Array.from(values, (value) => (typeof value === 'bigint' ? value : 0n));
    const bitmap = new Uint8Array((values.length + 7) >> 3);
    let nullCount = 0;
    values.forEach((value, i) => {
      if (value === null || value === undefined) nullCount++;
      else bitmap[i >> 3]! |= 1 << (i & 7);
    });
    return makeData({
      type,
      length: values.length,
      nullCount,
      nullBitmap: nullCount > 0 ? bitmap : undefined,
      data,
    } as never);
  }
  return vectorFromArray(values as unknown[], type).data[0] as Data;
}

/** A batch with `fields`' columns filled from `rows` (missing values are null). */
export function batchOf(fields: readonly Field[], rows: readonly Row[]): RecordBatch {
  const schema = new Schema(fields.slice());
  const children = fields.map((field) =>
    columnData(
      field.type,
      rows.map((row) => row[field.name] ?? null),
    ),
  );
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }),
  );
}

/**
 * A sorted-run batch of `schema` from rows carrying `__sequence` and `__op_type` (default put),
 * in the given order (tests sort them first with `sortRows` when they want a valid run).
 */
export function runBatch(schema: RegionSchema, rows: readonly Row[], projection?: readonly string[]): RecordBatch {
  const fields = sortedRunSchema(schema, projection).fields;
  return batchOf(
    fields,
    rows.map((row) => ({ ...row, __op_type: row.__op_type ?? OpType.Put })),
  );
}

/** A write batch (no internal columns) with string tags as plain Utf8, or as dictionaries. */
export function writeBatch(
  schema: RegionSchema,
  rows: readonly Row[],
  options: { dictionaryTags?: boolean; columns?: string[] } = {},
): RecordBatch {
  const fields = sortedRunSchema(schema)
    .fields.filter((field) => field.name !== sequenceField().name && field.name !== opTypeField().name)
    .filter((field) => options.columns === undefined || options.columns.includes(field.name))
    .map((field) => {
      if (field.type.typeId === Type.Dictionary && options.dictionaryTags !== true)
        return field.clone({ type: new Utf8() });
      if (field.type.typeId === Type.Dictionary) return field.clone({ type: new Dictionary(new Utf8(), new Int32()) });
      return field;
    });
  return batchOf(fields, rows);
}

/** Every row of `batches` as plain JS values (timestamps, 64-bit ints as bigint; strings for tags). */
export function rowsOf(batches: Iterable<RecordBatch>): Row[] {
  const rows: Row[] = [];
  for (const batch of batches) {
    for (let i = 0; i < batch.numRows; i++) {
      const row: Row = {};
      batch.schema.fields.forEach((field, c) => {
        row[field.name] = cellOf(batch.data.children[c] as Data, i);
      });
      rows.push(row);
    }
  }
  return rows;
}

function cellOf(data: Data, i: number): unknown {
  if (!data.getValid(i)) return null;
  if (data.typeId === Type.Timestamp) return (data.values as BigInt64Array)[i];
  const value: unknown = makeVector(data).get(i);
  if (value instanceof Uint8Array) return Array.from(value).join(',');
  return value;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** UTF-8 byte order of two strings (code point order), nulls first. */
export function compareTagValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    return Buffer.compare(x, y);
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Sorts rows into sorted-run order: tags (in `tags` order), time ascending, sequence descending. */
export function sortRows(rows: Row[], tags: readonly string[], time = 'ts'): Row[] {
  return rows.sort((a, b) => {
    for (const tag of tags) {
      const c = compareTagValues(a[tag], b[tag]);
      if (c !== 0) return c;
    }
    const ta = a[time] as bigint;
    const tb = b[time] as bigint;
    if (ta !== tb) return ta < tb ? -1 : 1;
    return (b.__sequence as number) - (a.__sequence as number);
  });
}

/**
 * The merge modes done the obvious way over all rows at once: group by (tags, time), newest
 * first. Returns rows with user columns only (`fields` are the field names to fill).
 */
export function referenceMerge(
  rows: readonly Row[],
  options: { tags: readonly string[]; fields: readonly string[]; mode: MergeMode; keepDeletes?: boolean },
): Row[] {
  const sorted = sortRows(rows.slice(), options.tags);
  const out: Row[] = [];
  const sameKey = (a: Row, b: Row): boolean => a.ts === b.ts && options.tags.every((tag) => a[tag] === b[tag]);
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sameKey(sorted[i]!, sorted[j]!)) j++;
    const group = sorted.slice(i, j);
    i = j;
    if (options.mode === 'append') {
      for (const row of group) if (row.__op_type === OpType.Put || options.keepDeletes) out.push(row);
      continue;
    }
    const head = group[0]!;
    if (options.mode === 'last_row') {
      if (head.__op_type === OpType.Put || options.keepDeletes) out.push(head);
      continue;
    }
    // last_non_null
    const firstDelete = group.findIndex((row) => row.__op_type === OpType.Delete);
    const puts = firstDelete < 0 ? group : group.slice(0, firstDelete);
    if (puts.length > 0) {
      const merged: Row = { ...puts[0] };
      for (const field of options.fields) {
        const source = puts.find((row) => row[field] !== null && row[field] !== undefined);
        merged[field] = source === undefined ? null : source[field];
      }
      out.push(merged);
    }
    if (firstDelete >= 0 && options.keepDeletes) out.push(group[firstDelete]!);
  }
  return out;
}

/** Keeps only `columns` of each row (missing ones as null), for comparisons. */
export function pick(rows: readonly Row[], columns: readonly string[]): Row[] {
  return rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? null])));
}
