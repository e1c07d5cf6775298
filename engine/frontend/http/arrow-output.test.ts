import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Field,
  Float64,
  Int32,
  Schema,
  Table,
  Utf8,
  tableFromArrays,
  tableFromIPC,
  vectorFromArray,
} from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { TesseraError } from '../../common/index.ts';
import { arrowOutput } from './arrow-output.ts';

test('records become an Arrow IPC file with their types and nulls', () => {
  const bytes = arrowOutput([
    {
      records: {
        schema: {
          column_schemas: [
            { name: 'host', data_type: 'String' },
            { name: 'ts', data_type: 'TimestampMillisecond' },
            { name: 'usage', data_type: 'Float64' },
            { name: 'up', data_type: 'Boolean' },
          ],
        },
        rows: [
          ['a', 1000, 1.5, true],
          [null, 2000, null, false],
        ],
        total_rows: 2,
      },
    },
  ]);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 6)), 'ARROW1');
  const table = tableFromIPC(bytes);
  assert.deepEqual(
    table.schema.fields.map((f) => [f.name, String(f.type)]),
    [
      ['host', 'Utf8'],
      ['ts', 'Timestamp<MILLISECOND>'],
      ['usage', 'Float64'],
      ['up', 'Bool'],
    ],
  );
  assert.equal(table.numRows, 2);
  assert.equal(table.getChild('host')!.get(1), null);
  assert.equal(table.getChild('ts')!.get(1), 2000);
  assert.equal(table.getChild('usage')!.get(0), 1.5);
  assert.equal(table.getChild('usage')!.get(1), null);
  assert.equal(table.getChild('up')!.get(0), true);
});

test('a statement without records answers an empty body; several statements are refused', () => {
  assert.equal(arrowOutput([{ affectedrows: 3 }]).byteLength, 0);
  assert.throws(
    () => arrowOutput([{ affectedrows: 1 }, { affectedrows: 2 }]),
    (error: unknown) => error instanceof TesseraError && /multi-statements/.test(error.message),
  );
});

test("a query's own batches, when attached, go out as they are (no rows needed)", () => {
  const table = tableFromArrays({ host: ['a', 'b', 'c'], n: new Float64Array([1, 2, 3]) });
  const bytes = arrowOutput([
    {
      records: { schema: { column_schemas: [] }, rows: [], total_rows: 3 },
      arrow: { schema: table.schema, batches: table.batches },
    },
  ]);
  const read = tableFromIPC(bytes);
  assert.equal(read.numRows, 3);
  assert.deepEqual(read.getChild('host')!.toArray(), ['a', 'b', 'c']);
  assert.deepEqual([...read.getChild('n')!.toArray()], [1, 2, 3]);
});

test("a query's own batches pass under its schema even when a region's batch spells a type differently", () => {
  const batchOf = (hosts: string[], values: number[]) =>
    new Table({ host: vectorFromArray(hosts, new Utf8()), v: vectorFromArray(values, new Float64()) }).batches[0]!;
  const first = batchOf(['a'], [1]);
  // Another region's batch: same types, other field flags (a MergeScan merges such batches).
  const other = batchOf(['b', 'c'], [2, 3]);
  const schema = new Schema([new Field('host', new Utf8(), true), new Field('v', new Float64(), false)]);
  const output = (batches: RecordBatch[]) => ({
    records: { schema: { column_schemas: [] }, rows: [], total_rows: 3 },
    arrow: { schema, batches },
  });
  const read = tableFromIPC(arrowOutput([output([first, other])]));
  assert.equal(read.numRows, 3);
  assert.deepEqual(read.getChild('host')!.toArray(), ['a', 'b', 'c']);
  assert.equal(read.schema.fields[1]!.nullable, false);

  const wrongType = new Table({ host: vectorFromArray(['d'], new Utf8()), v: vectorFromArray([4], new Int32()) })
    .batches[0]!;
  assert.throws(() => arrowOutput([output([first, wrongType])]), /do not share one schema/);
});
