// Region leases and metasrv's open/close instructions on a real cluster (two datanode
// processes sharing the object store): INSERT right after CREATE TABLE, regions opening by
// themselves after a restart with their unflushed rows, and a region whose route moves being
// closed on the old datanode (which then refuses writes to it) and opened on the new one.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Float64, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, createLogger } from '../common/index.ts';
import { RpcClient, datanodeInfo, regionHandle, regionStatistics } from '../rpc/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { postSql, sqlRows } from './testing/sql-over-http.ts';
import { waitFor } from './testing/wait-for.ts';

process.env.TESSERA_LOG_LEVEL = 'warn';
const quiet = createLogger({ role: 'test', level: 'error' });
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let dataHome: string;
let cluster: LocalCluster;
// A short lease, so instructions held back for a lease after a route change come soon.
const start = () =>
  startLocalCluster({
    dataHome,
    datanodes: 2,
    httpAddr: '127.0.0.1:0',
    heartbeatIntervalMs: 200,
    leaseMs: 1000,
    logger: quiet,
  });

interface RouteOf {
  key: string;
  /** Region id → datanode id. */
  route: Record<string, number>;
}

async function theRoute(): Promise<RouteOf> {
  const entries = await cluster.metasrv.kv.range('__meta/table-route/');
  assert.equal(entries.length, 1, 'one table');
  return { key: entries[0]!.key, route: JSON.parse(decoder.decode(entries[0]!.value)) as Record<string, number> };
}

/** An rpc client per datanode id. */
async function datanodeClients(): Promise<Map<number, RpcClient>> {
  const clients = new Map<number, RpcClient>();
  for (const slot of cluster.datanodes) {
    const client = new RpcClient({ url: slot.url!, token: cluster.token });
    clients.set((await client.call(datanodeInfo, {})).nodeId!, client);
  }
  return clients;
}

async function closeAll(clients: Map<number, RpcClient>): Promise<void> {
  for (const client of clients.values()) await client.close();
}

async function openRegions(client: RpcClient): Promise<Map<number, number>> {
  const { regions } = await client.call(regionStatistics, {});
  return new Map(regions.map((region) => [region.regionId, region.rows]));
}

function rows(keys: string[], times: number[], values: number[]): RecordBatch {
  return new Table({
    k: vectorFromArray(keys, new Utf8()),
    ts: vectorFromArray(times, new TimestampMillisecond()),
    v: vectorFromArray(values, new Float64()),
  }).batches[0]!;
}

before(async () => {
  dataHome = await mkdtemp(join(tmpdir(), 'tessera-region-leases-'));
  cluster = await start();
});

after(async () => {
  await cluster?.stop();
  await rm(dataHome, { recursive: true, force: true });
});

test('INSERT right after CREATE TABLE succeeds without waiting for a heartbeat', async () => {
  const create = await postSql(
    cluster.httpUrl,
    "CREATE TABLE t (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k)) PARTITION ON COLUMNS (k) (k < 'g', k >= 'g' AND k < 'm', k >= 'm' AND k < 't', k >= 't')",
  );
  assert.equal(create.status, 200, create.body.error);
  const insert = await postSql(
    cluster.httpUrl,
    "INSERT INTO t VALUES ('a', 1, 1), ('h', 2, 2), ('n', 3, 3), ('u', 4, 4), ('b', 5, 5)",
  );
  assert.equal(insert.status, 200, insert.body.error);
  assert.deepEqual(await sqlRows(cluster.httpUrl, 'SELECT count(*) FROM t'), [[5]]);
});

test('after a restart each datanode opens the regions its routes give it, with no query sent, rows and all', async () => {
  await cluster.stop();
  cluster = await start();
  const { route } = await theRoute();
  const clients = await datanodeClients();
  try {
    for (const [nodeId, client] of clients) {
      const routed = Object.entries(route)
        .filter(([, node]) => node === nodeId)
        .map(([regionId]) => Number(regionId))
        .sort((a, b) => a - b);
      assert.ok(routed.length > 0, `datanode ${nodeId} has regions`);
      const open = await waitFor(`datanode ${nodeId} to open regions ${routed.join(', ')}`, async () => {
        const regions = await openRegions(client);
        return routed.every((regionId) => regions.has(regionId)) ? regions : undefined;
      });
      assert.deepEqual(
        [...open.keys()].sort((a, b) => a - b),
        routed,
      );
    }
    // The rows were never flushed: the regions replayed their datanode's WAL when they opened.
    let total = 0;
    for (const client of clients.values()) for (const count of (await openRegions(client)).values()) total += count;
    assert.equal(total, 5);
    assert.deepEqual(await sqlRows(cluster.httpUrl, 'SELECT k FROM t ORDER BY k'), [['a'], ['b'], ['h'], ['n'], ['u']]);
  } finally {
    await closeAll(clients);
  }
});

test('a region whose route moves is closed on the old datanode, which refuses its writes, and opened on the new one', async () => {
  const { key, route } = await theRoute();
  const clients = await datanodeClients();
  try {
    // A datanode with two regions: one moves, the other stays.
    const [oldNode] = [...clients.keys()].filter((node) => Object.values(route).filter((n) => n === node).length >= 2);
    assert.ok(oldNode !== undefined, `a datanode with two regions in ${JSON.stringify(route)}`);
    const newNode = [...clients.keys()].find((node) => node !== oldNode)!;
    const [moving, staying] = Object.keys(route)
      .filter((regionId) => route[regionId] === oldNode)
      .map(Number);
    const oldClient = clients.get(oldNode)!;
    const newClient = clients.get(newNode)!;
    const movingRows = (await openRegions(oldClient)).get(moving!)!;
    // As a migration would: flush first, so the region's rows are in the shared object store.
    await oldClient.call(regionHandle, { type: 'flush', regionId: moving! });

    await cluster.metasrv.kv.put(key, encoder.encode(JSON.stringify({ ...route, [moving!]: newNode })));

    await waitFor(`datanode ${oldNode} to close region ${moving}`, async () =>
      (await openRegions(oldClient)).has(moving!) ? undefined : true,
    );
    await assert.rejects(
      oldClient.call(regionHandle, { type: 'put', regionId: moving! }, { data: rows(['zz'], [9], [9]) }),
      (error: { code?: number; message?: string }) => {
        assert.equal(error.code, ErrorCode.LeaseExpired);
        assert.match(error.message!, new RegExp(`Datanode ${oldNode} holds no lease from metasrv on region ${moving}`));
        assert.match(error.message!, /refuses 'put'/);
        return true;
      },
    );
    // Its other region stays open there and still takes writes.
    assert.ok((await openRegions(oldClient)).has(staying!), `region ${staying} stays open on datanode ${oldNode}`);
    const put = await oldClient.call(
      regionHandle,
      { type: 'put', regionId: staying! },
      { data: rows([keyInRegion(staying!)], [10], [10]) },
    );
    assert.equal(put.affectedRows, 1);

    const opened = await waitFor(`datanode ${newNode} to open region ${moving}`, async () =>
      (await openRegions(newClient)).get(moving!),
    );
    assert.equal(opened, movingRows, 'the flushed rows open on the new datanode');
    // The new datanode holds the region's lease: a write there is taken.
    const moved = await newClient.call(
      regionHandle,
      { type: 'put', regionId: moving! },
      { data: rows([keyInRegion(moving!)], [11], [11]) },
    );
    assert.equal(moved.affectedRows, 1);
    assert.deepEqual(await sqlRows(cluster.httpUrl, 'SELECT count(*) FROM t'), [[7]]);
  } finally {
    await closeAll(clients);
  }
});

/** A key of table t that falls in the region (its partitions split k at g, m, t). */
function keyInRegion(regionId: number): string {
  const regionNumber = regionId % 2 ** 32;
  return ['c', 'i', 'p', 'w'][regionNumber]!;
}
