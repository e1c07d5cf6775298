// The distributed split, checked by running it: a table cut into "regions" whose fragments
// run through remote-plan.ts serialization, against the same rows in one plain table.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordBatch } from 'apache-arrow';
import { executeQuery } from '../execute-query.ts';
import { MemoryCatalog, memoryTable } from '../memory-table.ts';
import type { MemoryColumn } from '../memory-table.ts';
import { createPhysicalPlan } from '../physical/create-physical-plan.ts';
import { MemoryPool } from '../physical/memory-pool.ts';
import { deserializeRemotePlan } from '../remote-plan.ts';
import { resultRows } from '../result-rows.ts';
import type { RemoteExecution, TableProvider } from '../table-provider.ts';

const HOSTS = ['a', 'b', 'c', 'd', 'e'];

function columns(rows: number[]): MemoryColumn[] {
  return [
    { name: 'host', type: 'Utf8', values: rows.map((i) => HOSTS[i % HOSTS.length]!) },
    { name: 'ts', type: 'Timestamp(Millisecond, None)', values: rows.map((i) => i * 1000) },
    { name: 'v', type: 'Float64', values: rows.map((i) => (i % 7 === 0 ? null : (i * 37) % 101)) },
    { name: 'n', type: 'Int64', values: rows.map((i) => i % 11) },
  ];
}

/** A table split into regions by row number; fragments run on each region's rows. */
function distributedTable(rowCount: number, regions: number): TableProvider {
  const all = Array.from({ length: rowCount }, (_, i) => i);
  const parts = Array.from({ length: regions }, (_, r) => memoryTable(columns(all.filter((i) => i % regions === r))));
  const whole = memoryTable(columns(all), { timeIndex: 'ts', tags: ['host'] });
  const remote: RemoteExecution = {
    async *execute(plan, _filters, signal, metrics) {
      for (const [index, part] of parts.entries()) {
        const fragment = deserializeRemotePlan(plan, () => part);
        let rows = 0;
        for await (const batch of createPhysicalPlan(fragment).execute({
          memory: new MemoryPool(),
          batchSize: 8192,
          signal,
        })) {
          rows += batch.numRows;
          yield batch as RecordBatch;
        }
        metrics?.push({ regionId: index, node: 'test', rows, batches: 1, elapsedMs: 0 });
      }
    },
    describeRegions: () => `regions=${regions}`,
  };
  return { schema: whole.schema, scan: (request) => whole.scan(request), remote };
}

const QUERIES = [
  'SELECT count(*), count(v), sum(v), min(v), max(v), avg(v), sum(n), avg(n) FROM t',
  'SELECT host, count(*), avg(v), min(n), max(ts) FROM t GROUP BY host ORDER BY host',
  "SELECT n, sum(v) FROM t WHERE host != 'c' GROUP BY n ORDER BY n",
  'SELECT DISTINCT host FROM t ORDER BY host',
  'SELECT count(DISTINCT n) FROM t',
  'SELECT host, ts, v FROM t ORDER BY v DESC NULLS LAST, ts LIMIT 5',
  'SELECT host, ts FROM t ORDER BY ts LIMIT 3 OFFSET 4',
  'SELECT host, v * 2 AS w FROM t WHERE v > 90 ORDER BY host, w',
  'SELECT count(*), avg(v) FROM t WHERE v > 1000',
  'SELECT host, count(*) FROM t WHERE v > 1000 GROUP BY host',
  // Literals JSON cannot spell (interval nanoseconds are bigints) travel in the fragment too.
  "SELECT date_bin(INTERVAL '20 seconds', ts) AS bucket, count(*), sum(n) FROM t GROUP BY bucket ORDER BY bucket",
  "SELECT count(*) FROM t WHERE ts > TIMESTAMP '1970-01-01 00:00:30' - INTERVAL '10 seconds'",
];

describe('dist_plan rule: the split answers as the unsplit table does', () => {
  for (const regions of [1, 3]) {
    for (const rowCount of [0, 100]) {
      test(`${regions} region(s), ${rowCount} rows`, async () => {
        const split = new MemoryCatalog().register('t', distributedTable(rowCount, regions));
        const plain = new MemoryCatalog().register(
          't',
          memoryTable(columns(Array.from({ length: rowCount }, (_, i) => i)), { timeIndex: 'ts', tags: ['host'] }),
        );
        for (const query of QUERIES) {
          const expected = resultRows((await executeQuery(query, plain)).batches);
          const actual = resultRows((await executeQuery(query, split)).batches);
          const round = (rows: unknown[][]) =>
            rows.map((row) => row.map((cell) => (typeof cell === 'number' ? Number(cell.toPrecision(12)) : cell)));
          const sorted = (rows: unknown[][]) =>
            /ORDER BY/.test(query) ? rows : [...rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
          assert.deepEqual(sorted(round(actual)), sorted(round(expected)), query);
        }
      });
    }
  }

  test('EXPLAIN shows the partial aggregate inside the MergeScan and the final one above', async () => {
    const catalog = new MemoryCatalog().register('t', distributedTable(10, 3));
    const { batches } = await executeQuery('EXPLAIN SELECT host, avg(v) FROM t GROUP BY host', catalog);
    const logical = String(resultRows(batches)[0]![1]);
    assert.match(logical, /Aggregate: groupBy=\[\[t\.host\]\], aggr=\[\[sum\(__partial_0\), sum\(__partial_1\)\]\]/);
    assert.match(
      logical,
      /MergeScan regions=3\n\s+Aggregate: groupBy=\[\[t\.host\]\], aggr=\[\[sum\(t\.v\), count\(t\.v\)\]\]/,
    );
  });
});
