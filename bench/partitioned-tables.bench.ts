/**
 * Partitioned tables end to end on a real 3-datanode cluster (`startLocalCluster`): rows/s
 * written by SQL INSERT into a 3-region table against a 1-region table, and an aggregate over
 * 1M rows read from 3 regions at once against 1 region.
 *
 *   node --import tsx bench/partitioned-tables.bench.ts
 *
 * Rows: 1,000 hosts × 1,000 points (10 s apart), columns hostname (tag, partition column),
 * ts, usage_user, usage_system; inserted in statements of 5,000 rows, 2 at a time.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startLocalCluster } from '../engine/cluster/index.ts';
import type { LocalCluster } from '../engine/cluster/index.ts';
import { createLogger } from '../engine/common/index.ts';
import type { BenchResult } from './bench-result.ts';

// Datanode processes inherit the environment: keep their logs to warnings and errors.
process.env.TESSERA_LOG_LEVEL ??= 'warn';
import { seededRandom } from './tsbs-cpu.ts';

const HOSTS = 1000;
const POINTS = 1000;
const ROWS_PER_STATEMENT = 5000;
const WRITERS = 2;

async function sql(cluster: LocalCluster, text: string): Promise<unknown> {
  const response = await fetch(`${cluster.httpUrl}/v1/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql: text }),
  });
  const body = (await response.json()) as { error?: string };
  if (response.status !== 200) throw new Error(`${text.slice(0, 80)}: ${body.error}`);
  return body;
}

/** Statement texts, host-major within each time slice, as a collector would batch them. */
function insertStatements(table: string): string[] {
  const random = seededRandom(42);
  const statements: string[] = [];
  let values: string[] = [];
  for (let point = 0; point < POINTS; point++) {
    for (let host = 0; host < HOSTS; host++) {
      values.push(
        `('host_${String(host).padStart(4, '0')}', ${point * 10_000}, ${(random() * 100).toFixed(2)}, ${(random() * 100).toFixed(2)})`,
      );
      if (values.length === ROWS_PER_STATEMENT) {
        statements.push(`INSERT INTO ${table} VALUES ${values.join(',')}`);
        values = [];
      }
    }
  }
  if (values.length > 0) statements.push(`INSERT INTO ${table} VALUES ${values.join(',')}`);
  return statements;
}

async function timeWrites(cluster: LocalCluster, table: string): Promise<number> {
  const statements = insertStatements(table);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < statements.length) await sql(cluster, statements[next++]!);
    }),
  );
  return (performance.now() - start) / 1000;
}

async function bestOf(runs: number, body: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    best = Math.min(best, performance.now() - start);
  }
  return best / 1000;
}

export async function run(): Promise<BenchResult[]> {
  const dataHome = await mkdtemp(join(tmpdir(), 'tessera-bench-partitioned-'));
  const cluster = await startLocalCluster({
    dataHome,
    datanodes: 3,
    httpAddr: '127.0.0.1:0',
    logger: createLogger({ role: 'bench', level: 'error' }),
  });
  const rows = HOSTS * POINTS;
  const results: BenchResult[] = [];
  try {
    const columns =
      'hostname STRING, ts TIMESTAMP TIME INDEX, usage_user DOUBLE, usage_system DOUBLE, PRIMARY KEY (hostname)';
    await sql(cluster, `CREATE TABLE cpu_1 (${columns})`);
    await sql(
      cluster,
      `CREATE TABLE cpu_3 (${columns}) PARTITION ON COLUMNS (hostname) (hostname < 'host_0333', hostname >= 'host_0333' AND hostname < 'host_0666', hostname >= 'host_0666')`,
    );
    for (const table of ['cpu_1', 'cpu_3']) {
      const seconds = await timeWrites(cluster, table);
      results.push({
        name: `SQL INSERT into ${table === 'cpu_3' ? '3 regions' : '1 region'}`,
        value: rows / seconds,
        unit: 'rows/s',
        note: `${rows.toLocaleString('en-US')} rows, ${ROWS_PER_STATEMENT} per statement, ${WRITERS} writers`,
      });
    }
    const aggregate = (table: string) =>
      `SELECT hostname, avg(usage_user), max(usage_system), count(*) FROM ${table} GROUP BY hostname`;
    for (const table of ['cpu_1', 'cpu_3']) {
      const seconds = await bestOf(3, () => sql(cluster, aggregate(table)));
      results.push({
        name: `GROUP BY aggregate, ${table === 'cpu_3' ? '3 regions' : '1 region'}`,
        value: rows / seconds,
        unit: 'rows/s',
        note: `1M rows, 1,000 groups (memtables: not flushed); ${(seconds * 1000).toFixed(0)} ms`,
      });
    }
    const prunedQuery = `SELECT hostname, avg(usage_user), count(*) FROM cpu_3 WHERE hostname < 'host_0100' GROUP BY hostname`;
    const pruned = await bestOf(3, () => sql(cluster, prunedQuery));
    results.push({
      name: 'aggregate with WHERE on the partition column, 3 regions',
      value: pruned * 1000,
      unit: 'ms',
      note: 'reads only the first region',
    });
  } finally {
    await cluster.stop();
    await rm(dataHome, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run())
    console.log(`${result.name}: ${result.value.toFixed(0)} ${result.unit}${result.note ? ` (${result.note})` : ''}`);
}
