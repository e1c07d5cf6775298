import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../common/index.ts';
import { executeQuery, streamQuery } from './execute-query.ts';
import { resultRows } from './result-rows.ts';
import { testCatalog } from './test-catalog.ts';

const catalog = testCatalog();

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

async function columns(sql: string): Promise<string[]> {
  return (await executeQuery(sql, catalog)).schema.fields.map((field) => `${field.name}:${field.type}`);
}

async function rejects(sql: string, code: number, message: string | RegExp): Promise<void> {
  await assert.rejects(
    () => executeQuery(sql, catalog),
    (error: { code: number; message: string }) => {
      assert.equal(error.code, code, error.message);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

test('query.select-without-from', async () => {
  assert.deepEqual(await rows("SELECT 1, 1.5, 'a', true, NULL"), [[1, 1.5, 'a', true, null]]);
  assert.deepEqual(await columns("SELECT 1, 1.5, 'a', NULL"), [
    'Int64(1):Int64',
    'Float64(1.5):Float64',
    'Utf8("a"):Utf8',
    'NULL:Null',
  ]);
  assert.deepEqual(await rows('SELECT 1 + 2 * 3 AS x, 7 / 2, 7.0 / 2, 7 % 3, -(2)'), [[7, 3, 3.5, 1, -2]]);
});

test('query.projection-and-aliases', async () => {
  assert.deepEqual(await columns('SELECT a, a + 1, s AS name FROM t'), [
    'a:Int64',
    't.a + Int64(1):Int64',
    'name:Utf8',
  ]);
  assert.deepEqual(await rows('SELECT a * 2 AS d FROM t WHERE a <= 2'), [[2], [4]]);
  assert.deepEqual(await rows('SELECT * FROM u WHERE k = 9'), [[9, 'nine']]);
  assert.deepEqual(await rows("SELECT x.k FROM u AS x WHERE x.v = 'two'"), [[2]]);
});

test('query.where-three-valued-logic', async () => {
  // f: true, false, NULL, true, false
  assert.deepEqual(await rows('SELECT a FROM t WHERE f'), [[1], [null]]);
  assert.deepEqual(await rows('SELECT a FROM t WHERE NOT f'), [[2], [5]]);
  assert.deepEqual(await rows('SELECT f OR NULL, f AND NULL FROM t'), [
    [true, null],
    [null, false],
    [null, null],
    [true, null],
    [null, false],
  ]);
  assert.deepEqual(await rows('SELECT a FROM t WHERE a = NULL'), []);
  assert.deepEqual(await rows('SELECT s FROM t WHERE s IS NULL'), [[null]]);
  assert.deepEqual(await rows('SELECT count(*) FROM t WHERE s IS NOT NULL'), [[4]]);
  assert.deepEqual(await rows('SELECT a IN (1, NULL), a NOT IN (1, 2) FROM t WHERE a < 4'), [
    [true, false],
    [null, false],
    [null, true],
  ]);
});

test('query.predicates', async () => {
  assert.deepEqual(await rows('SELECT a FROM t WHERE a BETWEEN 2 AND 3'), [[2], [3]]);
  assert.deepEqual(await rows('SELECT a FROM t WHERE a NOT BETWEEN 2 AND 3'), [[1], [5]]);
  assert.deepEqual(await rows("SELECT a FROM t WHERE s LIKE 'x%'"), [[1], [3]]);
  assert.deepEqual(await rows("SELECT a FROM t WHERE s ILIKE 'z'"), [[5]]);
  assert.deepEqual(await rows("SELECT a FROM t WHERE s NOT LIKE '_'"), []);
  assert.deepEqual(await rows("SELECT a FROM t WHERE s IN ('y', 'Z')"), [[2], [5]]);
  assert.deepEqual(await rows('SELECT a FROM t WHERE b > a'), [[1], [3]]);
  assert.deepEqual(await rows("SELECT a FROM t WHERE a = '2'"), [[2]]);
});

test('query.case-and-cast', async () => {
  assert.deepEqual(await rows("SELECT CASE WHEN a > 2 THEN 'big' WHEN a > 1 THEN 'mid' ELSE 'small' END FROM t"), [
    ['small'],
    ['mid'],
    ['big'],
    ['small'],
    ['big'],
  ]);
  assert.deepEqual(await rows("SELECT CASE s WHEN 'x' THEN 1 END FROM t"), [[1], [null], [1], [null], [null]]);
  assert.deepEqual(await rows("SELECT CAST('42' AS INT), '7'::BIGINT + 1, CAST(2.7 AS BIGINT), CAST(3 AS STRING)"), [
    [42, 8, 2, '3'],
  ]);
  assert.deepEqual(await columns("SELECT CAST('42' AS INT)"), ['Utf8("42"):Int32']);
  assert.deepEqual(await rows("SELECT TRY_CAST('x' AS INT)"), [[null]]);
  assert.deepEqual(await rows("SELECT CAST('2024-01-01 00:00:01' AS TIMESTAMP)"), [[1704067201000]]);
});

test('query.scalar-functions', async () => {
  assert.deepEqual(
    await rows(
      'SELECT abs(-3), round(2.5), round(-2.5), round(3.14159, 2), floor(1.7), ceil(1.2), sqrt(16), pow(2, 10)',
    ),
    [[3, 3, -3, 3.14, 1, 2, 4, 1024]],
  );
  assert.deepEqual(await rows('SELECT ln(1), log10(1000)'), [[0, 3]]);
  assert.deepEqual(
    await rows(
      "SELECT lower('AbC'), upper('abc'), length('héllo'), concat('a', NULL, 1), substr('hello', 2, 3), replace('aXbX', 'X', '-'), trim('  x ')",
    ),
    [['abc', 'ABC', 5, 'a1', 'ell', 'a-b-', 'x']],
  );
  assert.deepEqual(await rows("SELECT 'a' || 'b'"), [['ab']]);
  assert.deepEqual(
    await rows('SELECT coalesce(NULL, 2, 3), nullif(1, 1), nullif(1, 2), greatest(1, 5, 3), least(4, 2)'),
    [[2, null, 1, 5, 2]],
  );
  assert.deepEqual(await rows('SELECT coalesce(a, 0) FROM t WHERE a IS NULL OR a = 1'), [[1], [0]]);
  assert.deepEqual(await rows("SELECT date_trunc('hour', ts), to_unixtime(ts) FROM ts_table WHERE cpu = 30"), [
    [3_600_000, 3600],
  ]);
  assert.deepEqual(await rows("SELECT to_unixtime('2024-01-01 00:00:00')"), [[1704067200]]);
  const [[now]] = await rows('SELECT now()');
  assert.ok(Math.abs((now as number) - Date.now()) < 5000);
});

test('query.aggregates', async () => {
  assert.deepEqual(await rows('SELECT count(*), count(a), count(s), sum(a), avg(a), min(b), max(s) FROM t'), [
    [5, 4, 4, 11, 2.75, -2, 'y'],
  ]);
  assert.deepEqual(await columns('SELECT count(*), sum(a), avg(a), sum(b) FROM t'), [
    'count(*):Int64',
    'sum(t.a):Int64',
    'avg(t.a):Float64',
    'sum(t.b):Float64',
  ]);
  assert.deepEqual(await rows('SELECT count(DISTINCT s), count(DISTINCT k), sum(DISTINCT k) FROM t, u'), [[3, 3, 12]]);
  // No rows: one group; count 0, the others NULL.
  assert.deepEqual(await rows('SELECT count(*), sum(a), max(s) FROM t WHERE a > 100'), [[0, null, null]]);
  // With GROUP BY and no rows: no groups.
  assert.deepEqual(await rows('SELECT s, count(*) FROM t WHERE a > 100 GROUP BY s'), []);
});

test('query.group-by-having-order-by', async () => {
  assert.deepEqual(await rows('SELECT s, count(*) AS n, sum(a) FROM t GROUP BY s ORDER BY s'), [
    ['Z', 1, 5],
    ['x', 2, 4],
    ['y', 1, 2],
    [null, 1, null],
  ]);
  assert.deepEqual(await rows('SELECT s, count(*) FROM t GROUP BY s HAVING count(*) > 1'), [['x', 2]]);
  assert.deepEqual(await rows('SELECT s FROM t GROUP BY s HAVING sum(a) > 3 ORDER BY s'), [['Z'], ['x']]);
  assert.deepEqual(await rows('SELECT s, count(*) FROM t GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1'), [['x', 2]]);
  assert.deepEqual(await rows('SELECT a % 2 AS parity, count(*) FROM t GROUP BY parity ORDER BY parity NULLS FIRST'), [
    [null, 1],
    [0, 1],
    [1, 3],
  ]);
  assert.deepEqual(await rows('SELECT host, max(cpu) FROM ts_table GROUP BY host ORDER BY max(cpu) DESC'), [
    ['h2', 40],
    ['h1', 30],
  ]);
});

test('query.order-by-nulls-and-hidden-columns', async () => {
  assert.deepEqual(await rows('SELECT a FROM t ORDER BY a'), [[1], [2], [3], [5], [null]]);
  assert.deepEqual(await rows('SELECT a FROM t ORDER BY a DESC'), [[null], [5], [3], [2], [1]]);
  assert.deepEqual(await rows('SELECT a FROM t ORDER BY a NULLS FIRST'), [[null], [1], [2], [3], [5]]);
  assert.deepEqual(await rows('SELECT a FROM t ORDER BY a DESC NULLS LAST'), [[5], [3], [2], [1], [null]]);
  // ORDER BY a column the select list does not have.
  assert.deepEqual(await rows('SELECT s FROM t WHERE a IS NOT NULL ORDER BY b'), [['Z'], ['x'], ['x'], ['y']]);
  assert.deepEqual(await columns('SELECT s FROM t ORDER BY b'), ['s:Utf8']);
  assert.deepEqual(await rows('SELECT a AS x FROM t ORDER BY x DESC LIMIT 2'), [[null], [5]]);
});

test('query.limit-offset', async () => {
  assert.deepEqual(await rows('SELECT a FROM t LIMIT 2'), [[1], [2]]);
  assert.deepEqual(await rows('SELECT a FROM t LIMIT 2 OFFSET 1'), [[2], [3]]);
  assert.deepEqual(await rows('SELECT a FROM t ORDER BY a LIMIT 2 OFFSET 3'), [[5], [null]]);
  assert.deepEqual(await rows('SELECT a FROM t LIMIT 0'), []);
  assert.deepEqual(await rows('SELECT a FROM t OFFSET 4'), [[5]]);
});

test('query.distinct', async () => {
  assert.deepEqual(await rows('SELECT DISTINCT s FROM t ORDER BY s'), [['Z'], ['x'], ['y'], [null]]);
  assert.deepEqual(await rows('SELECT DISTINCT k FROM u ORDER BY k'), [[1], [2], [9]]);
});

test('query.subqueries-and-ctes', async () => {
  assert.deepEqual(await rows('SELECT x FROM (SELECT a + 1 AS x FROM t) AS sub WHERE x > 3 ORDER BY x'), [[4], [6]]);
  assert.deepEqual(await rows('SELECT sub.n FROM (SELECT count(*) AS n FROM t) sub'), [[5]]);
  assert.deepEqual(await rows('WITH big AS (SELECT a FROM t WHERE a > 2) SELECT sum(a) FROM big'), [[8]]);
  assert.deepEqual(await rows('WITH c (x, y) AS (SELECT k, v FROM u) SELECT y FROM c WHERE x = 1'), [['one']]);
  assert.deepEqual(
    await rows('WITH a1 AS (SELECT 1 AS one), a2 AS (SELECT one + 1 AS two FROM a1) SELECT two FROM a2'),
    [[2]],
  );
});

test('query.union', async () => {
  assert.deepEqual(await rows('SELECT k FROM u UNION ALL SELECT a FROM t WHERE a < 3'), [[1], [2], [2], [9], [1], [2]]);
  assert.deepEqual(await rows('SELECT k FROM u UNION SELECT a FROM t WHERE a < 3 ORDER BY k'), [[1], [2], [9]]);
  assert.deepEqual(await rows('SELECT 1 AS x UNION ALL SELECT 2.5 ORDER BY x DESC'), [[2.5], [1]]);
  assert.deepEqual(await columns('SELECT 1 AS x UNION ALL SELECT 2.5'), ['x:Float64']);
});

test('query.values', async () => {
  assert.deepEqual(await rows("SELECT * FROM (VALUES (1, 'a'), (2, NULL)) AS v"), [
    [1, 'a'],
    [2, null],
  ]);
  assert.deepEqual(await rows('SELECT column1 + 1 FROM (VALUES (1), (2)) v ORDER BY 1 DESC'), [[3], [2]]);
});

test('query.joins', async () => {
  assert.deepEqual(await rows('SELECT t.a, u.v FROM t JOIN u ON t.a = u.k ORDER BY u.v'), [
    [2, 'deux'],
    [1, 'one'],
    [2, 'two'],
  ]);
  assert.deepEqual(await rows('SELECT t.a, u.v FROM t LEFT JOIN u ON t.a = u.k ORDER BY t.a, u.v'), [
    [1, 'one'],
    [2, 'deux'],
    [2, 'two'],
    [3, null],
    [5, null],
    [null, null],
  ]);
  assert.deepEqual(await rows('SELECT count(*) FROM t CROSS JOIN u'), [[20]]);
  assert.deepEqual(await rows('SELECT count(*) FROM t, u WHERE t.a = u.k'), [[3]]);
  assert.deepEqual(await rows("SELECT t.a, u.v FROM t JOIN u ON t.a = u.k AND u.v <> 'two'"), [
    [1, 'one'],
    [2, 'deux'],
  ]);
  assert.deepEqual(await rows('SELECT u.k, t.a FROM t RIGHT JOIN u ON t.a = u.k ORDER BY u.k, u.v'), [
    [1, 1],
    [2, 2],
    [2, 2],
    [9, null],
  ]);
  assert.deepEqual(await rows('SELECT x.k, y.k FROM u x JOIN u y ON x.k < y.k WHERE x.k = 1 ORDER BY y.k'), [
    [1, 2],
    [1, 2],
    [1, 9],
  ]);
});

test('query.timestamps', async () => {
  assert.deepEqual(await columns('SELECT ts FROM ts_table'), ['ts:Timestamp<MILLISECOND>']);
  assert.deepEqual(await rows("SELECT cpu FROM ts_table WHERE ts >= '1970-01-01 01:00:00' ORDER BY ts"), [[30], [40]]);
  assert.deepEqual(await rows("SELECT cpu FROM ts_table WHERE ts < TIMESTAMP '1970-01-01 00:00:02'"), [[10]]);
});

test('query.errors', async () => {
  await rejects(
    'SELECT x FROM t',
    ErrorCode.PlanQuery,
    'Failed to plan SQL: No field named x. Valid fields are t.a, t.b, t.s, t.f.',
  );
  await rejects(
    'SELECT q.a FROM t',
    ErrorCode.PlanQuery,
    'Failed to plan SQL: No field named q.a. Valid fields are t.a, t.b, t.s, t.f.',
  );
  await rejects(
    'SELECT * FROM nope',
    ErrorCode.TableNotFound,
    'Failed to plan SQL: Table not found: greptime.public.nope',
  );
  await rejects(
    'SELECT * FROM db.nope',
    ErrorCode.TableNotFound,
    'Failed to plan SQL: Table not found: greptime.db.nope',
  );
  await rejects(
    "SELECT 'a' + 1",
    ErrorCode.PlanQuery,
    'Failed to plan SQL: Error during planning: Cannot coerce arithmetic expression Utf8 + Int64 to valid types',
  );
  await rejects('SELECT a FROM t WHERE a', ErrorCode.PlanQuery, /non-boolean predicate/);
  await rejects(
    'SELECT nofn(1)',
    ErrorCode.PlanQuery,
    "Failed to plan SQL: Error during planning: Invalid function 'nofn'.",
  );
  await rejects(
    "SELECT abs('x')",
    ErrorCode.PlanQuery,
    "Failed to plan SQL: Error during planning: No function matches the given name and argument types 'abs(Utf8)'. You might need to add explicit type casts.",
  );
  await rejects(
    'SELECT a, b FROM t GROUP BY a',
    ErrorCode.PlanQuery,
    /Projection references non-aggregate values: Expression t.b/,
  );
  await rejects(
    'SELECT a FROM t ORDER BY 3',
    ErrorCode.PlanQuery,
    'Failed to plan SQL: Error during planning: Order by column out of bounds, specified: 3, max: 1',
  );
  await rejects(
    'SELECT DISTINCT s FROM t ORDER BY a',
    ErrorCode.PlanQuery,
    /For SELECT DISTINCT, ORDER BY expressions t.a must appear in select list/,
  );
  await rejects(
    'SELECT 1 UNION SELECT 1, 2',
    ErrorCode.PlanQuery,
    'Failed to plan SQL: Error during planning: UNION queries have different number of columns',
  );
  await rejects(
    'WITH c AS (SELECT 1), c AS (SELECT 2) SELECT * FROM c',
    ErrorCode.PlanQuery,
    'Failed to plan SQL: Error during planning: WITH query name "c" specified more than once',
  );
  await rejects('SELECT a, a FROM t', ErrorCode.PlanQuery, /Projections require unique expression names/);
  await rejects('SELECT a / 0 FROM t', ErrorCode.EngineExecuteQuery, 'Arrow error: Divide by zero error');
  await rejects(
    "SELECT CAST('x' AS INT)",
    ErrorCode.EngineExecuteQuery,
    "Cast error: Cannot cast string 'x' to value of Int32 type",
  );
  await rejects(
    'SELECT count(*) FROM t WHERE sum(a) > 1',
    ErrorCode.PlanQuery,
    /Aggregate functions are not allowed in the WHERE clause/,
  );
});

test('query.memory-budget', async () => {
  await assert.rejects(
    () => executeQuery('SELECT x.a FROM t x, t y, t z, t w ORDER BY x.a', catalog, { memoryLimit: 2000 }),
    (error: { code: number; message: string }) => {
      assert.equal(error.code, ErrorCode.EngineExecuteQuery);
      assert.match(error.message, /^Resources exhausted: Failed to allocate additional \d+ bytes for \w+Exec/);
      return true;
    },
  );
});

test('query.stream-is-lazy-and-errors-travel-in-it', async () => {
  // Planning errors throw at once; execution errors come out of the stream.
  const { batches } = streamQuery('SELECT a / 0 FROM t', catalog);
  const iterator = batches[Symbol.asyncIterator]();
  await assert.rejects(() => iterator.next(), /Divide by zero/);
});

test('query.natural-join', async () => {
  assert.deepEqual(await rows('SELECT t.a, x.v FROM t NATURAL JOIN (SELECT k AS a, v FROM u) AS x ORDER BY t.a, x.v'), [
    [1, 'one'],
    [2, 'deux'],
    [2, 'two'],
  ]);
});
