import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { batchColumns, columnsBatch, columnValue } from './column.ts';
import { executeQuery } from './execute-query.ts';
import { MemoryCatalog, MemoryTable, memoryTable } from './memory-table.ts';
import { resultRows } from './result-rows.ts';

const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;
const U64_MAX = 18446744073709551615n;
const NS = 1700000000123456789n;

async function catalog(batchSize = 2): Promise<MemoryCatalog> {
  const source = memoryTable(
    [
      { name: 'ts', type: 'Timestamp(Nanosecond, None)', values: [NS, NS + 1n, NS + 2n, NS + 1n] },
      { name: 'b', type: 'Int64', values: [I64_MAX, I64_MIN, I64_MAX - 1n, 5] },
      { name: 'u', type: 'UInt64', values: [U64_MAX, 0, U64_MAX - 1n, null] },
    ],
    { timeIndex: 'ts', batchSize },
  );
  const batches = [];
  for await (const batch of source.scan({ projection: null, filters: [], limit: null } as never)) batches.push(batch);
  // Through IPC: the scan decodes the Arrow buffers as a region's scan does.
  const decoded = tableFromIPC(tableToIPC(new Table(batches))).batches;
  return new MemoryCatalog().register('t', new MemoryTable(source.schema, decoded));
}

async function rows(sql: string): Promise<unknown[][]> {
  const { batches } = await executeQuery(sql, await catalog());
  return resultRows(batches);
}

test('exact.round-trip-select-where-order', async () => {
  assert.deepEqual(await rows('SELECT ts, b, u FROM t ORDER BY ts, b'), [
    [NS, I64_MAX, U64_MAX],
    [NS + 1n, I64_MIN, 0],
    [NS + 1n, 5, null],
    [NS + 2n, I64_MAX - 1n, U64_MAX - 1n],
  ]);
  assert.deepEqual(await rows('SELECT b FROM t WHERE ts = 1700000000123456789'), [[I64_MAX]]);
  assert.deepEqual(await rows('SELECT b FROM t WHERE b = 9223372036854775806'), [[I64_MAX - 1n]]);
  assert.deepEqual(await rows('SELECT u FROM t WHERE u = 18446744073709551615'), [[U64_MAX]]);
  assert.deepEqual(await rows('SELECT b FROM t WHERE ts > 1700000000123456790 ORDER BY b'), [[I64_MAX - 1n]]);
  assert.deepEqual(await rows('SELECT b FROM t WHERE b IN (9223372036854775806, 5) ORDER BY b'), [[5], [I64_MAX - 1n]]);
  assert.deepEqual(await rows('SELECT b FROM t ORDER BY b DESC LIMIT 2'), [[I64_MAX], [I64_MAX - 1n]]);
});

test('exact.group-join-min-max-sum', async () => {
  assert.deepEqual(await rows('SELECT ts, count(*) FROM t GROUP BY ts ORDER BY ts'), [
    [NS, 1],
    [NS + 1n, 2],
    [NS + 2n, 1],
  ]);
  assert.deepEqual(await rows('SELECT DISTINCT b FROM t ORDER BY b'), [[I64_MIN], [5], [I64_MAX - 1n], [I64_MAX]]);
  assert.deepEqual(await rows('SELECT min(ts), max(ts), min(b), max(b), max(u) FROM t'), [
    [NS, NS + 2n, I64_MIN, I64_MAX, U64_MAX],
  ]);
  // DataFusion's integer sum wraps: MAX + MIN + (MAX - 1) + 5 = MAX + 3, which wraps past MAX.
  assert.deepEqual(await rows('SELECT sum(b) FROM t'), [[I64_MIN + 2n]]);
  assert.deepEqual(await rows('SELECT a.b, c.b FROM t a JOIN t c ON a.ts = c.ts WHERE a.b = 9223372036854775807'), [
    [I64_MAX, I64_MAX],
  ]);
});

test('exact.literals-arithmetic-casts', async () => {
  assert.deepEqual(
    await rows('SELECT 9223372036854775807, -9223372036854775808, 18446744073709551615, 9223372036854775800 + 1000'),
    [[I64_MAX, I64_MIN, U64_MAX, -9223372036854774816n]],
  );
  assert.deepEqual(await rows("SELECT CAST('9223372036854775807' AS BIGINT), CAST(b AS STRING) FROM t WHERE b > 6"), [
    [I64_MAX, '9223372036854775807'],
    [I64_MAX, '9223372036854775806'],
  ]);
  assert.deepEqual(await rows('SELECT b - 1, -b FROM t WHERE b = 9223372036854775807'), [[I64_MAX - 1n, -I64_MAX]]);
  assert.deepEqual(await rows('SELECT ts::STRING, ts::TIMESTAMP(3) FROM t WHERE b = 9223372036854775807'), [
    ['2023-11-14T22:13:20.123456789', 1700000000123],
  ]);
  assert.deepEqual(await rows("SELECT ts FROM t WHERE ts = '2023-11-14 22:13:20.123456790'"), [[NS + 1n], [NS + 1n]]);
  assert.deepEqual(await rows('SELECT CASE WHEN b > 0 THEN ts END FROM t WHERE b = 9223372036854775807'), [[NS]]);
});

test('exact.date-trunc-date-bin-interval-on-nanoseconds', async () => {
  assert.deepEqual(
    await rows(
      "SELECT date_trunc('millisecond', ts), date_bin(INTERVAL '1 millisecond', ts), ts + INTERVAL '1 millisecond' " +
        'FROM t WHERE b = 9223372036854775807',
    ),
    [[1700000000123000000n, 1700000000123000000n, 1700000000124456789n]],
  );
});

test('exact.arrow-round-trip-keeps-64-bit-words', () => {
  const table = memoryTable([{ name: 'b', type: 'Int64', values: [I64_MAX, 1] }]);
  const batch = columnsBatch(table.schema.arrow, {
    columns: [
      {
        type: 'Int64',
        length: 2,
        values: new Float64Array([Number(I64_MAX), 1]),
        valid: null,
        exact: new BigInt64Array([I64_MAX, 1n]),
      },
    ],
    length: 2,
  });
  const decoded = tableFromIPC(tableToIPC(new Table([batch]))).batches[0];
  const column = batchColumns(decoded).columns[0];
  assert.equal(columnValue(column, 0), I64_MAX);
  assert.equal(columnValue(column, 1), 1);
});

test('exact.text-finer-than-the-column-unit-compares-at-its-own-precision', async () => {
  const catalog = new MemoryCatalog().register(
    't',
    memoryTable([{ name: 'ts', type: 'Timestamp(Millisecond, None)', values: [1000, 1001, 1002] }], {
      timeIndex: 'ts',
    }),
  );
  const ts = async (where: string) =>
    resultRows((await executeQuery(`SELECT ts FROM t WHERE ${where}`, catalog)).batches);
  // '...01.001000500' lies between the ticks 1001 and 1002 (GreptimeDB #8214).
  const text = "'1970-01-01 00:00:01.001000500'";
  assert.deepEqual(await ts(`ts >= ${text} ORDER BY ts`), [[1002]]);
  assert.deepEqual(await ts(`ts > ${text} ORDER BY ts`), [[1002]]);
  assert.deepEqual(await ts(`ts < ${text} ORDER BY ts`), [[1000], [1001]]);
  assert.deepEqual(await ts(`${text} > ts ORDER BY ts`), [[1000], [1001]]);
  assert.deepEqual(await ts(`ts = ${text}`), []);
  assert.deepEqual(await ts(`ts != ${text} ORDER BY ts`), [[1000], [1001], [1002]]);
  assert.deepEqual(await ts(`ts = '1970-01-01 00:00:01.001'`), [[1001]]);
});

test('exact.bins-of-nanoseconds-next-to-a-boundary', async () => {
  // One nanosecond before a whole minute: its float rounds up onto the boundary.
  const ts = "arrow_cast(1700000039999999999, 'Timestamp(Nanosecond, None)')";
  assert.deepEqual(
    await rows(
      `SELECT date_bin(INTERVAL '1 minute', ${ts}), date_trunc('minute', ${ts}), date_trunc('second', ${ts}), ` +
        `date_trunc('week', ${ts}), date_bin(INTERVAL '1 minute', ${ts} + INTERVAL '1 nanosecond')`,
    ),
    [[1699999980000000000, 1699999980000000000, 1700000039000000000, 1699833600000000000, 1700000040000000000]],
  );
});

test('exact.window-functions-keep-nanoseconds', async () => {
  assert.deepEqual(
    await rows('SELECT ts, lag(ts) OVER (ORDER BY ts, b), first_value(b) OVER (ORDER BY ts, b) FROM t ORDER BY ts, b'),
    [
      [NS, null, I64_MAX],
      [NS + 1n, NS, I64_MAX],
      [NS + 1n, NS + 1n, I64_MAX],
      [NS + 2n, NS + 1n, I64_MAX],
    ],
  );
});

test('exact.date-parts-of-nanoseconds', async () => {
  const ts = "arrow_cast(1700000000999999999, 'Timestamp(Nanosecond, None)')";
  assert.deepEqual(await rows(`SELECT date_part('nanosecond', ${ts}), to_unixtime(${ts})`), [
    [20999999999, 1700000000],
  ]);
});

test('exact.range-select-on-nanoseconds', async () => {
  assert.deepEqual(await rows("SELECT ts, max(b) RANGE '1ms', max(ts) RANGE '1ms' FROM t ALIGN '1ms'"), [
    [1700000000123000000n, I64_MAX, NS + 2n],
  ]);
});

test('exact.finer-text-in-a-session-time-zone', async () => {
  const catalog = new MemoryCatalog().register(
    't',
    memoryTable([{ name: 'ts', type: 'Timestamp(Millisecond, None)', values: [1000, 1001, 1002] }], {
      timeIndex: 'ts',
    }),
  );
  const ts = async (where: string) =>
    resultRows(
      (await executeQuery(`SELECT ts FROM t WHERE ${where} ORDER BY ts`, catalog, { timezone: '+08:00' })).batches,
    );
  const text = "'1970-01-01 08:00:01.001000500'";
  assert.deepEqual(await ts(`ts >= ${text}`), [[1002]]);
  assert.deepEqual(await ts(`ts < ${text}`), [[1000], [1001]]);
  assert.deepEqual(await ts(`ts >= '1970-01-01 08:00:01.001'`), [[1001], [1002]]);
});

test('exact.subqueries-carry-exact-values', async () => {
  assert.deepEqual(await rows('SELECT b FROM t WHERE ts = (SELECT max(ts) FROM t)'), [[I64_MAX - 1n]]);
  assert.deepEqual(await rows('SELECT ts FROM t WHERE b IN (SELECT max(b) FROM t)'), [[NS]]);
  assert.deepEqual(await rows('SELECT count(DISTINCT ts) FROM t'), [[3]]);
  assert.deepEqual(await rows('SELECT ts FROM t INTERSECT SELECT ts FROM t WHERE b = 5'), [[NS + 1n]]);
});
