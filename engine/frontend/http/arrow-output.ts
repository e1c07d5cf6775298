/**
 * `/v1/sql?format=arrow`, as GreptimeDB answers it: one statement only; a query's records as
 * an Arrow IPC file (`application/arrow`), a statement without records as an empty body. The
 * workbench reads results this way so it never turns a million rows into JSON objects.
 */
import { Field, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import { columnsBatch, toArrowType } from '../../query/index.ts';
import type { Column, SqlType } from '../../query/index.ts';
import type { SqlOutput } from './handle-sql.ts';

/** GreptimeDB's `data_type` names back to the engine's types (the inverse of greptime-types.ts). */
const sqlTypeOfName: Record<string, SqlType> = {
  String: 'Utf8',
  TimestampSecond: 'Timestamp(Second, None)',
  TimestampMillisecond: 'Timestamp(Millisecond, None)',
  TimestampMicrosecond: 'Timestamp(Microsecond, None)',
  TimestampNanosecond: 'Timestamp(Nanosecond, None)',
};
const plainTypes = new Set<string>([
  'Null',
  'Boolean',
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float32',
  'Float64',
  'Utf8',
  'Date',
]);

function sqlTypeOf(name: string): SqlType {
  return sqlTypeOfName[name] ?? (plainTypes.has(name) ? (name as SqlType) : 'Utf8');
}

/** The Arrow IPC file bytes of the one output; throws InvalidArguments for several statements. */
export function arrowOutput(outputs: SqlOutput[]): Uint8Array {
  if (outputs.length > 1) {
    throw new TesseraError(ErrorCode.InvalidArguments, 'cannot output multi-statements result in arrow format');
  }
  const output = outputs[0];
  if (output === undefined || !('records' in output)) return new Uint8Array(0);
  // The query's own batches, when it attached them: no detour through rows.
  if (output.arrow) {
    const batches = underSchema(output.arrow.schema, output.arrow.batches);
    if (!batches) {
      throw new TesseraError(
        ErrorCode.Internal,
        `The query's batches do not share one schema (${output.arrow.schema.fields.map(String).join(', ')})`,
      );
    }
    return tableToIPC(new Table(output.arrow.schema, batches), 'file');
  }
  const { column_schemas: columnSchemas } = output.records.schema;
  const rows = output.records.rows;
  const types = columnSchemas.map((column) => sqlTypeOf(column.data_type));
  const schema = new Schema(
    columnSchemas.map((column, index) => new Field(column.name, toArrowType(types[index]!), true)),
  );
  const columns = types.map((type, index) => columnOf(type, rows, index));
  return tableToIPC(new Table(schema, [columnsBatch(schema, { columns, length: rows.length })]), 'file');
}

/**
 * The batches under the result's schema. Batches from different regions (a MergeScan) can
 * differ from it, and from each other, in field names, nullability or metadata while their
 * data is the same type; Arrow's Table refuses such a mix, so each is re-wrapped. Undefined
 * when some column's type really differs (then the rows path builds the answer).
 */
function underSchema(schema: Schema, batches: RecordBatch[]): RecordBatch[] | undefined {
  const types: DataType[] = schema.fields.map((field) => field.type);
  const result: RecordBatch[] = [];
  for (const batch of batches) {
    if (batch.schema === schema) {
      result.push(batch);
      continue;
    }
    const children = batch.data.children;
    if (children.length !== types.length) return undefined;
    // Same type in substance: Arrow's own comparison also tells a null time zone from an absent one.
    if (!children.every((child, index) => sameType(child.type, types[index]!))) return undefined;
    const data = makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
    result.push(new RecordBatch(schema, data));
  }
  return result;
}

function sameType(a: DataType, b: DataType): boolean {
  return a.typeId === b.typeId && String(a) === String(b);
}

function columnOf(type: SqlType, rows: unknown[][], index: number): Column {
  const length = rows.length;
  let valid: Uint8Array | null = null;
  const markNull = (row: number): void => {
    valid ??= new Uint8Array(length).fill(1);
    valid[row] = 0;
  };
  if (type === 'Null') return { type, length, values: null, valid: new Uint8Array(length) };
  if (type === 'Utf8') {
    const values = new Array<string>(length);
    for (let row = 0; row < length; row++) {
      const value = rows[row]![index];
      if (value === null || value === undefined) {
        markNull(row);
        values[row] = '';
      } else values[row] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return { type, length, values, valid };
  }
  if (type === 'Boolean') {
    const values = new Uint8Array(length);
    for (let row = 0; row < length; row++) {
      const value = rows[row]![index];
      if (value === null || value === undefined) markNull(row);
      else values[row] = value ? 1 : 0;
    }
    return { type, length, values, valid };
  }
  const values = new Float64Array(length);
  for (let row = 0; row < length; row++) {
    const value = rows[row]![index];
    if (value === null || value === undefined) markNull(row);
    else values[row] = Number(value);
  }
  return { type, length, values, valid };
}
