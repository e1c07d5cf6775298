import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Float64, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, createLogger } from '../common/index.ts';
import { Datanode } from '../datanode/index.ts';
import { EmbeddedKvBackend, Metasrv } from '../metasrv/index.ts';
import { RpcClient, datanodeInfo, regionHandle, regionScan, regionStatistics } from '../rpc/index.ts';
import type { WireRegionSchema } from '../rpc/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { waitFor } from './testing/wait-for.ts';

process.env.TESSERA_LOG_LEVEL = 'warn';
const quiet = createLogger({ role: 'test', level: 'error' });
const regionId = 1024 * 2 ** 32 + 1;
// Recent times: the region below keeps a 7 day TTL.
const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

const schema: WireRegionSchema = {
  version: 1,
  columns: [
    { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: true, columnId: 1 },
    { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 2 },
    { name: 'cpu', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 3 },
  ],
};

/**
 * Routes the test's region to a datanode in metasrv's store, as CREATE TABLE would: a region no
 * route places on a datanode gets no lease there and is closed (region leases).
 */
async function routeRegionTo(metasrv: Metasrv, nodeId: number): Promise<void> {
  await metasrv.kv.put('__meta/table-route/1024', new TextEncoder().encode(JSON.stringify({ [regionId]: nodeId })));
}

/** Rows at `t0 + offset` ms. */
function rows(hosts: string[], offsets: number[], cpus: number[]): RecordBatch {
  return new Table({
    host: vectorFromArray(hosts, new Utf8()),
    ts: vectorFromArray(
      offsets.map((offset) => t0 + offset),
      new TimestampMillisecond(),
    ),
    cpu: vectorFromArray(cpus, new Float64()),
  }).batches[0]!;
}

async function scan(
  client: RpcClient,
  request: { projection?: string[]; timeRange?: { start?: string; end?: string } } = {},
) {
  const out: [string, number, number][] = [];
  for await (const batch of client.stream(regionScan, { regionId, ...request })) {
    const host = batch.getChild('host')!;
    const ts = batch.getChild('ts')!;
    const cpu = batch.getChild('cpu')!;
    for (let row = 0; row < batch.numRows; row++) {
      out.push([String(host.get(row)), Number(ts.get(row)) - t0, cpu.get(row) as number]);
    }
  }
  return out;
}

describe('regions over rpc on datanode processes', () => {
  let dataHome: string;
  let cluster: LocalCluster;
  let first: RpcClient;
  let second: RpcClient;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-region-rpc-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 2, httpAddr: '127.0.0.1:0', logger: quiet });
    first = new RpcClient({ url: cluster.datanodes[0]!.url!, token: cluster.token });
    second = new RpcClient({ url: cluster.datanodes[1]!.url!, token: cluster.token });
    await routeRegionTo(cluster.metasrv, cluster.datanodes[0]!.nodeId!);
  });

  after(async () => {
    await first?.close();
    await second?.close();
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('create, put, scan with dedup, flush and statistics', async () => {
    await first.call(regionHandle, { type: 'create', regionId, schema, options: { ttl: '7d' } });
    const put = await first.call(
      regionHandle,
      { type: 'put', regionId },
      { data: rows(['b', 'a', 'a'], [2000, 1000, 2000], [0.5, 0.1, 0.2]) },
    );
    assert.equal(put.affectedRows, 3);
    // The same key again: last_row keeps the newest write.
    await first.call(regionHandle, { type: 'put', regionId }, { data: rows(['a'], [1000], [0.9]) });
    assert.deepEqual(await scan(first), [
      ['a', 1000, 0.9],
      ['a', 2000, 0.2],
      ['b', 2000, 0.5],
    ]);
    assert.deepEqual(await scan(first, { timeRange: { start: String(t0 + 1500) } }), [
      ['a', 2000, 0.2],
      ['b', 2000, 0.5],
    ]);
    await first.call(regionHandle, { type: 'flush', regionId });
    const { regions } = await first.call(regionStatistics, {});
    assert.equal(regions.length, 1);
    assert.equal(regions[0]!.sstCount, 1);
    assert.equal(regions[0]!.memtableRows, 0);
  });

  test('ADMIN flush_region and compact_region over /v1/sql reach the datanode holding the region', async () => {
    const sql = async (statement: string) => {
      const response = await fetch(`${cluster.httpUrl}/v1/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ sql: statement }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    await first.call(regionHandle, { type: 'put', regionId }, { data: rows(['d'], [4000], [4]) });
    const flushed = await sql(`ADMIN flush_region(${regionId})`);
    assert.equal(flushed.status, 200);
    assert.deepEqual((flushed.body.output as unknown[])[0], {
      records: {
        schema: { column_schemas: [{ name: `ADMIN flush_region(${regionId})`, data_type: 'UInt64' }] },
        rows: [[0]],
        total_rows: 1,
      },
    });
    const stats = async () => (await first.call(regionStatistics, { regionIds: [regionId] })).regions[0]!;
    assert.equal((await stats()).sstCount, 2);
    assert.equal((await sql(`ADMIN compact_region(${regionId})`)).status, 200);
    assert.equal((await stats()).sstCount, 1, 'compaction merged the two SSTs');
    await first.call(regionHandle, { type: 'delete', regionId }, { data: rows(['d'], [4000], [0]) });

    const missing = await sql('ADMIN flush_region(42)');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, ErrorCode.RegionNotFound);
    assert.match(String(missing.body.error), /Region 42 is not open on any alive datanode/);
    const syntax = await sql('SELECT FROM WHERE');
    assert.equal(syntax.body.code, ErrorCode.InvalidSyntax);
    assert.match(String(syntax.body.error), /line 1, column \d+/);
    // No table named cpu exists: regions made over rpc are not tables (docs/tables.md).
    const insert = await sql('INSERT INTO cpu VALUES (1)');
    assert.equal(insert.body.code, ErrorCode.TableNotFound);
    assert.match(String(insert.body.error), /Table not found: greptime\.public\.cpu/);
  });

  test('a put without rows, or with a wrong column, is refused with a clear error', async () => {
    await assert.rejects(first.call(regionHandle, { type: 'put', regionId }), {
      code: ErrorCode.InvalidArguments,
      message: /carries no rows/,
    });
    const wrong = new Table({ host: vectorFromArray(['x'], new Utf8()), nope: vectorFromArray([1], new Float64()) });
    await assert.rejects(first.call(regionHandle, { type: 'put', regionId }, { data: wrong.batches[0]! }), {
      code: ErrorCode.InvalidArguments,
    });
    // Not routed to second, so second holds no lease on it: refused before the region is looked up.
    await assert.rejects(second.call(regionHandle, { type: 'flush', regionId }), { code: ErrorCode.LeaseExpired });
  });

  test('a region flushed on one datanode opens on another that shares the object store', async () => {
    // As a migration does: flush on the old leader (WAL entries stay on its disk), then close, then open elsewhere.
    await first.call(regionHandle, { type: 'flush', regionId });
    await first.call(regionHandle, { type: 'close', regionId });
    await routeRegionTo(cluster.metasrv, cluster.datanodes[1]!.nodeId!);
    await second.call(regionHandle, { type: 'open', regionId });
    assert.deepEqual(await scan(second), [
      ['a', 1000, 0.9],
      ['a', 2000, 0.2],
      ['b', 2000, 0.5],
    ]);
    // Writable once a heartbeat brings second the region's lease (refused with LeaseExpired until then).
    await waitFor('second to hold the region lease', () =>
      second.call(regionHandle, { type: 'put', regionId }, { data: rows(['c'], [3000], [1]) }),
    );
    assert.equal((await scan(second)).length, 4);
  });

  test('acknowledged writes survive kill -9 of the datanode process', async () => {
    const slot = cluster.datanodes[1]!;
    const { pid } = (await second.call(datanodeInfo, {})) as { pid: number };
    const before = await scan(second);
    // Not flushed: these rows live only in the datanode's WAL and memtable when it dies.
    const put = await second.call(
      regionHandle,
      { type: 'put', regionId },
      { data: rows(['e', 'f'], [5000, 6000], [5, 6]) },
    );
    assert.equal(put.affectedRows, 2);
    process.kill(pid, 'SIGKILL');
    // The supervisor restarts it on a new port; connect to whatever its slot says until the new process answers.
    await second.close();
    second = await waitFor('the restarted datanode to answer', async () => {
      const client = new RpcClient({ url: slot.url!, token: cluster.token });
      try {
        if ((await client.call(datanodeInfo, {}, { deadlineMs: 2000 })).pid !== pid) return client;
      } catch {
        // Not up yet, or the old address.
      }
      await client.close();
      return undefined;
    });
    await second.call(regionHandle, { type: 'open', regionId });
    const after = await scan(second);
    assert.equal(after.length, before.length + 2);
    assert.deepEqual(after.slice(-2), [
      ['e', 5000, 5],
      ['f', 6000, 6],
    ]);
  });
});

test('a datanode without a lease refuses writes until metasrv renews it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-lease-'));
  const token = 'a-test-token-of-enough-length';
  const options = { token, port: 0, heartbeatIntervalMs: 100, leaseMs: 600, logger: quiet };
  let metasrv = await Metasrv.start({
    kv: await EmbeddedKvBackend.open(join(dir, 'meta'), { logger: quiet }),
    ...options,
  });
  const port = Number(new URL(metasrv.url).port);
  const datanode = await Datanode.start({ dataHome: join(dir, 'dn'), metasrvUrl: metasrv.url, token, logger: quiet });
  const client = new RpcClient({ url: datanode.url, token });
  try {
    await waitFor('a lease', () => datanode.hasLease());
    await routeRegionTo(metasrv, datanode.nodeId);
    await client.call(regionHandle, { type: 'create', regionId, schema });
    await metasrv.stop();
    await waitFor('the lease to lapse', () => !datanode.hasLease());
    await assert.rejects(client.call(regionHandle, { type: 'put', regionId }, { data: rows(['a'], [1], [1]) }), {
      code: ErrorCode.LeaseExpired,
      message: /holds no lease from metasrv: region \d+ refuses 'put'/,
    });
    assert.equal((await scan(client)).length, 0, 'reads still work without a lease');

    metasrv = await Metasrv.start({
      kv: await EmbeddedKvBackend.open(join(dir, 'meta'), { logger: quiet }),
      ...options,
      port,
    });
    await waitFor('the lease back', () => datanode.hasLease(), { timeoutMs: 30_000 });
    const put = await client.call(regionHandle, { type: 'put', regionId }, { data: rows(['a'], [1], [1]) });
    assert.equal(put.affectedRows, 1);
  } finally {
    await client.close();
    await datanode.stop();
    await metasrv.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
