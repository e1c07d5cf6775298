/** Lists: literals, make_array, string_to_array, array_to_string, lengths, subscripts, array_agg, Arrow round trip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { executeQuery } from '../execute-query.ts';
import { resultRows } from '../result-rows.ts';
import { testCatalog } from '../test-catalog.ts';
import { batchColumns, columnValue } from '../column.ts';

const catalog = testCatalog();

async function rows(sql: string): Promise<unknown[][]> {
  return resultRows((await executeQuery(sql, catalog)).batches);
}

test('list.literals-and-element-access', async () => {
  assert.deepEqual(await rows('SELECT [1, 2, 3], make_array(1.5, 2), [1, 2, 3][2], [1, 2][-1], [1, 2][5]'), [
    [[1, 2, 3], [1.5, 2], 2, 2, null],
  ]);
  assert.deepEqual(await rows("SELECT array_length(['a', NULL]), cardinality([1]), arrow_typeof([1, 2])"), [
    [2, 1, 'List(Int64)'],
  ]);
});

test('list.string-to-array-as-postgres', async () => {
  assert.deepEqual(
    await rows(
      "SELECT string_to_array('a b c', ' '), string_to_array('a b', NULL), string_to_array('', ','), string_to_array('hi', ''), string_to_array(',x,', ',')",
    ),
    [[['a', 'b', 'c'], ['a', ' ', 'b'], [], ['hi'], ['', 'x', '']]],
  );
  assert.deepEqual(await rows("SELECT string_to_array(NULL, ','), string_to_array('a,-,b', ',', '-')"), [
    [null, ['a', null, 'b']],
  ]);
  assert.deepEqual(await rows("SELECT array_to_string(['a', NULL, 'c'], '-'), array_to_string([1, NULL], ',', '*')"), [
    ['a-c', '1,*'],
  ]);
  const result = await executeQuery("SELECT s, string_to_array(s, 'x') FROM t WHERE a < 3 ORDER BY a", catalog);
  assert.equal(String(result.schema.fields[1].type), 'List<Utf8>');
  assert.deepEqual(resultRows(result.batches), [
    ['x', ['', '']],
    ['y', ['y']],
  ]);
});

test('list.array-agg', async () => {
  assert.deepEqual(await rows('SELECT array_agg(a), array_agg(s) FROM t'), [
    [
      [1, 2, 3, null, 5],
      ['x', 'y', 'x', null, 'Z'],
    ],
  ]);
  assert.deepEqual(await rows('SELECT s, array_agg(a ORDER BY a DESC) FROM t GROUP BY s ORDER BY s'), [
    ['Z', [5]],
    ['x', [3, 1]],
    ['y', [2]],
    [null, [null]],
  ]);
  assert.deepEqual(await rows('SELECT array_agg(a) FROM t WHERE a > 100'), [[null]]);
});

test('list.arrow-ipc-round-trip', async () => {
  const result = await executeQuery("SELECT string_to_array(s, 'x') AS l, [a, 7] AS n FROM t ORDER BY a", catalog);
  const table = tableFromIPC(tableToIPC(new Table(result.batches)));
  const chunk = batchColumns(table.batches[0]);
  assert.deepEqual(columnValue(chunk.columns[0], 0), ['', '']);
  assert.deepEqual(columnValue(chunk.columns[1], 4), [null, 7]);
  assert.equal(columnValue(chunk.columns[0], 4), null);
});
