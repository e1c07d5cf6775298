/**
 * Checks a put or delete batch against the region schema before anything is written: a batch
 * that reaches the WAL must also fit the memtable at replay, or the region could never open
 * again. Errors name the region, the column and the offending value or row.
 */

import { RecordBatch, Schema, Struct, makeData, type Data } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { arrowFieldOf } from '../arrow-types.ts';
import { acceptsArrowType } from '../merge/index.ts';
import type { ColumnSchema, RegionSchema } from '../region-schema.ts';

function invalid(regionId: number, message: string): TesseraError {
  return new TesseraError(ErrorCode.InvalidArguments, `Region ${regionId}: ${message}`);
}

function firstNull(data: Data): number {
  for (let i = 0; i < data.length; i++) if (!data.getValid(i)) return i;
  return -1;
}

/**
 * Returns the batch to log: for a put, `batch` itself; for a delete, only its key columns (the
 * rest would be ignored anyway). Throws `InvalidArguments` for an unknown column, a type that
 * does not match, a missing non-nullable column, or a null where none may be.
 */
export function validateBatch(
  regionId: number,
  schema: RegionSchema,
  batch: RecordBatch,
  opType: 'put' | 'delete',
): RecordBatch {
  if (!(batch instanceof RecordBatch)) {
    throw invalid(regionId, `a ${opType} needs an Arrow RecordBatch, got ${String(batch)}`);
  }
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const seen = new Set<string>();
  batch.schema.fields.forEach((field) => {
    if (!byName.has(field.name)) {
      throw invalid(
        regionId,
        `column "${field.name}" is not in schema version ${schema.version} (columns: ${schema.columns.map((c) => c.name).join(', ')})`,
      );
    }
    if (seen.has(field.name)) throw invalid(regionId, `column "${field.name}" appears twice in the batch`);
    seen.add(field.name);
  });
  const isKey = (column: ColumnSchema): boolean => column.semantic !== 'field';
  const kept: number[] = [];
  for (const column of schema.columns) {
    const index = batch.schema.fields.findIndex((f) => f.name === column.name);
    const required = column.semantic === 'timestamp' || !column.nullable;
    if (index < 0) {
      if (required && (opType === 'put' || isKey(column))) {
        throw invalid(regionId, `a ${opType} needs column "${column.name}" (it is not nullable)`);
      }
      continue;
    }
    if (opType === 'delete' && !isKey(column)) continue;
    kept.push(index);
    const data = batch.data.children[index] as Data;
    if (!acceptsArrowType(column, data.type)) {
      throw invalid(
        regionId,
        `column "${column.name}" is ${String(data.type)}, schema version ${schema.version} has ${String(arrowFieldOf(column).type)}`,
      );
    }
    if ((required || !column.nullable) && data.nullCount > 0) {
      const what = column.semantic === 'timestamp' ? 'time index' : 'non-nullable column';
      throw invalid(regionId, `${what} "${column.name}" has ${data.nullCount} nulls (first at row ${firstNull(data)})`);
    }
  }
  if (opType === 'put' || kept.length === batch.schema.fields.length) return batch;
  const fields = kept.map((i) => batch.schema.fields[i]!);
  const schemaOut = new Schema(fields);
  return new RecordBatch(
    schemaOut,
    makeData({
      type: new Struct(fields),
      length: batch.numRows,
      nullCount: 0,
      children: kept.map((i) => batch.data.children[i] as Data),
    }),
  );
}

/** The metric engine's columns a physical region holds (GreptimeDB's names; the frontend fills them). */
const metricEngineColumns = new Set(['__table_id', '__tsid']);

/** Checks a schema a create or alter would set: user names must not collide with internal columns. */
export function checkUserColumnNames(regionId: number, schema: RegionSchema): void {
  const names = new Set<string>();
  for (const column of schema.columns) {
    if (column.name.startsWith('__') && !metricEngineColumns.has(column.name)) {
      throw invalid(regionId, `column name "${column.name}" is reserved: names starting with "__" are internal`);
    }
    if (names.has(column.name)) throw invalid(regionId, `column "${column.name}" appears twice in the schema`);
    names.add(column.name);
  }
}
