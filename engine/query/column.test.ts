import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import type { Column } from './column.ts';
import { arrowSchema, batchColumns, columnsBatch, columnValue, takeColumn } from './column.ts';
import type { SqlType } from './data-type.ts';

const fields = (types: SqlType[]) =>
  types.map((type, index) => ({ relation: null, name: `c${index}`, type, nullable: true }));

test('column.arrow-round-trip-through-ipc', () => {
  const shared = new Float64Array([1.5, 2.5, 3.5]);
  const columns: Column[] = [
    { type: 'Float64', length: 3, values: shared, valid: null },
    // The same typed array twice: apache-arrow 21 corrupts IPC unless the buffers are copied.
    { type: 'Float64', length: 3, values: shared, valid: new Uint8Array([1, 0, 1]) },
    { type: 'Int64', length: 3, values: new Float64Array([1, -2, 2 ** 40]), valid: null },
    { type: 'Utf8', length: 3, values: ['a', 'héllo', ''], valid: new Uint8Array([1, 1, 0]) },
    { type: 'Boolean', length: 3, values: new Uint8Array([1, 0, 1]), valid: null },
    {
      type: 'Timestamp(Millisecond, None)',
      length: 3,
      values: new Float64Array([0, 1000, 1700000000000]),
      valid: null,
    },
    { type: 'Null', length: 3, values: null, valid: new Uint8Array(3) },
  ];
  const schema = arrowSchema(fields(columns.map((column) => column.type)));
  const batch = columnsBatch(schema, { columns, length: 3 });
  const decoded = tableFromIPC(tableToIPC(new Table([batch]))).batches[0];
  const chunk = batchColumns(decoded);
  const rows = [0, 1, 2].map((row) => chunk.columns.map((column) => columnValue(column, row)));
  assert.deepEqual(rows, [
    [1.5, 1.5, 1, 'a', true, 0, null],
    [2.5, null, -2, 'héllo', false, 1000, null],
    [3.5, 3.5, 2 ** 40, null, true, 1700000000000, null],
  ]);
});

test('column.sliced-batches-keep-offsets', () => {
  const schema = arrowSchema(fields(['Float64', 'Utf8']));
  const batch = columnsBatch(schema, {
    columns: [
      { type: 'Float64', length: 4, values: new Float64Array([1, 2, 3, 4]), valid: new Uint8Array([1, 0, 1, 1]) },
      { type: 'Utf8', length: 4, values: ['a', 'b', 'c', 'd'], valid: null },
    ],
    length: 4,
  });
  const chunk = batchColumns(batch.slice(1, 3));
  assert.deepEqual(
    [0, 1].map((row) => chunk.columns.map((column) => columnValue(column, row))),
    [
      [null, 'b'],
      [3, 'c'],
    ],
  );
});

test('column.take-with-missing-rows', () => {
  const column: Column = { type: 'Utf8', length: 2, values: ['x', 'y'], valid: null };
  const taken = takeColumn(column, Int32Array.from([1, -1, 0]));
  assert.deepEqual(
    [0, 1, 2].map((row) => columnValue(taken, row)),
    ['y', null, 'x'],
  );
});

test('column.sliced-typed-arrays-survive-ipc', () => {
  const backing = new Float64Array([0, 1, 2, 3, 4, 5, 6, 7]);
  const schema = arrowSchema(fields(['Float64', 'Float64']));
  const batch = columnsBatch(schema, {
    columns: [
      { type: 'Float64', length: 3, values: backing.subarray(2, 5), valid: null },
      { type: 'Float64', length: 3, values: backing.subarray(5, 8), valid: null },
    ],
    length: 3,
  });
  const chunk = batchColumns(tableFromIPC(tableToIPC(new Table([batch]))).batches[0]);
  assert.deepEqual(
    [0, 1, 2].map((row) => chunk.columns.map((column) => columnValue(column, row))),
    [
      [2, 5],
      [3, 6],
      [4, 7],
    ],
  );
});
