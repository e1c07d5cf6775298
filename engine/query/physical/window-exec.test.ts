import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery } from '../execute-query.ts';
import { resultRows } from '../result-rows.ts';
import { testCatalog } from '../test-catalog.ts';

const catalog = testCatalog();

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

test('window.ranking-and-running-sum', async () => {
  assert.deepEqual(
    await rows(
      'SELECT s, a, sum(a) OVER (PARTITION BY s ORDER BY a) AS r, rank() OVER (PARTITION BY s ORDER BY a) AS k FROM t ORDER BY s, a',
    ),
    [
      ['Z', 5, 5, 1],
      ['x', 1, 1, 1],
      ['x', 3, 4, 2],
      ['y', 2, 2, 1],
      [null, null, null, 1],
    ],
  );
  assert.deepEqual(await rows('SELECT a, row_number() OVER (ORDER BY a DESC) AS n FROM t ORDER BY a'), [
    [1, 5],
    [2, 4],
    [3, 3],
    [5, 2],
    [null, 1],
  ]);
});

test('window.frames-and-offsets', async () => {
  assert.deepEqual(await rows('SELECT a, sum(a) OVER () AS total FROM t WHERE a < 3'), [
    [1, 3],
    [2, 3],
  ]);
  assert.deepEqual(
    await rows(
      'SELECT a, avg(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS m, lag(a) OVER (ORDER BY a) AS p FROM t WHERE a IS NOT NULL ORDER BY a',
    ),
    [
      [1, 1.5, null],
      [2, 2, 1],
      [3, 10 / 3, 2],
      [5, 4, 3],
    ],
  );
});

test('window.over-aggregate', async () => {
  assert.deepEqual(
    await rows('SELECT s, dense_rank() OVER (ORDER BY count(*) DESC) AS d FROM t GROUP BY s ORDER BY s'),
    [
      ['Z', 2],
      ['x', 1],
      ['y', 2],
      [null, 2],
    ],
  );
});
