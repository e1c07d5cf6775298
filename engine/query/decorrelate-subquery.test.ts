/** Correlated subqueries: decorrelated into LEFT joins (decorrelate-subquery.ts), NULL semantics of IN kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery } from './execute-query.ts';
import { resultRows } from './result-rows.ts';
import { testCatalog } from './test-catalog.ts';

const catalog = testCatalog();

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

test('correlated.exists-and-not-exists', async () => {
  assert.deepEqual(await rows('SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.a) ORDER BY a'), [[1], [2]]);
  // Unqualified names resolve in the subquery first, then in the enclosing query.
  assert.deepEqual(await rows('SELECT a FROM t WHERE NOT EXISTS (SELECT * FROM u WHERE k = a) ORDER BY a'), [
    [3],
    [5],
    [null],
  ]);
  // Inside OR, with LIMIT 1 (EXISTS needs one row), and with an uncorrelated conjunct.
  assert.deepEqual(
    await rows(
      "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.a AND u.v = 'deux' LIMIT 1) OR b < 0 ORDER BY a",
    ),
    [[2], [5]],
  );
  // Each outer row appears once although u has two rows for k = 2.
  assert.deepEqual(await rows('SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.a)'), [[2]]);
});

test('correlated.scalar-aggregate', async () => {
  assert.deepEqual(await rows('SELECT a, (SELECT count(*) FROM u WHERE u.k = t.a) AS n FROM t ORDER BY a'), [
    [1, 1],
    [2, 2],
    [3, 0],
    [5, 0],
    [null, 0],
  ]);
  assert.deepEqual(await rows('SELECT a, (SELECT sum(k) FROM u WHERE u.k = t.a) AS n FROM t ORDER BY a'), [
    [1, 1],
    [2, 4],
    [3, null],
    [5, null],
    [null, null],
  ]);
  assert.deepEqual(await rows('SELECT a FROM t WHERE a > (SELECT count(*) FROM u WHERE u.k = t.a) ORDER BY a'), [
    [3],
    [5],
  ]);
  // The column keeps the name of the subquery expression.
  const result = await executeQuery('SELECT (SELECT max(v) FROM u WHERE u.k = t.a) FROM t', catalog);
  assert.equal(result.schema.fields[0].name, '(<subquery>)');
});

test('correlated.in-with-nulls', async () => {
  assert.deepEqual(await rows("SELECT a FROM t WHERE 'two' IN (SELECT v FROM u WHERE u.k = t.a)"), [[2]]);
  // NOT IN over the empty set is TRUE, also for a NULL operand.
  assert.deepEqual(await rows('SELECT a, s NOT IN (SELECT v FROM u WHERE u.k = t.a) FROM t ORDER BY a'), [
    [1, true],
    [2, true],
    [3, true],
    [5, true],
    [null, true],
  ]);
  // A NULL operand against a non-empty set is NULL, in and out.
  assert.deepEqual(await rows('SELECT a, NULL IN (SELECT v FROM u WHERE u.k = t.a) FROM t ORDER BY a'), [
    [1, null],
    [2, null],
    [3, false],
    [5, false],
    [null, false],
  ]);
});

test('correlated.unsupported-forms-are-errors', async () => {
  await assert.rejects(
    () => rows('SELECT a, (SELECT v FROM u WHERE u.k = t.a) FROM t'),
    /Correlated scalar subquery must be aggregated/,
  );
  await assert.rejects(
    () => rows('SELECT a FROM t WHERE a = (SELECT min(k) FROM u WHERE u.k >= t.a)'),
    /not implemented: Correlated predicate u.k >= t.a/,
  );
});
