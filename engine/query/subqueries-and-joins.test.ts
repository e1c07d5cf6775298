/** Uncorrelated subqueries, FULL joins, USING / NATURAL column handling and IS [NOT] DISTINCT FROM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery } from './execute-query.ts';
import { resultRows } from './result-rows.ts';
import { testCatalog } from './test-catalog.ts';

const catalog = testCatalog();

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

test('subquery.scalar-in-exists', async () => {
  assert.deepEqual(await rows('SELECT a FROM t WHERE a = (SELECT max(k) FROM u WHERE k < 5)'), [[2]]);
  assert.deepEqual(
    await rows('SELECT (SELECT k FROM u ORDER BY k OFFSET 3) AS x, (SELECT k FROM u WHERE k > 100) AS y'),
    [[9, null]],
  );
  assert.deepEqual(await rows('SELECT a FROM t WHERE a IN (SELECT k FROM u) ORDER BY a'), [[1], [2]]);
  assert.deepEqual(await rows('SELECT a FROM t WHERE a NOT IN (SELECT k FROM u) ORDER BY a'), [[3], [5]]);
  assert.deepEqual(await rows('SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE k = 9)'), [[5]]);
  assert.deepEqual(await rows('SELECT count(*) FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE k = 9)'), [[0]]);
  assert.deepEqual(
    await rows('WITH c AS (SELECT a AS j FROM t) SELECT j FROM c WHERE j = (SELECT max(j) FROM c AS c2)'),
    [[5]],
  );
  await assert.rejects(() => rows('SELECT (SELECT k FROM u) AS x'), /more than one row/);
});

test('join.full', async () => {
  assert.deepEqual(await rows('SELECT t.a, u.k FROM t FULL JOIN u ON t.a = u.k ORDER BY t.a, u.k'), [
    [1, 1],
    [2, 2],
    [2, 2],
    [3, null],
    [5, null],
    [null, 9],
    [null, null],
  ]);
});

test('join.using-columns-once (the column of the first relation by name is kept)', async () => {
  const result = await executeQuery(
    'SELECT * FROM (SELECT a AS k, s FROM t) AS l JOIN u USING (k) ORDER BY v',
    catalog,
  );
  assert.deepEqual(
    result.schema.fields.map((field) => field.name),
    ['k', 's', 'v'],
  );
  assert.deepEqual(await rows('SELECT k FROM (SELECT a AS k FROM t) AS l JOIN u USING (k) ORDER BY k'), [
    [1],
    [2],
    [2],
  ]);
});

test('expr.is-not-distinct-from', async () => {
  assert.deepEqual(
    await rows(
      'SELECT NULL IS NOT DISTINCT FROM NULL, 1 IS DISTINCT FROM NULL, 1 IS NOT DISTINCT FROM 1, 1 IS DISTINCT FROM 1',
    ),
    [[true, true, true, false]],
  );
});

test('setops.intersect-except (distinct, NULLs equal)', async () => {
  assert.deepEqual(await rows('SELECT k FROM u INTERSECT SELECT a FROM t ORDER BY k'), [[1], [2]]);
  assert.deepEqual(await rows('SELECT a FROM t EXCEPT SELECT k FROM u ORDER BY a'), [[3], [5], [null]]);
  assert.deepEqual(await rows('SELECT NULL INTERSECT SELECT NULL'), [[null]]);
  assert.deepEqual(await rows('SELECT NULL EXCEPT SELECT NULL'), []);
  assert.deepEqual(await rows("SELECT 1 UNION ALL SELECT 'asdf'"), [['1'], ['asdf']]);
});

test('expr.bitwise-operators-and-integer-wrapping', async () => {
  assert.deepEqual(await rows('SELECT 2^2 + 1, 2*3^2, 6 & 3, 6 | 3, 1 << 4, -16 >> 2'), [[1, 4, 2, 7, 16, -4]]);
  assert.deepEqual(
    await rows('SELECT 100::TINYINT + 50::TINYINT, 30000::SMALLINT + 5000::SMALLINT, 2147483640::INT + 5000::INT'),
    [[-106, -30536, -2147478656]],
  );
  assert.deepEqual(await rows('SELECT a FROM t ORDER BY a LIMIT 3 - 1'), [[1], [2]]);
});
