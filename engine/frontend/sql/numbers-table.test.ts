import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCatalog, executeQuery, resultRows } from '../../query/index.ts';
import { numbersTable } from './numbers-table.ts';

const catalog = new MemoryCatalog().register('numbers', numbersTable());
const rows = async (sql: string) => resultRows((await executeQuery(sql, catalog)).batches);

test('numbers: 100 rows by default, as many as a pushed-down LIMIT asks for', async () => {
  assert.deepEqual(await rows('SELECT count(*), min(number), max(number) FROM numbers'), [[100, 0, 99]]);
  const limited = await rows('SELECT number FROM numbers LIMIT 20000');
  assert.equal(limited.length, 20000);
  assert.deepEqual(limited[19999], [19999]);
  assert.deepEqual(await rows('SELECT number FROM numbers WHERE number > 97'), [[98], [99]]);
});
