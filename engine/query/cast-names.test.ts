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

test('aggregates over casts are named without them; avg(NULL) fails as in DataFusion', async () => {
  assert.deepEqual(await named('SELECT avg(3::SMALLINT), avg(NULL::SMALLINT), sum(2::DOUBLE) AS s'), [
    ['avg(Int64(3))', 'avg(NULL)', 's'],
    [[3, null, 2]],
  ]);
  await assert.rejects(() => named('SELECT avg(NULL)'), /AvgAccumulator for \(Null --> Float64\)/);
});

test('date - date is the days between; big floats cast to decimals exactly, as arrow', async () => {
  assert.deepEqual(await named("SELECT DATE '1993-08-20' - DATE '1993-08-14'"), [
    ['Utf8("1993-08-20") - Utf8("1993-08-14")'],
    [[6]],
  ]);
  await assert.rejects(
    () => named('SELECT 14751947891758972421513::DECIMAL(38,0)::TINYINT'),
    /value of 14751947891758971486208 is out of range Int8/,
  );
  await assert.rejects(
    () => named('SELECT 100::FLOAT::DECIMAL(38,37)'),
    /Cannot cast to Decimal128\(38, 37\). Overflowing on 100.0/,
  );
  assert.deepEqual((await named('SELECT 17014118346046923173168730371588410572::DOUBLE'))[0], [
    'Float64(17014118346046924000000000000000000000)',
  ]);
});
