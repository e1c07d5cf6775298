/** hll / hll_merge / hll_count: exact while small, a close estimate past the sparse limit, states merge. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery } from '../execute-query.ts';
import { MemoryCatalog, memoryTable } from '../memory-table.ts';
import { resultRows } from '../result-rows.ts';
import { testCatalog } from '../test-catalog.ts';

async function rows(sql: string, catalog = testCatalog()): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

test('hll.small-counts-are-exact', async () => {
  // NULLs are not counted; t.s has x, y, x, NULL, Z.
  assert.deepEqual(await rows('SELECT hll_count(hll(s)), hll_count(hll(a)) FROM t'), [[3, 4]]);
  assert.deepEqual(await rows('SELECT k, hll_count(hll(v)) FROM u GROUP BY k ORDER BY k'), [
    [1, 1],
    [2, 2],
    [9, 1],
  ]);
  assert.deepEqual(
    await rows('SELECT hll_count(hll_merge(st)) FROM (SELECT hll(s) AS st FROM t UNION ALL SELECT hll(v) FROM u)'),
    [[7]],
  );
  assert.deepEqual(await rows('SELECT hll_count(NULL)'), [[null]]);
});

test('hll.estimates-large-counts', async () => {
  const values = Array.from({ length: 60_000 }, (_, i) => `value-${i % 30_000}`);
  const catalog = new MemoryCatalog().register('big', memoryTable([{ name: 'x', type: 'Utf8', values }]));
  const [[estimate]] = (await rows('SELECT hll_count(hll(x)) FROM big', catalog)) as number[][];
  assert.ok(Math.abs(estimate - 30_000) < 30_000 * 0.03, `estimate ${estimate} for 30000`);
  const [[merged]] = (await rows(
    'SELECT hll_count(hll_merge(st)) FROM (SELECT hll(x) AS st FROM big UNION ALL SELECT hll(x) FROM big)',
    catalog,
  )) as number[][];
  assert.equal(merged, estimate);
  await assert.rejects(() => rows("SELECT hll_count(X'0102')"), /deserialize HyperLogLogPlus/);
});
