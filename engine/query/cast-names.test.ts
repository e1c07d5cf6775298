import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executeQuery } from './execute-query.ts';
import { MemoryCatalog } from './memory-table.ts';
import { resultRows } from './result-rows.ts';

async function named(sql: string): Promise<[string[], unknown[][]]> {
  const result = await executeQuery(sql, new MemoryCatalog());
  return [result.schema.fields.map((field) => field.name), resultRows(result.batches)];
}

test('casts to type aliases and timestamps are named as GreptimeDB rewrites them (arrow_cast)', async () => {
  assert.deepEqual(await named("SELECT '2021-11-15 02:30:00'::TIMESTAMP_US"), [
    ['arrow_cast(Utf8("2021-11-15 02:30:00"),Utf8("Timestamp(µs)"))'],
    [[1636943400000000]],
  ]);
  assert.deepEqual(await named("SELECT 8::INT64, 8::BIGINT, arrow_cast(8, 'UInt8')"), [
    ['arrow_cast(Int64(8),Utf8("Int64"))', 'Int64(8)', 'arrow_cast(Int64(8),Utf8("UInt8"))'],
    [[8, 8, 8]],
  ]);
  // A TIMESTAMP literal is a cast of its text, blanks collapsed.
  assert.deepEqual(await named("SELECT timestamp '    2017-07-23    13:10:11   '"), [
    ['Utf8("2017-07-23 13:10:11")'],
    [[1500815411000]],
  ]);
});
