import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, createLogger } from '../common/index.ts';
import { RpcClient, clusterInfo } from '../rpc/index.ts';
import type { StatusDocument } from '../frontend/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { processExists, waitFor } from './testing/wait-for.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
// Datanode processes inherit the environment: keep their logs to warnings and errors.
process.env.TESSERA_LOG_LEVEL = 'warn';
// Short heartbeats so lease expiry shows within seconds; the production default is 2 s / 10 s.
const timing = { heartbeatIntervalMs: 200, leaseMs: 1500 };

async function status(cluster: LocalCluster): Promise<StatusDocument> {
  const response = await fetch(`${cluster.httpUrl}/status`);
  assert.equal(response.status, 200);
  return (await response.json()) as StatusDocument;
}

function datanode(document: StatusDocument, nodeId: number) {
  return document.nodes.find((node) => node.role === 'datanode' && node.nodeId === nodeId);
}

function portIsFree(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('a local cluster of real processes', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-cluster-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 3, httpAddr: '127.0.0.1:0', logger: quiet, ...timing });
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('/health answers and /status lists metasrv, the frontend and 3 live datanodes', async () => {
    const health = await fetch(`${cluster.httpUrl}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), {});

    const document = await waitFor('3 alive datanodes', async () => {
      const current = await status(cluster);
      return current.datanodes.alive === 3 ? current : undefined;
    });
    assert.deepEqual(document.datanodes, { total: 3, alive: 3 });
    const roles = document.nodes.map((node) => node.role).sort();
    assert.deepEqual(roles, ['datanode', 'datanode', 'datanode', 'frontend', 'metasrv']);
    const ids = document.nodes.filter((node) => node.role === 'datanode').map((node) => node.nodeId);
    assert.deepEqual(ids, [1, 2, 3]);
    for (const node of document.nodes.filter((entry) => entry.role === 'datanode')) {
      assert.notEqual(node.pid, process.pid, 'datanodes run in their own processes');
      assert.ok(processExists(node.pid));
      assert.match(node.addr, /^ws:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  test('/v1/sql answers with GreptimeDB-shaped errors', async () => {
    const missing = await fetch(`${cluster.httpUrl}/v1/sql`, { method: 'POST' });
    assert.equal(missing.status, 400);
    const missingBody = (await missing.json()) as { code: number; error: string; execution_time_ms: number };
    assert.equal(missingBody.code, ErrorCode.InvalidArguments);
    assert.match(missingBody.error, /sql parameter is required/);
    assert.equal(typeof missingBody.execution_time_ms, 'number');

    const ddl = await fetch(`${cluster.httpUrl}/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // External tables (files as tables) are not built: a statement that parses but is not supported.
      body: new URLSearchParams({
        sql: "CREATE EXTERNAL TABLE ext (ts TIMESTAMP TIME INDEX) WITH (location = '/tmp/x', format = 'csv')",
      }),
    });
    const ddlBody = (await ddl.json()) as { code: number; error: string };
    assert.equal(ddl.status, 501);
    assert.equal(ddlBody.code, ErrorCode.Unsupported);

    const missingTable = await fetch(`${cluster.httpUrl}/v1/sql?sql=${encodeURIComponent('SELECT * FROM cpu')}`);
    assert.equal(missingTable.status, 404);
    assert.equal(((await missingTable.json()) as { code: number }).code, ErrorCode.TableNotFound);
  });

  test('information_schema.cluster_info lists every node with GreptimeDB columns', async () => {
    const sql =
      'SELECT peer_id, peer_type, node_status FROM information_schema.cluster_info ORDER BY peer_type, peer_id';
    const response = await fetch(`${cluster.httpUrl}/v1/sql?sql=${encodeURIComponent(sql)}`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      output: { records: { schema: { column_schemas: { name: string; data_type: string }[] }; rows: unknown[][] } }[];
    };
    const { schema, rows } = body.output[0]!.records;
    assert.deepEqual(schema.column_schemas, [
      { name: 'peer_id', data_type: 'Int64' },
      { name: 'peer_type', data_type: 'String' },
      { name: 'node_status', data_type: 'String' },
    ]);
    assert.deepEqual(
      rows.map((row) => [row[0], row[1]]),
      [
        [1, 'DATANODE'],
        [2, 'DATANODE'],
        [3, 'DATANODE'],
        [1, 'FRONTEND'],
        [-1, 'METASRV'],
      ],
    );
    for (const row of rows.slice(0, 3)) assert.deepEqual(JSON.parse(String(row[2])), { status: 'alive' });

    const all = await fetch(
      `${cluster.httpUrl}/v1/sql?sql=${encodeURIComponent('SELECT * FROM information_schema.cluster_info')}`,
    );
    const allBody = (await all.json()) as typeof body;
    assert.deepEqual(
      allBody.output[0]!.records.schema.column_schemas.map((column) => column.name),
      [
        'peer_id',
        'peer_type',
        'peer_addr',
        'peer_hostname',
        'total_cpu_millicores',
        'total_memory_bytes',
        'cpu_usage_millicores',
        'memory_usage_bytes',
        'version',
        'git_commit',
        'start_time',
        'uptime',
        'active_time',
        'node_status',
      ],
    );
  });

  test('metasrv refuses an rpc client with the wrong token', async () => {
    const intruder = new RpcClient({ url: cluster.metasrvUrl, token: 'not-the-cluster-token' });
    try {
      await assert.rejects(intruder.call(clusterInfo, {}, { deadlineMs: 5000 }), { code: ErrorCode.AuthFailed });
    } finally {
      await intruder.close();
    }
  });

  test('kill -9 of a datanode: marked down, restarted, up again under the same id', async () => {
    const before = await status(cluster);
    const victim = datanode(before, 2)!;
    process.kill(victim.pid, 'SIGKILL');

    const down = await waitFor('datanode 2 marked down', async () => {
      const node = datanode(await status(cluster), 2);
      return node?.status === 'down' ? node : undefined;
    });
    assert.match(down.downReason ?? '', /SIGKILL/);

    const back = await waitFor('datanode 2 alive in a new process', async () => {
      const node = datanode(await status(cluster), 2);
      return node?.status === 'alive' && node.pid !== victim.pid ? node : undefined;
    });
    assert.equal(back.nodeId, 2);
    assert.ok(back.startedAt > victim.startedAt);
    assert.equal((await status(cluster)).datanodes.alive, 3);
  });

  test('a datanode that stops heartbeating is marked down when its lease lapses, and recovers', async () => {
    const frozen = datanode(await status(cluster), 3)!;
    process.kill(frozen.pid, 'SIGSTOP');
    try {
      const down = await waitFor('datanode 3 down by lease expiry', async () => {
        const node = datanode(await status(cluster), 3);
        return node?.status === 'down' ? node : undefined;
      });
      assert.match(down.downReason ?? '', /no heartbeat for \d+ ms \(lease 1500 ms\)/);
    } finally {
      process.kill(frozen.pid, 'SIGCONT');
    }
    const back = await waitFor('datanode 3 alive again', async () => {
      const node = datanode(await status(cluster), 3);
      return node?.status === 'alive' ? node : undefined;
    });
    assert.equal(back.pid, frozen.pid, 'the same process resumes its lease');
  });

  test('stopping the cluster leaves no process behind and frees its ports', async () => {
    const document = await status(cluster);
    const pids = document.nodes.filter((node) => node.role === 'datanode').map((node) => node.pid);
    const datanodeUrls = document.nodes.filter((node) => node.role === 'datanode').map((node) => node.addr);
    await cluster.stop();
    for (const pid of pids) assert.equal(processExists(pid), false, `datanode pid ${pid} still exists`);
    for (const url of [cluster.httpUrl, cluster.metasrvUrl, ...datanodeUrls]) {
      assert.ok(await portIsFree(url), `${url} still accepts connections`);
    }
  });

  test('a restarted cluster on the same data home keeps its datanode ids and token', async () => {
    const token = cluster.token;
    cluster = await startLocalCluster({ dataHome, datanodes: 3, httpAddr: '127.0.0.1:0', logger: quiet, ...timing });
    assert.equal(cluster.token, token);
    const document = await waitFor('3 alive datanodes after restart', async () => {
      const current = await status(cluster);
      return current.datanodes.alive === 3 ? current : undefined;
    });
    const ids = document.nodes.filter((node) => node.role === 'datanode').map((node) => node.nodeId);
    assert.deepEqual(ids, [1, 2, 3]);
    const slotIds = cluster.datanodes.map((slot) => slot.nodeId).sort();
    assert.deepEqual(slotIds, [1, 2, 3]);
  });
});
