import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBatch, Schema, Struct, Table, Type, makeData, type Dictionary } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { TimeUnit } from '../region-schema.ts';
import { arrowSchemaOf } from '../arrow-types.ts';
import { SstMetadataKey } from './sst-meta.ts';
import { readSst, readSstMeta, sstSourceFromBytes } from './sst-reader.ts';
import { allTypesRows, allTypesSchema, batchOf, cellsOf, type Cell } from './sst-test-fixtures.ts';
import { writeSst } from './sst-writer.ts';

async function readAll(bytes: Uint8Array, options = {}): Promise<Table> {
  const batches: RecordBatch[] = [];
  for await (const batch of readSst(sstSourceFromBytes(bytes, 'test.parquet'), options)) batches.push(batch);
  return new Table(batches);
}

function minMax(cells: Cell[]): { min?: Cell; max?: Cell; nulls: number } {
  let min: Cell | undefined;
  let max: Cell | undefined;
  let nulls = 0;
  for (const cell of cells) {
    if (cell === null) {
      nulls++;
      continue;
    }
    if (min === undefined || cell < min!) min = cell;
    if (max === undefined || cell > max!) max = cell;
  }
  return { min, max, nulls };
}

for (const unit of ['s', 'ms', 'us', 'ns'] as TimeUnit[]) {
  test(`every column type survives a write and a read, with nulls and extremes (time index in ${unit})`, async () => {
    const schema = allTypesSchema(unit);
    // Nanoseconds beyond 2**53 prove times are never squeezed through a double.
    const start = unit === 'ns' ? 1_700_000_000_123_456_789n : 1_700_000_000n;
    const rows = allTypesRows(6, 500, start, 7n);
    const { bytes, meta } = await writeSst(schema, [batchOf(schema, rows)], { rowGroupRows: 1000 });

    assert.equal(meta.rows, 3000);
    assert.deepEqual(meta.timeRange, [start, start + 499n * 7n]);
    assert.equal(meta.fileSize, bytes.length);
    assert.equal(meta.compression, 'zstd');
    assert.deepEqual(meta.schema, schema);
    assert.deepEqual(
      meta.rowGroups.map((g) => g.rows),
      [1000, 1000, 1000],
    );

    const table = await readAll(bytes);
    assert.equal(table.numRows, 3000);
    const expectedSchema = arrowSchemaOf(schema);
    for (const [i, column] of schema.columns.entries()) {
      const field = table.schema.fields[i]!;
      assert.equal(field.name, column.name);
      assert.equal(String(field.type), String(expectedSchema.fields[i]!.type), `type of ${column.name}`);
      assert.deepEqual(cellsOf(table.getChildAt(i)!), rows.get(column.name), `values of ${column.name}`);
    }
  });
}

test('row-group statistics are the true min, max and null count of every column', async () => {
  const schema = allTypesSchema('ns');
  const rows = allTypesRows(4, 300, 1_700_000_000_000_000_000n, 1_000_000n);
  const { bytes, meta } = await writeSst(schema, [batchOf(schema, rows)], { rowGroupRows: 500 });
  assert.deepEqual(await readSstMeta(sstSourceFromBytes(bytes)), meta, 'writer and reader agree on the metadata');
  assert.equal(meta.rowGroups.length, 3);
  let offset = 0;
  for (const group of meta.rowGroups) {
    for (const [i, column] of schema.columns.entries()) {
      const cells = rows.get(column.name)!.slice(offset, offset + group.rows);
      const expected = minMax(cells);
      const stats = group.columns[i]!;
      assert.equal(stats.nullCount, expected.nulls, `null count of ${column.name}`);
      if (column.type.kind === 'binary') {
        // Binary bounds are bytes; compare as hex like the cells.
        assert.equal(Buffer.from(stats.min as Uint8Array).toString('hex'), expected.min, `min of ${column.name}`);
        assert.equal(Buffer.from(stats.max as Uint8Array).toString('hex'), expected.max, `max of ${column.name}`);
      } else if (column.type.kind === 'string' && column.semantic === 'field') {
        // JS orders strings by UTF-16 units; these values are ASCII up to the first difference.
        assert.equal(stats.min, expected.min, `min of ${column.name}`);
        assert.equal(stats.max, expected.max, `max of ${column.name}`);
      } else {
        assert.equal(stats.min, expected.min, `min of ${column.name}`);
        assert.equal(stats.max, expected.max, `max of ${column.name}`);
      }
    }
    const times = rows.get('ts')!.slice(offset, offset + group.rows) as bigint[];
    assert.equal(group.timeMin, minMax(times).min);
    assert.equal(group.timeMax, minMax(times).max);
    offset += group.rows;
  }
});

test('the file records its region schema version, column ids and sort order', async () => {
  const schema = allTypesSchema();
  const { bytes, meta } = await writeSst(schema, [batchOf(schema, allTypesRows(1, 10))]);
  assert.equal(meta.schema.version, 7);
  assert.deepEqual(
    meta.schema.columns.map((c) => c.columnId),
    schema.columns.map((c) => c.columnId),
  );
  const text = Buffer.from(bytes).toString('latin1');
  assert.ok(text.includes(SstMetadataKey.regionSchema));
  assert.ok(text.includes('["host","shard","ts"]'), 'sorted by the primary key, then time');
  assert.ok(meta.createdBy?.startsWith('tessera version'));
  // The standard Parquet field_id carries the column id too (read back as Arrow field metadata).
  const table = await readAll(bytes, { columns: ['f_i64'] });
  assert.equal(table.schema.fields[0]!.metadata.get('PARQUET:field_id'), '24');
});

test('several input batches with their own dictionaries become one sorted file', async () => {
  const schema = allTypesSchema();
  const rows = allTypesRows(5, 40);
  // Batches with Dictionary tags (each with its own dictionary) and with plain Utf8 tags.
  const asDictionary = await readAll((await writeSst(schema, [batchOf(schema, rows, 0, 90)])).bytes);
  const dictionaryBatch = asDictionary.batches[0]!;
  assert.equal(dictionaryBatch.schema.fields[0]!.type.typeId, Type.Dictionary);
  const { bytes } = await writeSst(
    schema,
    [dictionaryBatch, batchOf(schema, rows, 90, 150), batchOf(schema, rows, 150)],
    {
      rowGroupRows: 64,
    },
  );
  const table = await readAll(bytes);
  assert.equal(table.numRows, 200);
  for (const column of schema.columns) {
    assert.deepEqual(cellsOf(table.getChild(column.name)!), rows.get(column.name), column.name);
  }
  const tags = table.getChild('host')!;
  assert.equal((tags.type as Dictionary).indices.bitWidth, 32);
});

test('columns that share one typed array are copied before the IPC hand-off', async () => {
  const schema = allTypesSchema();
  const rows = allTypesRows(1, 16);
  rows.set(
    'f_u64',
    rows.get('f_i64')!.map((v) => (v === null ? null : BigInt.asUintN(64, v as bigint))),
  );
  const batch = batchOf(schema, rows);
  // Make f_u64 reuse f_i64's very buffers (reinterpreted), the case apache-arrow 21 corrupts.
  const i64 = batch.getChild('f_i64')!.data[0]!;
  const u64Index = batch.schema.fields.findIndex((f) => f.name === 'f_u64');
  const children = batch.data.children.slice();
  const u64Type = children[u64Index]!.type;
  children[u64Index] = makeData({
    type: u64Type,
    length: i64.length,
    nullCount: i64.nullCount,
    nullBitmap: i64.nullBitmap,
    data: new BigUint64Array(i64.values.buffer, i64.values.byteOffset, i64.length),
  } as never);
  const shared = new RecordBatch(
    batch.schema,
    makeData({ type: new Struct(batch.schema.fields), length: 16, nullCount: 0, children }),
  );
  const table = await readAll((await writeSst(schema, [shared])).bytes);
  assert.deepEqual(cellsOf(table.getChild('f_i64')!), rows.get('f_i64'));
  assert.deepEqual(cellsOf(table.getChild('f_u64')!), rows.get('f_u64'));
});

test('bad input is refused with InvalidArguments naming the column', async () => {
  const schema = allTypesSchema();
  const batch = batchOf(schema, allTypesRows(1, 40));
  const expectInvalid = async (promise: Promise<unknown>, pattern: RegExp): Promise<void> => {
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, ErrorCode.InvalidArguments);
      assert.match(error.message, pattern);
      return true;
    });
  };
  await expectInvalid(writeSst(schema, [batch.selectAt([0, 1, 2])]), /no column "f_bool"/);
  const renamed = {
    ...schema,
    columns: schema.columns.map((c) => (c.name === 'f_i8' ? { ...c, type: { kind: 'int16' as const } } : c)),
  };
  await expectInvalid(writeSst(renamed, [batch]), /Column "f_i8" must be Int16 but is Int8/);
  const strict = {
    ...schema,
    columns: schema.columns.map((c) => (c.name === 'f_i16' ? { ...c, nullable: false } : c)),
  };
  await expectInvalid(writeSst(strict, [batch]), /"f_i16" is not nullable/);
  await expectInvalid(writeSst(schema, []), /at least one row/);
  const empty = new RecordBatch(
    new Schema([]),
    makeData({ type: new Struct([]), length: 0, nullCount: 0, children: [] }),
  );
  await expectInvalid(writeSst({ ...schema, columns: schema.columns.slice(0, 3) }, [batch]), /do(es)? not have/);
  await expectInvalid(writeSst(schema, [empty]), /at least one row/);
  await expectInvalid(writeSst(schema, [batch], { rowGroupRows: 0 }), /rowGroupRows/);
});

test('every codec writes a file the reader decodes to the same rows', async () => {
  const schema = allTypesSchema();
  const rows = allTypesRows(3, 200);
  for (const compression of ['zstd', 'snappy', 'lz4', 'none'] as const) {
    const { bytes, meta } = await writeSst(schema, [batchOf(schema, rows)], { compression });
    assert.equal(meta.compression, compression === 'lz4' ? 'lz4_raw' : compression);
    const table = await readAll(bytes);
    for (const column of schema.columns) {
      assert.deepEqual(cellsOf(table.getChild(column.name)!), rows.get(column.name), `${compression} ${column.name}`);
    }
  }
});

test('sliced input batches (offsets not on a byte boundary) are written from their first row', async () => {
  const schema = allTypesSchema();
  const rows = allTypesRows(4, 30);
  const whole = batchOf(schema, rows);
  const { bytes } = await writeSst(schema, [whole.slice(3, 50), whole.slice(50, 101)]);
  const table = await readAll(bytes);
  assert.equal(table.numRows, 98);
  for (const column of schema.columns) {
    assert.deepEqual(cellsOf(table.getChild(column.name)!), rows.get(column.name)!.slice(3, 101), column.name);
  }
});

test('row groups are cut at exactly rowGroupRows, across encoder slices and input batches', async () => {
  const schema = allTypesSchema();
  const rows = allTypesRows(8, 5000);
  const whole = batchOf(schema, rows);
  const { meta } = await writeSst(schema, [whole.slice(0, 12_345), whole.slice(12_345)], { rowGroupRows: 17_000 });
  assert.deepEqual(
    meta.rowGroups.map((g) => g.rows),
    [17_000, 17_000, 6_000],
  );
});

test('concurrent writes and reads share the decoder without mixing their data', async () => {
  const schema = allTypesSchema();
  const first = allTypesRows(6, 3000, 1_000n);
  const second = allTypesRows(4, 5000, 9_000_000n);
  const [a, b] = await Promise.all([
    writeSst(schema, [batchOf(schema, first)], { rowGroupRows: 4000 }),
    writeSst(schema, [batchOf(schema, second)], { rowGroupRows: 3000, compression: 'snappy' }),
  ]);
  const serial = await writeSst(schema, [batchOf(schema, first)], { rowGroupRows: 4000 });
  assert.deepEqual(a.bytes, serial.bytes, 'the same bytes as written alone');
  const [tableA, tableB] = await Promise.all([readAll(a.bytes), readAll(b.bytes)]);
  for (const column of schema.columns) {
    assert.deepEqual(cellsOf(tableA.getChild(column.name)!), first.get(column.name), column.name);
    assert.deepEqual(cellsOf(tableB.getChild(column.name)!), second.get(column.name), column.name);
  }
});
