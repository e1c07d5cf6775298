// metasrv high availability: two metasrvs on one etcd, two datanodes and a frontend, each a
// separate process, the nodes given both metasrv addresses. The leader is stopped dead
// (SIGKILL) in the middle of an ALTER TABLE (a fault point holds it after the regions changed,
// before the table info did); the follower takes the lead, finishes that ALTER from the
// persisted procedure, and the same frontend goes on inserting, selecting and creating tables
// through it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startEtcdTestServer } from '../metasrv/index.ts';
import { RpcClient, datanodeInfo } from '../rpc/index.ts';
import type { EtcdTestServer } from '../metasrv/index.ts';
import { TesseraProcesses, freePort } from './testing/tessera-processes.ts';
import { postSql, sqlAffected, sqlRows } from './testing/sql-over-http.ts';
import { waitFor } from './testing/wait-for.ts';

const processes = new TesseraProcesses();
const tessera = (args: string[], env?: Record<string, string>) => processes.start(args, env);
let home: string | undefined;
let etcd: EtcdTestServer | undefined;

after(async () => {
  await processes.killAll();
  await etcd?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

interface StatusNode {
  role: string;
  addr: string;
  status: string;
  leader?: boolean;
}

async function statusNodes(httpUrl: string): Promise<StatusNode[] | undefined> {
  const response = await fetch(`${httpUrl}/status`).catch(() => undefined);
  if (response?.status !== 200) return undefined;
  return ((await response.json()) as { nodes: StatusNode[] }).nodes;
}

/**
 * Polls each datanode's own view of its lease until stopped; `lapses` counts the times one held
 * none, `tightestMs` is the least lease left seen. A report, not an assertion: the numbers
 * depend on the machine's load (docs/process-model.md, "metasrv leader election").
 */
function watchLeases(addrs: string[], token: string): { stop(): Promise<{ lapses: number; tightestMs: number }> } {
  const clients = addrs.map((url) => new RpcClient({ url, token }));
  let lapses = 0;
  let tightestMs = Infinity;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const client of clients) {
        const info = await client.call(datanodeInfo, {}, { deadlineMs: 2000 }).catch(() => undefined);
        if (info === undefined) continue;
        const left = info.leaseUntil - Date.now();
        if (left <= 0) lapses++;
        tightestMs = Math.min(tightestMs, left);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(clients.map((client) => client.close()));
      return { lapses, tightestMs };
    },
  };
}

test('the follower metasrv takes over from a killed leader: leases hold, DDL resumes, the frontend follows', async (t) => {
  etcd = await startEtcdTestServer();
  home = await mkdtemp(join(tmpdir(), 'tessera-failover-'));
  const [portA, portB] = [await freePort(), await freePort()];
  const urlA = `ws://127.0.0.1:${portA}`;
  const urlB = `ws://127.0.0.1:${portB}`;
  const metasrvArgs = (name: string, port: number): string[] => [
    'metasrv',
    '--data-home',
    join(home!, name),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--store',
    etcd!.endpoint,
  ];
  // A leads (it starts alone) and will stop dead inside the first ALTER TABLE.
  const metasrvA = tessera(metasrvArgs('meta-a', portA), { TESSERA_FAULT_PAUSE: 'alter-table:after-regions' });
  await waitFor('metasrv A leading', async () => /listening at ws:.*\(leader\)/.test(metasrvA.output()) || undefined);
  const tokenFile = join(home, 'meta-a', 'cluster-token');
  const metasrvB = tessera([...metasrvArgs('meta-b', portB), '--token-file', tokenFile], {
    TESSERA_LOG_LEVEL: 'info',
  });
  await waitFor(
    'metasrv B following',
    async () => /listening at ws:.*\(follower\)/.test(metasrvB.output()) || undefined,
  );

  const metasrvs = `${urlA},${urlB}`;
  for (const n of [1, 2]) {
    tessera(['datanode', '--metasrv', metasrvs, '--data-home', join(home, `dn${n}`), '--token-file', tokenFile]);
  }
  const { httpUrl } = await processes.startFrontend(metasrvs, tokenFile);
  await waitFor('2 alive datanodes', async () => {
    const nodes = await statusNodes(httpUrl);
    return nodes?.filter((node) => node.role === 'datanode' && node.status === 'alive').length === 2 || undefined;
  });
  const before = (await statusNodes(httpUrl))!.filter((node) => node.role === 'metasrv');
  assert.deepEqual(
    before.map((node) => [node.addr, node.leader]),
    [
      [urlA, true],
      [urlB, false],
    ],
  );
  assert.deepEqual(
    await sqlRows(
      httpUrl,
      "SELECT peer_type, node_status FROM information_schema.cluster_info WHERE peer_type = 'METASRV'",
    ),
    [
      ['METASRV', '{"is_leader":true}'],
      ['METASRV', '{"is_leader":false}'],
    ],
  );

  assert.equal(
    await sqlAffected(
      httpUrl,
      "CREATE TABLE t1 (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k)) PARTITION ON COLUMNS (k) (k < 'm', k >= 'm')",
    ),
    0,
  );
  assert.equal(await sqlAffected(httpUrl, "INSERT INTO t1 VALUES ('a', 1, 1.5), ('z', 2, 2.5)"), 2);

  // The ALTER reaches the fault point after its regions changed; A dies there.
  const abandoned = new AbortController();
  const alter = postSql(httpUrl, 'ALTER TABLE t1 ADD COLUMN w DOUBLE', { signal: abandoned.signal }).catch(
    (error: unknown) => error,
  );
  await waitFor('metasrv A paused between procedure steps', async () =>
    metasrvA.output().includes('fault.paused') ? true : undefined,
  );
  const token = (await readFile(tokenFile, 'utf8')).trim();
  const datanodeAddrs = (await statusNodes(httpUrl))!
    .filter((node) => node.role === 'datanode')
    .map((node) => node.addr);
  const leases = watchLeases(datanodeAddrs, token);
  metasrvA.child.kill('SIGKILL');
  await metasrvA.exited;
  abandoned.abort();
  await alter;

  // B takes the lead once A's etcd lease lapses, and finishes the ALTER.
  await waitFor('metasrv B leading', async () => {
    const nodes = await statusNodes(httpUrl);
    const leader = nodes?.find((node) => node.role === 'metasrv' && node.leader);
    return leader?.addr === urlB || undefined;
  });
  await waitFor('the resumed procedure commits the new column', async () => {
    const reply = await postSql(httpUrl, 'SELECT k, w FROM t1 ORDER BY k').catch(() => undefined);
    return reply?.status === 200 || undefined;
  });
  assert.match(metasrvB.output(), /procedure\.resuming.*alter-table/);
  const metasrvRows = (await statusNodes(httpUrl))!.filter((node) => node.role === 'metasrv');
  assert.deepEqual(
    metasrvRows.map((node) => [node.addr, node.leader]),
    [[urlB, true]],
    'the killed metasrv drops out of the list with its etcd lease',
  );

  // The same frontend writes, reads and creates through the new leader.
  assert.equal(await sqlAffected(httpUrl, "INSERT INTO t1 VALUES ('b', 3, 3.5, 9)"), 1);
  assert.deepEqual(await sqlRows(httpUrl, 'SELECT k, v, w FROM t1 ORDER BY k'), [
    ['a', 1.5, null],
    ['b', 3.5, 9],
    ['z', 2.5, null],
  ]);
  assert.equal(
    await sqlAffected(httpUrl, 'CREATE TABLE t3 (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k))'),
    0,
  );
  assert.equal(await sqlAffected(httpUrl, "INSERT INTO t3 VALUES ('c', 3, 3.5)"), 1);
  assert.deepEqual(await sqlRows(httpUrl, 'SELECT k, v FROM t3'), [['c', 3.5]]);
  const { lapses, tightestMs } = await leases.stop();
  t.diagnostic(`datanode leases during the failover: ${lapses} lapsed polls, least left ${tightestMs} ms`);
  const datanodes = (await statusNodes(httpUrl))!.filter((node) => node.role === 'datanode');
  assert.deepEqual(
    datanodes.map((node) => node.status),
    ['alive', 'alive'],
  );
});
