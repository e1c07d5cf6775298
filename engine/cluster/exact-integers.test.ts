// BIGINT / BIGINT UNSIGNED extremes and nanosecond timestamps past 2^53 through a real local
// cluster (what `tessera serve` starts: datanode processes, HTTP, MySQL and PostgreSQL ports): INSERT, then SELECT, WHERE, ORDER BY, GROUP BY, JOIN, min / max and
// date_trunc over HTTP JSON (every digit, as GreptimeDB's serde_json writes i64 / u64),
// format=arrow, and the mysql and psql command-line clients. The table is partitioned, so the
// queries run as MergeScan fragments on its regions.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import { createLogger } from '../common/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';

async function post(cluster: LocalCluster, sql: string, format?: string): Promise<Response> {
  return fetch(`${cluster.httpUrl}/v1/sql${format === undefined ? '' : `?format=${format}`}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql }),
  });
}

/**
 * Runs a command-line client without blocking (the cluster's frontend answers from this
 * process); a missing client fails the test (ENOENT shows in stderr).
 */
function runClient(command: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ status, stdout, stderr: stderr || String(error ?? '') });
    });
  });
}

function hostPort(addr: string | undefined): [string, string] {
  assert.ok(addr !== undefined);
  const at = addr.lastIndexOf(':');
  return [addr.slice(0, at), addr.slice(at + 1)];
}

/** The rows of the first output, as the raw JSON text of each row (digits as sent). */
async function rowsText(cluster: LocalCluster, sql: string): Promise<string> {
  const response = await post(cluster, sql);
  const text = await response.text();
  assert.equal(response.status, 200, `${sql}: ${text}`);
  const match = /"rows":(\[.*?\]\]|\[\])/.exec(text);
  assert.ok(match !== null, text);
  return match[1];
}

describe('exact 64-bit integers and nanosecond timestamps', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-exact-'));
    cluster = await startLocalCluster({
      dataHome,
      datanodes: 1,
      httpAddr: '127.0.0.1:0',
      mysqlAddr: '127.0.0.1:0',
      postgresAddr: '127.0.0.1:0',
      logger: quiet,
    });
    const statements = [
      'CREATE TABLE big (k INT, ts TIMESTAMP(9) TIME INDEX, b BIGINT, u BIGINT UNSIGNED, PRIMARY KEY (k)) ' +
        'PARTITION ON COLUMNS (k) (k < 10, k >= 10)',
      'INSERT INTO big VALUES (1, 1700000000123456789, 9223372036854775807, 18446744073709551615), ' +
        '(11, 1700000000123456790, -9223372036854775808, 0), (12, 1700000000123456791, 9223372036854775806, 1)',
    ];
    for (const sql of statements) {
      const response = await post(cluster, sql);
      assert.equal(response.status, 200, await response.text());
    }
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('HTTP JSON carries every digit', async () => {
    assert.equal(
      await rowsText(cluster, 'SELECT ts, b, u FROM big ORDER BY ts'),
      '[[1700000000123456789,9223372036854775807,18446744073709551615],' +
        '[1700000000123456790,-9223372036854775808,0],[1700000000123456791,9223372036854775806,1]]',
    );
    assert.equal(await rowsText(cluster, 'SELECT k FROM big WHERE ts = 1700000000123456790'), '[[11]]');
    assert.equal(await rowsText(cluster, 'SELECT k FROM big WHERE b = 9223372036854775806'), '[[12]]');
    assert.equal(await rowsText(cluster, 'SELECT ts FROM big ORDER BY ts DESC LIMIT 1'), '[[1700000000123456791]]');
    assert.equal(
      await rowsText(cluster, 'SELECT min(ts), max(ts), min(b), max(b), max(u) FROM big'),
      '[[1700000000123456789,1700000000123456791,-9223372036854775808,9223372036854775807,18446744073709551615]]',
    );
    assert.equal(
      await rowsText(cluster, 'SELECT b, count(*) FROM big GROUP BY b ORDER BY b'),
      '[[-9223372036854775808,1],[9223372036854775806,1],[9223372036854775807,1]]',
    );
    assert.equal(
      await rowsText(cluster, 'SELECT x.k, y.k FROM big x JOIN big y ON x.ts = y.ts ORDER BY x.k'),
      '[[1,1],[11,11],[12,12]]',
    );
    assert.equal(
      await rowsText(cluster, "SELECT date_trunc('millisecond', ts) FROM big WHERE k = 1"),
      '[[1700000000123000000]]',
    );
    assert.equal(
      await rowsText(cluster, 'SELECT 9223372036854775807, -9223372036854775808, 18446744073709551615'),
      '[[9223372036854775807,-9223372036854775808,18446744073709551615]]',
    );
  });

  test('format=arrow carries the 64-bit words', async () => {
    const response = await post(cluster, 'SELECT ts, b, u FROM big ORDER BY ts LIMIT 1', 'arrow');
    assert.equal(response.status, 200);
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    assert.equal(table.getChild('ts')!.data[0].values[0], 1700000000123456789n);
    assert.equal(table.getChild('b')!.get(0), 9223372036854775807n);
    assert.equal(table.getChild('u')!.get(0), 18446744073709551615n);
  });

  test('the mysql client reads every digit', async () => {
    // The mysql client (Debian mariadb-client) must be installed; .ci/run installs it.
    const [host, port] = hostPort(cluster.mysqlAddr);
    const args = ['-h', host, '-P', port, '-u', 'root', '--batch', 'public'];
    const result = await runClient('mysql', [...args, '-e', 'SELECT ts, b, u FROM big WHERE b > 9223372036854775806']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'ts\tb\tu\n2023-11-14 22:13:20.123456789\t9223372036854775807\t18446744073709551615\n');
  });

  test('psql reads every digit', async () => {
    // psql (Debian postgresql-client) must be installed; .ci/run installs it.
    const [host, port] = hostPort(cluster.postgresAddr);
    const args = ['-h', host, '-p', port, '-U', 'postgres', '-d', 'public'];
    const result = await runClient('psql', [
      ...args,
      '-A',
      '-c',
      'SELECT b, u FROM big WHERE ts = 1700000000123456790',
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^b\|u\n-9223372036854775808\|0\n\(1 row\)\n/);
    // A list of them goes as JSON text with every digit.
    const list = await runClient('psql', [...args, '-A', '-c', 'SELECT array_agg(ts ORDER BY ts) FROM big']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /\n\[1700000000123456789,1700000000123456790,1700000000123456791\]\n/);
  });
});
