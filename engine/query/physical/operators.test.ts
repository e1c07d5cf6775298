import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode } from '../../common/index.ts';
import { executeQuery, streamQuery } from '../execute-query.ts';
import { MemoryCatalog, memoryTable } from '../memory-table.ts';
import type { MemoryTable } from '../memory-table.ts';
import { resultRows } from '../result-rows.ts';
import type { ScanRequest, TableProvider, TableSchema } from '../table-provider.ts';

/** A table that counts the batches pulled from it and records the requests. */
class CountingTable implements TableProvider {
  pulled = 0;
  requests: ScanRequest[] = [];
  readonly #inner: MemoryTable;
  readonly schema: TableSchema;

  constructor(inner: MemoryTable) {
    this.#inner = inner;
    this.schema = inner.schema;
  }

  async *scan(request: ScanRequest): AsyncIterable<RecordBatch> {
    this.requests.push(request);
    for await (const batch of this.#inner.scan(request)) {
      this.pulled++;
      yield batch;
    }
  }
}

function counting(rows: number, batchSize: number): CountingTable {
  return new CountingTable(
    memoryTable(
      [
        { name: 'n', type: 'Int64', values: Array.from({ length: rows }, (_, i) => (i * 7919) % rows) },
        { name: 'g', type: 'Utf8', values: Array.from({ length: rows }, (_, i) => `g${i % 7}`) },
      ],
      { batchSize },
    ),
  );
}

test('operators.no-work-before-first-pull', async () => {
  const table = counting(100, 10);
  const { batches } = streamQuery('SELECT n FROM t ORDER BY n', new MemoryCatalog().register('t', table));
  assert.equal(table.requests.length, 0);
  for await (const _ of batches) break;
  assert.equal(table.requests.length, 1);
});

test('operators.limit-stops-pulling', async () => {
  const table = counting(1000, 10);
  const catalog = new MemoryCatalog().register('t', table);
  const result = await executeQuery('SELECT n FROM t WHERE n >= 0 LIMIT 15', catalog);
  assert.equal(resultRows(result.batches).length, 15);
  assert.equal(table.pulled, 2);
  // Without filters the limit reaches the provider.
  await executeQuery('SELECT n FROM t LIMIT 15', catalog);
  assert.equal(table.requests[1].limit, 15);
  assert.deepEqual(table.requests[1].projection, [0]);
});

test('operators.filters-reach-the-provider-unqualified', async () => {
  const table = counting(10, 10);
  await executeQuery("SELECT n FROM t AS x WHERE x.g = 'g1'", new MemoryCatalog().register('t', table));
  assert.equal(table.requests[0].filters.length, 1);
  assert.deepEqual(table.requests[0].filters[0], {
    kind: 'binary',
    op: '=',
    left: { kind: 'column', relation: null, name: 'g' },
    right: { kind: 'literal', type: 'Utf8', value: 'g1' },
  });
});

test('operators.top-k-matches-full-sort', async () => {
  const table = counting(5000, 100);
  const catalog = new MemoryCatalog().register('t', table);
  const full = resultRows(
    (await executeQuery('SELECT n, g FROM t ORDER BY g DESC, n', catalog, { batchSize: 64 })).batches,
  );
  const top = resultRows(
    (await executeQuery('SELECT n, g FROM t ORDER BY g DESC, n LIMIT 70 OFFSET 5', catalog, { batchSize: 64 })).batches,
  );
  assert.deepEqual(top, full.slice(5, 75));
  assert.equal(full.length, 5000);
});

test('operators.hash-aggregate-many-groups-across-batches', async () => {
  const table = counting(5000, 333);
  const catalog = new MemoryCatalog().register('t', table);
  const rows = resultRows(
    (
      await executeQuery(
        'SELECT g, count(*), count(DISTINCT n % 10), min(n), max(n) FROM t GROUP BY g ORDER BY g',
        catalog,
      )
    ).batches,
  );
  assert.equal(rows.length, 7);
  assert.equal(
    rows.reduce((sum, row) => sum + (row[1] as number), 0),
    5000,
  );
  assert.deepEqual(
    rows.map((row) => row[2]),
    [10, 10, 10, 10, 10, 10, 10],
  );
});

test('operators.memory-budget-covers-aggregates', async () => {
  const table = counting(20000, 1000);
  await assert.rejects(
    () =>
      executeQuery('SELECT n, count(*) FROM t GROUP BY n', new MemoryCatalog().register('t', table), {
        memoryLimit: 100_000,
      }),
    (error: { code: number; message: string }) =>
      error.code === ErrorCode.EngineExecuteQuery && /Resources exhausted.*HashAggregateExec/.test(error.message),
  );
});

test('operators.top-k-with-nulls', async () => {
  const values = Array.from({ length: 3000 }, (_, i) => (i % 11 === 0 ? null : (i * 37) % 101));
  const catalog = new MemoryCatalog().register(
    't',
    memoryTable([{ name: 'x', type: 'Float64', values }], { batchSize: 50 }),
  );
  for (const order of ['x ASC NULLS FIRST', 'x ASC NULLS LAST', 'x DESC NULLS FIRST', 'x DESC NULLS LAST']) {
    const full = resultRows(
      (await executeQuery(`SELECT x FROM t ORDER BY ${order}`, catalog, { batchSize: 64 })).batches,
    );
    const top = resultRows(
      (await executeQuery(`SELECT x FROM t ORDER BY ${order} LIMIT 300`, catalog, { batchSize: 64 })).batches,
    );
    assert.deepEqual(top, full.slice(0, 300), order);
  }
});
