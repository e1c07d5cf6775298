// Session time zones over /v1/sql on a real local cluster: the `x-greptime-timezone` header,
// SET time_zone for the rest of one request's statements, and what the zone changes (string
// to timestamp in INSERT and comparisons, timezone(), SHOW VARIABLES, range query alignment).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';

type Output = { records: { rows: unknown[][] } } | { affectedrows: number };

async function post(cluster: LocalCluster, text: string, timeZone?: string): Promise<Output[]> {
  const response = await fetch(`${cluster.httpUrl}/v1/sql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(timeZone === undefined ? {} : { 'x-greptime-timezone': timeZone }),
    },
    body: new URLSearchParams({ sql: text }),
  });
  const body = (await response.json()) as { output?: Output[]; error?: string };
  assert.equal(response.status, 200, `${text}: ${body.error}`);
  return body.output!;
}

function rows(output: Output | undefined): unknown[][] {
  assert.ok(output !== undefined && 'records' in output);
  return output.records.rows;
}

describe('session time zones on a local cluster', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-time-zone-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 1, httpAddr: '127.0.0.1:0', logger: quiet });
    await post(cluster, 'CREATE TABLE t (host STRING PRIMARY KEY, ts TIMESTAMP TIME INDEX, v DOUBLE)');
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('the header sets the zone; SET changes it for the rest of the request only', async () => {
    assert.deepEqual(rows((await post(cluster, 'SELECT timezone()', '+8:00'))[0]), [['+08:00']]);
    assert.deepEqual(rows((await post(cluster, 'SHOW VARIABLES time_zone', 'Asia/Shanghai'))[0]), [['Asia/Shanghai']]);
    const outputs = await post(cluster, "SELECT timezone(); SET time_zone = '-8:00'; SELECT timezone()");
    assert.deepEqual(outputs[1], { affectedrows: 0 });
    assert.deepEqual(rows(outputs[0]), [['UTC']]);
    assert.deepEqual(rows(outputs[2]), [['-08:00']]);
    assert.deepEqual(rows((await post(cluster, 'SELECT timezone()'))[0]), [['UTC']]);
  });

  test('strings become instants in the session zone: INSERT, comparisons, range alignment', async () => {
    await post(
      cluster,
      "INSERT INTO t VALUES ('a', '2024-01-02 08:00:00', 1), ('a', '2024-01-03 08:00:00', 2)",
      '+08:00',
    );
    assert.deepEqual(rows((await post(cluster, 'SELECT ts FROM t ORDER BY ts'))[0]), [
      [Date.UTC(2024, 0, 2)],
      [Date.UTC(2024, 0, 3)],
    ]);
    const filtered = "SELECT v FROM t WHERE ts >= '2024-01-02 04:00:00' ORDER BY ts";
    assert.deepEqual(rows((await post(cluster, filtered))[0]), [[2]]);
    assert.deepEqual(rows((await post(cluster, filtered, '+08:00'))[0]), [[1], [2]]);
    // Range queries align to the epoch moved by the zone's offset (GreptimeDB's local_minus_utc: +8 h).
    const range = "SELECT ts, min(v) RANGE '1d' FROM t ALIGN '1d' ORDER BY ts";
    assert.deepEqual(rows((await post(cluster, range, 'Asia/Shanghai'))[0]), [
      [Date.UTC(2024, 0, 1, 8), 1],
      [Date.UTC(2024, 0, 2, 8), 2],
    ]);
  });
});
