/** Named windows (WINDOW w AS ...), frames starting at CURRENT ROW, INTERVAL RANGE offsets, and DISTINCT ON. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery } from './execute-query.ts';
import { resultRows } from './result-rows.ts';
import { testCatalog } from './test-catalog.ts';

const catalog = testCatalog();

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

test('window.frame-from-current-row', async () => {
  assert.deepEqual(
    await rows('SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) FROM t ORDER BY a'),
    [
      [1, 3],
      [2, 5],
      [3, 8],
      [5, 5],
      [null, null],
    ],
  );
});

test('window.named-windows', async () => {
  assert.deepEqual(
    await rows(
      'SELECT a, sum(a) OVER w, count(a) OVER (w ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) FROM t WINDOW w AS (ORDER BY a) ORDER BY a',
    ),
    [
      [1, 1, 2],
      [2, 3, 2],
      [3, 6, 2],
      [5, 11, 1],
      [null, 11, 0],
    ],
  );
  await assert.rejects(() => rows('SELECT sum(a) OVER nope FROM t'), /window nope is not defined/);
});

test('window.interval-range-offset', async () => {
  assert.deepEqual(
    await rows(
      "SELECT host, sum(cpu) OVER (PARTITION BY host ORDER BY ts RANGE INTERVAL '1 hour' PRECEDING) FROM ts_table ORDER BY host, ts",
    ),
    [
      ['h1', 10],
      ['h1', 40],
      ['h2', 20],
      ['h2', 40],
    ],
  );
});

test('select.distinct-on', async () => {
  assert.deepEqual(await rows('SELECT DISTINCT ON (s) s, a, b FROM t ORDER BY s, a DESC'), [
    ['Z', 5, -2],
    ['x', 3, 3.5],
    ['y', 2, null],
    [null, null, 4.5],
  ]);
  assert.deepEqual(await rows('SELECT DISTINCT ON (k) k, v AS name FROM u ORDER BY k, v'), [
    [1, 'one'],
    [2, 'deux'],
    [9, 'nine'],
  ]);
  await assert.rejects(
    () => rows('SELECT DISTINCT ON (s) s, a FROM t ORDER BY a'),
    /DISTINCT ON expressions must match initial ORDER BY/,
  );
});
