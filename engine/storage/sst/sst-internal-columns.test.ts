import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Table, type RecordBatch } from 'apache-arrow';
import { cpuSchema, rowsOf, runBatch, sortRows, type Row } from '../merge/sorted-run-fixtures.ts';
import { readSst, readSstMeta, sstSourceFromBytes } from './sst-reader.ts';
import { writeSst } from './sst-writer.ts';

test('internal columns (__sequence, __op_type) survive a write and a read, sequences exact to 2**53', async () => {
  const schema = cpuSchema();
  const rows: Row[] = [];
  for (let i = 0; i < 3000; i++) {
    rows.push({
      host: `h${i % 7}`,
      region: 'eu',
      ts: BigInt(1_000 + Math.floor(i / 7)),
      cpu: i,
      __sequence: i === 5 ? 2 ** 53 - 1 : i + 1,
      __op_type: i % 11 === 0 ? 0 : 1,
    });
  }
  const sorted = sortRows(rows, ['host', 'region']);
  const { bytes, meta } = await writeSst(schema, [runBatch(schema, sorted)], {
    internalColumns: true,
    rowGroupRows: 1000,
  });
  assert.deepEqual(meta.internalColumns, ['__sequence', '__op_type']);
  const reread = await readSstMeta(sstSourceFromBytes(bytes));
  assert.deepEqual(reread.internalColumns, ['__sequence', '__op_type']);
  assert.deepEqual(reread.schema, schema);

  const batches: RecordBatch[] = [];
  const columns = ['host', 'ts', 'cpu', '__sequence', '__op_type'];
  for await (const batch of readSst(sstSourceFromBytes(bytes), { columns, timeRange: [1_010n, 1_200n] })) {
    batches.push(batch);
  }
  const table = new Table(batches);
  assert.equal(String(table.schema.fields[3]!.type), 'Float64');
  const got = rowsOf(batches);
  const expected = sorted
    .filter((row) => (row.ts as bigint) >= 1_010n && (row.ts as bigint) <= 1_200n)
    .map((row) => Object.fromEntries(columns.map((c) => [c, row[c]])));
  assert.deepEqual(got, expected);

  // Without asking for them, a reader sees only the schema's columns.
  const plain: RecordBatch[] = [];
  for await (const batch of readSst(sstSourceFromBytes(bytes))) plain.push(batch);
  assert.deepEqual(
    plain[0]!.schema.fields.map((f) => f.name),
    schema.columns.map((c) => c.name),
  );
});
