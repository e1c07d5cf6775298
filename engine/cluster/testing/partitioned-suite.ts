/**
 * The partitioned-table suite, run by partitioned-tables.test.ts (embedded metadata) and
 * partitioned-tables-etcd.test.ts (etcd): on a real 3-datanode cluster, regions spread over
 * datanodes, rows split by the rule, a differential battery (every query must answer on the
 * partitioned table what it answers on an unpartitioned copy of the same rows), EXPLAIN and
 * EXPLAIN ANALYZE of the distributed plan, refused rules, and everything back after a restart.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import { createLogger } from '../../common/index.ts';
import { RpcClient, getTable } from '../../rpc/index.ts';
import { startLocalCluster } from '../local-cluster.ts';
import type { LocalCluster, LocalClusterOptions } from '../local-cluster.ts';
import { postSql, sqlAffected, sqlRows } from './sql-over-http.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';

const sql = (cluster: LocalCluster, text: string) => postSql(cluster.httpUrl, text);
const rows = (cluster: LocalCluster, text: string) => sqlRows(cluster.httpUrl, text);
const affected = (cluster: LocalCluster, text: string) => sqlAffected(cluster.httpUrl, text);

const HOSTS = Array.from({ length: 10 }, (_, i) => `host_${i}`);
const COLUMNS = 'host STRING, dc STRING, ts TIMESTAMP TIME INDEX, cpu DOUBLE, mem BIGINT, PRIMARY KEY (host, dc)';

/** 10 hosts × 40 points, deterministic values, some NULL cpu readings. */
function insertValues(): string {
  const values: string[] = [];
  HOSTS.forEach((host, h) => {
    for (let i = 0; i < 40; i++) {
      const cpu = (h * 7 + i * 13) % 17 === 0 ? 'NULL' : String(((h * 31 + i * 17) % 1000) / 10);
      values.push(`('${host}', 'dc_${h % 3}', ${i * 10_000}, ${cpu}, ${(h + 1) * 1000 + i * 3})`);
    }
  });
  return values.join(', ');
}

/**
 * The battery: `{t}` is the table under test. Queries with a total ORDER BY compare in order;
 * the others as multisets (SQL leaves their order open).
 */
const BATTERY: string[] = [
  'SELECT count(*) FROM {t}',
  'SELECT count(cpu), count(DISTINCT host), count(DISTINCT dc) FROM {t}',
  'SELECT sum(cpu), min(cpu), max(cpu), sum(mem) FROM {t}',
  'SELECT avg(cpu), avg(mem) FROM {t}',
  'SELECT host, count(*), sum(cpu), avg(cpu), min(mem), max(mem) FROM {t} GROUP BY host ORDER BY host',
  'SELECT dc, count(*), avg(cpu) FROM {t} GROUP BY dc ORDER BY dc',
  'SELECT dc, count(DISTINCT host) FROM {t} GROUP BY dc ORDER BY dc',
  'SELECT host, dc, max(cpu) FROM {t} GROUP BY host, dc ORDER BY host, dc',
  'SELECT host, count(*) AS n FROM {t} GROUP BY host HAVING sum(cpu) > 1800 ORDER BY host',
  "SELECT date_bin(INTERVAL '1 minute', ts) AS minute, count(*), avg(cpu) FROM {t} GROUP BY minute ORDER BY minute",
  "SELECT host, date_bin(INTERVAL '2 minutes', ts) AS bucket, max(cpu) FROM {t} GROUP BY host, bucket ORDER BY host, bucket",
  "SELECT date_trunc('minute', ts) AS m, sum(mem) FROM {t} GROUP BY m ORDER BY m",
  'SELECT host, ts, cpu FROM {t} ORDER BY cpu DESC NULLS LAST, host, ts LIMIT 7',
  'SELECT host, ts, mem FROM {t} ORDER BY mem, host LIMIT 5 OFFSET 3',
  'SELECT host, ts FROM {t} ORDER BY ts DESC, host DESC LIMIT 12',
  'SELECT * FROM {t} ORDER BY host, ts LIMIT 20',
  'SELECT DISTINCT host FROM {t} ORDER BY host',
  'SELECT DISTINCT dc FROM {t}',
  "SELECT count(*) FROM {t} WHERE host = 'host_4'",
  "SELECT count(*), sum(cpu) FROM {t} WHERE host IN ('host_1', 'host_5', 'host_9')",
  "SELECT host, count(*) FROM {t} WHERE host < 'host_3' GROUP BY host ORDER BY host",
  "SELECT host, max(mem) FROM {t} WHERE host >= 'host_3' AND host < 'host_7' GROUP BY host ORDER BY host",
  "SELECT count(*) FROM {t} WHERE host > 'host_8' OR host = 'host_0'",
  "SELECT count(*) FROM {t} WHERE host BETWEEN 'host_2' AND 'host_6'",
  "SELECT count(*) FROM {t} WHERE host != 'host_2'",
  "SELECT count(*) FROM {t} WHERE host NOT IN ('host_2', 'host_3')",
  "SELECT count(*) FROM {t} WHERE host LIKE 'host_1%'",
  'SELECT count(*) FROM {t} WHERE cpu > 50',
  'SELECT count(*) FROM {t} WHERE cpu IS NULL',
  'SELECT host, count(*) FROM {t} WHERE cpu IS NOT NULL GROUP BY host ORDER BY host',
  'SELECT count(*) FROM {t} WHERE ts >= 100000 AND ts < 200000',
  "SELECT host, sum(cpu) FROM {t} WHERE ts > '1970-01-01 00:03:00' GROUP BY host ORDER BY host",
  "SELECT count(*) FROM {t} WHERE host = 'host_7' AND ts < 50000",
  "SELECT count(*) FROM {t} WHERE host = 'nope'",
  'SELECT host, cpu * 2 + 1 AS x FROM {t} WHERE mem % 7 = 0 ORDER BY host, x',
  'SELECT upper(host), length(dc) FROM {t} WHERE mem < 1010',
  "SELECT CASE WHEN cpu > 50 THEN 'hot' ELSE 'cool' END AS state, count(*) FROM {t} GROUP BY state ORDER BY state",
  'SELECT coalesce(cpu, -1) AS c, count(*) FROM {t} GROUP BY c ORDER BY c LIMIT 10',
  'SELECT host, row_number() OVER (PARTITION BY host ORDER BY ts) AS rn, ts FROM {t} WHERE ts < 30000 ORDER BY host, rn',
  'SELECT host, ts, rank() OVER (PARTITION BY dc ORDER BY mem DESC) AS r FROM {t} WHERE ts = 0 ORDER BY host',
  'SELECT host, ts, sum(mem) OVER (PARTITION BY host ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s FROM {t} WHERE ts < 60000 ORDER BY host, ts',
  'SELECT host, ts, lag(cpu) OVER (PARTITION BY host ORDER BY ts) AS prev FROM {t} WHERE ts < 40000 ORDER BY host, ts',
  'SELECT host, avg(cpu) OVER (PARTITION BY dc) AS a FROM {t} WHERE ts = 10000 ORDER BY host',
  'SELECT a.host, a.ts, a.cpu, b.cpu FROM {t} a JOIN {t} b ON a.host = b.host AND a.ts = b.ts + 10000 WHERE a.ts < 40000 ORDER BY a.host, a.ts',
  'SELECT a.host, count(*) FROM {t} a JOIN {t} b ON a.dc = b.dc AND a.ts = b.ts WHERE a.ts = 0 GROUP BY a.host ORDER BY a.host',
  'SELECT a.host, b.n FROM (SELECT DISTINCT host FROM {t}) a LEFT JOIN (SELECT host, count(*) AS n FROM {t} WHERE cpu > 90 GROUP BY host) b ON a.host = b.host ORDER BY a.host',
  'SELECT host, total FROM (SELECT host, sum(mem) AS total FROM {t} GROUP BY host) s WHERE total > 45000 ORDER BY host',
  'SELECT max(n) FROM (SELECT host, count(*) AS n FROM {t} WHERE cpu > 20 GROUP BY host) s',
  'WITH hot AS (SELECT host, ts FROM {t} WHERE cpu > 80) SELECT host, count(*) FROM hot GROUP BY host ORDER BY host',
  'SELECT host FROM {t} WHERE ts = 0 UNION SELECT dc FROM {t} WHERE ts = 0',
  'SELECT host FROM {t} WHERE ts = 0 AND cpu > 30 UNION ALL SELECT host FROM {t} WHERE ts = 10000 AND cpu > 30',
  'SELECT count(*) FROM {t} WHERE host IN (SELECT host FROM {t} WHERE mem > 10100)',
  'SELECT host, mem FROM {t} WHERE mem = (SELECT max(mem) FROM {t})',
  'SELECT host, min(ts), max(ts) FROM {t} GROUP BY host ORDER BY host',
  "SELECT count(*) FROM {t} WHERE host = 'host_3' OR cpu > 95",
  'SELECT stddev(cpu), var(mem), var_pop(cpu) FROM {t}',
];

/**
 * Same rows, floats within a relative 1e-9: the regions' batches arrive in a different order
 * than one region's, and floating-point sums depend on the order of addition.
 */
function sameRows(left: unknown[][], right: unknown[][]): boolean {
  if (left.length !== right.length) return false;
  return left.every((row, i) => {
    const other = right[i]!;
    return (
      row.length === other.length &&
      row.every((cell, j) => {
        const peer = other[j];
        if (typeof cell === 'number' && typeof peer === 'number' && !Number.isInteger(cell)) {
          return Math.abs(cell - peer) <= 1e-9 * Math.max(1, Math.abs(cell), Math.abs(peer));
        }
        return JSON.stringify(cell) === JSON.stringify(peer);
      })
    );
  });
}

function canonical(query: string, result: unknown[][]): unknown[][] {
  if (/ORDER BY/i.test(query)) return result;
  return [...result].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Registers the suite; `store` is the metadata store URL (undefined: embedded). */
export function partitionedTableSuite(title: string, store: () => string | undefined): void {
  describe(title, () => {
    let dataHome: string;
    let cluster: LocalCluster;
    let options: LocalClusterOptions;

    before(async () => {
      dataHome = await mkdtemp(join(tmpdir(), 'tessera-partitioned-'));
      const url = store();
      options = { dataHome, datanodes: 3, httpAddr: '127.0.0.1:0', logger: quiet, ...(url ? { store: url } : {}) };
      cluster = await startLocalCluster(options);
      await affected(
        cluster,
        `CREATE TABLE cpu_p (${COLUMNS}) PARTITION ON COLUMNS (host) (host < 'host_3', host >= 'host_3' AND host < 'host_7', host >= 'host_7')`,
      );
      await affected(cluster, `CREATE TABLE cpu_u (${COLUMNS})`);
      for (const table of ['cpu_p', 'cpu_u']) {
        assert.equal(await affected(cluster, `INSERT INTO ${table} VALUES ${insertValues()}`), 400);
      }
    });

    after(async () => {
      await cluster?.stop();
      await rm(dataHome, { recursive: true, force: true });
    });

    test('partition.placement: one region per rule expression, spread over the datanodes', async () => {
      const metasrv = new RpcClient({ url: cluster.metasrvUrl, token: cluster.token });
      try {
        const { table } = await metasrv.call(getTable, { catalog: 'greptime', schema: 'public', name: 'cpu_p' });
        assert.ok(table);
        const tableId = table.info.tableId;
        assert.deepEqual(
          table.info.regionIds,
          [0, 1, 2].map((n) => tableId * 2 ** 32 + n),
        );
        assert.deepEqual(table.info.partition, {
          columns: ['host'],
          exprs: ["host < 'host_3'", "host >= 'host_3' AND host < 'host_7'", "host >= 'host_7'"],
        });
        assert.equal(new Set(table.peers.map((peer) => peer.nodeId)).size, 3, 'three regions on three datanodes');
      } finally {
        await metasrv.close();
      }
    });

    test('partition.rows-split: each region holds exactly its rows', async () => {
      // Flushing per region and reading region statistics is for later; the split shows in
      // what a WHERE on the partition column returns, which reads only the matching region.
      assert.deepEqual(await rows(cluster, "SELECT count(*) FROM cpu_p WHERE host < 'host_3'"), [[120]]);
      assert.deepEqual(await rows(cluster, "SELECT DISTINCT host FROM cpu_p WHERE host >= 'host_7' ORDER BY host"), [
        ['host_7'],
        ['host_8'],
        ['host_9'],
      ]);
    });

    test('partition.arrow: format=arrow streams the batches of every region as one table', async () => {
      const response = await fetch(`${cluster.httpUrl}/v1/sql?format=arrow`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ sql: 'SELECT host, ts, cpu FROM cpu_p' }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
      assert.equal(table.numRows, 400);
      assert.equal(new Set(table.getChild('host')!.toArray() as string[]).size, 10);
    });

    test(`partition.differential: ${BATTERY.length} queries answer the same on partitioned and unpartitioned tables`, async () => {
      assert.ok(BATTERY.length >= 50);
      const failures: string[] = [];
      for (const template of BATTERY) {
        const partitioned = template.replaceAll('{t}', 'cpu_p');
        const plain = template.replaceAll('{t}', 'cpu_u');
        const [p, u] = await Promise.all([sql(cluster, partitioned), sql(cluster, plain)]);
        if (u.status !== 200) {
          failures.push(`${plain}: the unpartitioned table fails too (${u.body.error})`);
          continue;
        }
        if (p.status !== 200) {
          failures.push(`${partitioned}: ${p.body.error}`);
          continue;
        }
        const pOut = p.body.output![0]!;
        const uOut = u.body.output![0]!;
        assert.ok('records' in pOut && 'records' in uOut);
        if (!sameRows(canonical(template, pOut.records.rows), canonical(template, uOut.records.rows))) {
          failures.push(
            `${partitioned}: ${JSON.stringify(pOut.records.rows).slice(0, 300)} != ${JSON.stringify(uOut.records.rows).slice(0, 300)}`,
          );
        }
      }
      assert.deepEqual(failures, []);
    });

    test('partition.explain: the aggregate splits, its partial step below the MergeScan', async () => {
      const plan = (await rows(cluster, 'EXPLAIN SELECT host, count(*), avg(cpu) FROM cpu_p GROUP BY host'))
        .map((row) => String(row[1]))
        .join('\n');
      const lines = plan.split('\n');
      const mergeScan = lines.findIndex((line) => line.includes('MergeScan regions=['));
      assert.ok(mergeScan > 0, plan);
      assert.match(lines[mergeScan]!, /\(3 of 3\)/);
      const below = lines.slice(mergeScan + 1).join('\n');
      const above = lines.slice(0, mergeScan).join('\n');
      assert.match(
        below,
        /Aggregate: groupBy=\[\[.*host.*\]\], aggr=\[\[count\(\*\), sum\(.*cpu\), count\(.*cpu\)\]\]/,
        plan,
      );
      assert.match(
        above,
        /Aggregate: groupBy=\[\[.*host.*\]\], aggr=\[\[sum\(__partial_0\), sum\(__partial_1\), sum\(__partial_2\)\]\]/,
        plan,
      );
      // count(DISTINCT) does not split: the whole aggregate stays above the MergeScan.
      const distinct = String((await rows(cluster, 'EXPLAIN SELECT count(DISTINCT dc) FROM cpu_p'))[0]![1]);
      const distinctLines = distinct.split('\n');
      const at = distinctLines.findIndex((line) => line.includes('MergeScan'));
      assert.ok(
        distinctLines.slice(0, at).some((line) => /count\(DISTINCT/.test(line)),
        distinct,
      );
      assert.ok(!distinctLines.slice(at).some((line) => line.includes('Aggregate')), distinct);
    });

    test('partition.explain-analyze: a WHERE on the partition column reaches only the matching regions', async () => {
      const analyze = async (where: string): Promise<string> =>
        (await rows(cluster, `EXPLAIN ANALYZE SELECT count(*) FROM cpu_p WHERE ${where}`))
          .map((row) => String(row[1]))
          .join('\n');
      const one = await analyze("host = 'host_5'");
      assert.match(one, /\(1 of 3\)/, one);
      const regionLines = one.split('\n').filter((line) => /region \d+ on datanode \d+: \d+ rows/.test(line));
      assert.equal(regionLines.length, 1, one);
      const two = await analyze("host IN ('host_1', 'host_8')");
      assert.equal(two.split('\n').filter((line) => /region \d+ on datanode/.test(line)).length, 2, two);
      const all = await analyze('cpu > 10');
      assert.equal(all.split('\n').filter((line) => /region \d+ on datanode/.test(line)).length, 3, all);
      assert.match(all, /output_rows=1/);
    });

    test('partition.delete: DELETE reaches the rows in every region', async () => {
      await affected(
        cluster,
        `CREATE TABLE del_p (${COLUMNS}) PARTITION ON COLUMNS (host) (host < 'host_5', host >= 'host_5')`,
      );
      assert.equal(await affected(cluster, `INSERT INTO del_p VALUES ${insertValues()}`), 400);
      assert.equal(await affected(cluster, "DELETE FROM del_p WHERE host IN ('host_1', 'host_8') AND ts < 100000"), 20);
      assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM del_p'), [[380]]);
    });

    test('partition.bad-rules: overlapping or incomplete rules are refused with an example value', async () => {
      const overlap = await sql(
        cluster,
        'CREATE TABLE bad1 (a INT, ts TIMESTAMP TIME INDEX, PRIMARY KEY (a)) PARTITION ON COLUMNS (a) (a < 100, a >= 50)',
      );
      assert.equal(overlap.status, 400);
      assert.match(overlap.body.error!, /a = 50 is covered by both 'a < 100' and 'a >= 50'/);
      const gap = await sql(
        cluster,
        "CREATE TABLE bad2 (s STRING, ts TIMESTAMP TIME INDEX, PRIMARY KEY (s)) PARTITION ON COLUMNS (s) (s < 'm', s > 'm')",
      );
      assert.equal(gap.status, 400);
      assert.match(gap.body.error!, /no partition covers s = 'm'/);
      const outside = await sql(
        cluster,
        'CREATE TABLE bad3 (a INT, b INT, ts TIMESTAMP TIME INDEX, PRIMARY KEY (a)) PARTITION ON COLUMNS (a) (b < 1, b >= 1)',
      );
      assert.equal(outside.status, 400);
      assert.match(outside.body.error!, /column 'b'.*not in PARTITION ON COLUMNS \(a\)/);
      const tables = await rows(cluster, 'SHOW TABLES');
      assert.ok(!tables.flat().some((name) => String(name).startsWith('bad')), 'no refused table was created');
    });

    test('partition.restart: the rule, the regions and the rows come back after a cluster restart', async () => {
      const before = await rows(cluster, 'SELECT host, count(*), sum(mem) FROM cpu_p GROUP BY host ORDER BY host');
      await cluster.stop();
      cluster = await startLocalCluster(options);
      assert.deepEqual(
        await rows(cluster, 'SELECT host, count(*), sum(mem) FROM cpu_p GROUP BY host ORDER BY host'),
        before,
      );
      assert.equal(
        await affected(
          cluster,
          "INSERT INTO cpu_p VALUES ('host_9', 'dc_0', 999000, 1, 1), ('host_0', 'dc_0', 999000, 1, 1)",
        ),
        2,
      );
      assert.deepEqual(await rows(cluster, "SELECT count(*) FROM cpu_p WHERE host IN ('host_0', 'host_9')"), [[82]]);
    });
  });
}
