// Region migration (docs/region-migration.md) on real clusters whose datanodes share one object
// store: ADMIN migrate_region moves a region of a partitioned table to another datanode with
// every row (flushed or not) and new writes landing there; an INSERT loop running through the
// move loses no acknowledged row; bad calls are refused naming the value; and a metasrv killed
// after `open-target` finishes the move once restarted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { RpcClient, regionStatistics } from '../rpc/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { TesseraProcesses, freePort } from './testing/tessera-processes.ts';
import { postSql, sqlAffected, sqlRows } from './testing/sql-over-http.ts';
import { waitFor } from './testing/wait-for.ts';

process.env.TESSERA_LOG_LEVEL = 'warn';
const quiet = createLogger({ role: 'test', level: 'error' });

/** The id an ADMIN migrate_region answers, or the error text. */
async function migrate(httpUrl: string, args: string): Promise<{ id?: string; error?: string }> {
  const reply = await postSql(httpUrl, `ADMIN migrate_region(${args})`);
  if (reply.status !== 200) return { error: reply.body.error ?? `HTTP ${reply.status}` };
  const output = reply.body.output![0]!;
  assert.ok('records' in output);
  assert.equal(output.records.schema.column_schemas[0]!.data_type, 'String');
  return { id: String(output.records.rows[0]![0]) };
}

async function procedureState(httpUrl: string, id: string): Promise<{ status: string; error?: string }> {
  const [[text]] = (await sqlRows(httpUrl, `ADMIN procedure_state('${id}')`)) as [[string]];
  return JSON.parse(text) as { status: string; error?: string };
}

/** Polls procedure_state until the procedure ends; returns its final state. */
async function finished(httpUrl: string, id: string): Promise<{ status: string; error?: string }> {
  return waitFor(
    `procedure ${id} to finish`,
    async () => {
      const state = await procedureState(httpUrl, id);
      return state.status === 'Running' ? undefined : state;
    },
    { timeoutMs: 60_000 },
  );
}

/** region id → [peer id, status] from information_schema.region_peers. */
async function regionPeers(httpUrl: string, table: string): Promise<Map<number, [number, string]>> {
  const rows = await sqlRows(
    httpUrl,
    `SELECT region_id, peer_id, status FROM information_schema.region_peers WHERE table_name = '${table}' ORDER BY region_id`,
  );
  return new Map(rows.map(([regionId, peerId, status]) => [Number(regionId), [Number(peerId), String(status)]]));
}

/** The region ids a datanode has open, asked over rpc. */
async function openRegionIds(addr: string, token: string): Promise<number[]> {
  const client = new RpcClient({ url: addr, token });
  try {
    return (await client.call(regionStatistics, {})).regions.map((region) => region.regionId);
  } finally {
    await client.close();
  }
}

async function regionRowsOn(addr: string, token: string, regionId: number): Promise<number> {
  const client = new RpcClient({ url: addr, token });
  try {
    return (await client.call(regionStatistics, { regionIds: [regionId] })).regions[0]!.rows;
  } finally {
    await client.close();
  }
}

describe('region migration on a 3-datanode cluster', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-migration-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 3, httpAddr: '127.0.0.1:0', logger: quiet });
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  const addrOf = (nodeId: number): string => {
    const node = cluster.metasrv.registry.list().find((entry) => entry.role === 'datanode' && entry.nodeId === nodeId);
    assert.ok(node, `datanode ${nodeId} is registered`);
    return node.addr;
  };
  /** A datanode that hosts none of `taken`. */
  const otherNode = (...taken: number[]): number => {
    const node = cluster.metasrv.registry
      .list()
      .find((entry) => entry.role === 'datanode' && entry.status === 'alive' && !taken.includes(entry.nodeId));
    assert.ok(node, `a datanode besides ${taken.join(', ')}`);
    return node.nodeId;
  };

  test('a region moves with its flushed and unflushed rows; new writes go to the new datanode', async () => {
    const url = cluster.httpUrl;
    await sqlAffected(
      url,
      "CREATE TABLE moves (host STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (host)) PARTITION ON COLUMNS (host) (host < 'm', host >= 'm')",
    );
    assert.equal(await sqlAffected(url, "INSERT INTO moves VALUES ('a', 1, 1), ('b', 2, 2), ('x', 3, 3)"), 3);
    await sqlRows(url, "ADMIN flush_table('moves')");
    assert.equal(await sqlAffected(url, "INSERT INTO moves VALUES ('c', 4, 4), ('a', 5, 5), ('y', 6, 6)"), 3);

    const peers = await regionPeers(url, 'moves');
    const [regionId, [from]] = [...peers.entries()][0]!;
    const [, [otherRegionPeer]] = [...peers.entries()][1]!;
    const to = otherNode(from, otherRegionPeer);
    const { id, error } = await migrate(url, `${regionId}, ${from}, ${to}`);
    assert.ok(id, error);
    assert.match(id, /^region-migration-/);
    assert.deepEqual(await finished(url, id), { status: 'Done' });
    // Finished procedures are remembered.
    assert.deepEqual(await procedureState(url, id), { status: 'Done' });
    assert.deepEqual((await regionPeers(url, 'moves')).get(regionId), [to, 'ALIVE']);
    assert.ok(!(await openRegionIds(addrOf(from), cluster.token)).includes(regionId), 'the old datanode closed it');
    assert.ok((await openRegionIds(addrOf(to), cluster.token)).includes(regionId), 'the new datanode has it open');

    assert.deepEqual(await sqlRows(url, 'SELECT host, ts, v FROM moves ORDER BY host, ts'), [
      ['a', 1, 1],
      ['a', 5, 5],
      ['b', 2, 2],
      ['c', 4, 4],
      ['x', 3, 3],
      ['y', 6, 6],
    ]);
    const rowsBefore = await regionRowsOn(addrOf(to), cluster.token, regionId);
    assert.equal(await sqlAffected(url, "INSERT INTO moves VALUES ('d', 7, 7), ('e', 8, 8)"), 2);
    assert.equal(await regionRowsOn(addrOf(to), cluster.token, regionId), rowsBefore + 2);
    assert.deepEqual(await sqlRows(url, "SELECT count(*) FROM moves WHERE host < 'm'"), [[6]]);
    const info = await sqlRows(
      url,
      `SELECT procedure_type, status FROM information_schema.procedure_info WHERE procedure_id = '${id}'`,
    );
    assert.deepEqual(info, [['metasrv-procedure::RegionMigration', 'Done']]);
  });

  test('an INSERT loop running through the migration loses no acknowledged row', async () => {
    const url = cluster.httpUrl;
    await sqlAffected(
      url,
      "CREATE TABLE stream (host STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (host)) PARTITION ON COLUMNS (host) (host < 'm', host >= 'm')",
    );
    let acknowledged = 0;
    const failures: string[] = [];
    let stop = false;
    let sent = 0;
    const loop = (async () => {
      while (!stop) {
        const n = sent++;
        // Every row to the region that moves ('h…' < 'm'), some already flushed before the move.
        const reply = await postSql(url, `INSERT INTO stream VALUES ('h${n % 7}', ${n}, ${n})`);
        if (reply.status === 200) acknowledged++;
        else failures.push(reply.body.error ?? String(reply.status));
        if (n === 20) await postSql(url, "ADMIN flush_table('stream')");
      }
    })();
    await waitFor('some rows in', () => (acknowledged >= 30 ? true : undefined));
    const [regionId, [from]] = [...(await regionPeers(url, 'stream')).entries()][0]!;
    const to = otherNode(from);
    const { id, error } = await migrate(url, `${regionId}, ${from}, ${to}`);
    assert.ok(id, error);
    // The region refuses writes while it hands over; region_peers may catch it so.
    assert.deepEqual(await finished(url, id), { status: 'Done' });
    const atDone = acknowledged;
    await waitFor('more rows after the move', () => (acknowledged >= atDone + 20 ? true : undefined));
    stop = true;
    await loop;
    assert.deepEqual(failures, [], 'no insert failed');
    assert.deepEqual(await sqlRows(url, 'SELECT count(*) FROM stream'), [[acknowledged]]);
    assert.deepEqual((await regionPeers(url, 'stream')).get(regionId), [to, 'ALIVE']);
    assert.ok(!(await openRegionIds(addrOf(from), cluster.token)).includes(regionId));
  });

  test('bad calls are refused at once, naming the value', async () => {
    const url = cluster.httpUrl;
    await sqlAffected(url, 'CREATE TABLE bad (host STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (host))');
    const [regionId, [from]] = [...(await regionPeers(url, 'bad')).entries()][0]!;
    const elsewhere = otherNode(from);
    const refused = async (args: string, pattern: RegExp) => {
      const { id, error } = await migrate(url, args);
      assert.equal(id, undefined, `migrate_region(${args}) was refused`);
      assert.match(error ?? '', pattern);
    };
    await refused(`4398046511104999, ${from}, ${elsewhere}`, /Region 4398046511104999 not found/);
    await refused(`${regionId + 7}, ${from}, ${elsewhere}`, new RegExp(`Region ${regionId + 7} not found: table`));
    await refused(`${regionId}, ${elsewhere}, ${from}`, /The region migration procedure is completed/);
    const third = otherNode(from, elsewhere);
    await refused(
      `${regionId}, ${third}, ${elsewhere}`,
      new RegExp(`leader peer\\(${from}\\) is not the \`from_peer\`\\(${third}\\), region: ${regionId}`),
    );
    await refused(`${regionId}, ${from}, ${from}`, /can't equal `to_peer_id`/);
    await refused(`${regionId}, ${from}, 77`, /Datanode 77 not found/);
    await refused(`${regionId}, ${from}`, /expect exactly 3 or 4, have: 2/);
    const unknown = await postSql(url, "ADMIN procedure_state('migrate-region-nope')");
    assert.match(unknown.body.error ?? '', /Procedure not found: migrate-region-nope/);

    // A target that is down.
    const slot = cluster.datanodes.find((entry) => entry.nodeId === elsewhere)!;
    await cluster.stopDatanode(slot.index);
    await waitFor('the datanode counts as down', () =>
      cluster.metasrv.registry.list().find((node) => node.nodeId === elsewhere && node.role === 'datanode')?.status ===
      'alive'
        ? undefined
        : true,
    );
    await refused(
      `${regionId}, ${from}, ${elsewhere}`,
      new RegExp(`target peer is unavailable temporally: ${elsewhere}`),
    );
    await cluster.startDatanode(slot.index);
    assert.equal(await sqlAffected(url, "INSERT INTO bad VALUES ('a', 1, 1)"), 1);
  });
});

// ---------------------------------------------------------------------------------------------
// metasrv killed after `open-target`: separate processes, so metasrv can die at the fault point.

const processes = new TesseraProcesses();
const tessera = (args: string[], env?: Record<string, string>) => processes.start(args, env);

describe('region migration across a metasrv crash', () => {
  let home: string | undefined;

  after(async () => {
    await processes.killAll();
    if (home) await rm(home, { recursive: true, force: true });
  });

  test('metasrv killed after open-target: the restarted metasrv finishes the move', async () => {
    home = await mkdtemp(join(tmpdir(), 'tessera-migration-crash-'));
    const port = await freePort();
    const metasrvArgs = ['metasrv', '--data-home', join(home, 'meta'), '--bind-addr', `127.0.0.1:${port}`];
    let metasrv = tessera(metasrvArgs, { TESSERA_FAULT_PAUSE: 'region-migration:after-open-target' });
    await waitFor('metasrv listening', () => (/listening at ws:/.test(metasrv.output()) ? true : undefined));
    const tokenFile = join(home, 'meta', 'cluster-token');
    const metasrvUrl = `ws://127.0.0.1:${port}`;
    const objectStore = join(home, 'object-store');
    const datanodeArgs = (n: number) => [
      'datanode',
      '--metasrv',
      metasrvUrl,
      '--data-home',
      join(home!, `dn${n}`),
      '--object-store',
      objectStore,
      '--token-file',
      tokenFile,
    ];
    const datanodes = new Map([1, 2].map((n) => [n, tessera(datanodeArgs(n))]));
    const { httpUrl: url } = await processes.startFrontend(metasrvUrl, tokenFile);
    await waitFor('2 alive datanodes', async () => {
      const status = (await (await fetch(`${url}/status`)).json()) as { nodes: { role: string; status: string }[] };
      return status.nodes.filter((node) => node.role === 'datanode' && node.status === 'alive').length === 2
        ? true
        : undefined;
    });
    await sqlAffected(url, 'CREATE TABLE crash (host STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (host))');
    assert.equal(await sqlAffected(url, "INSERT INTO crash VALUES ('a', 1, 1), ('b', 2, 2)"), 2);
    const [regionId, [from]] = [...(await regionPeers(url, 'crash')).entries()][0]!;
    const to = from === 1 ? 2 : 1;

    // A datanode with an object store of its own cannot open the region: the migration rolls
    // back (the source takes writes again) and ends Failed, naming why.
    tessera(['datanode', '--metasrv', metasrvUrl, '--data-home', join(home, 'dn3'), '--token-file', tokenFile]);
    await waitFor('3 alive datanodes', async () => {
      const status = (await (await fetch(`${url}/status`)).json()) as { nodes: { role: string; status: string }[] };
      return status.nodes.filter((node) => node.role === 'datanode' && node.status === 'alive').length === 3
        ? true
        : undefined;
    });
    const doomed = await migrate(url, `${regionId}, ${from}, 3`);
    assert.ok(doomed.id, doomed.error);
    const failed = await finished(url, doomed.id);
    assert.equal(failed.status, 'Failed');
    assert.match(failed.error ?? '', new RegExp(`Region ${regionId} refused 'open' on datanode 3: .*does not exist`));
    assert.deepEqual((await regionPeers(url, 'crash')).get(regionId), [from, 'ALIVE']);
    assert.equal(await sqlAffected(url, "INSERT INTO crash VALUES ('b', 2, 2)"), 1);

    const { id, error } = await migrate(url, `${regionId}, ${from}, ${to}`);
    assert.ok(id, error);
    await waitFor('metasrv paused after open-target', () =>
      metasrv.output().includes('fault.paused') ? true : undefined,
    );
    // The source is downgraded and the route not moved yet.
    assert.deepEqual((await regionPeers(url, 'crash')).get(regionId), [from, 'DOWNGRADED']);
    metasrv.child.kill('SIGKILL');
    await metasrv.exited;

    metasrv = tessera(metasrvArgs, { TESSERA_LOG_LEVEL: 'info' });
    const state = await waitFor(
      'the resumed migration finishes',
      async () => {
        const reply = await postSql(url, `ADMIN procedure_state('${id}')`).catch(() => undefined);
        const text =
          reply?.status === 200 && 'records' in reply.body.output![0]!
            ? reply.body.output![0].records.rows[0]![0]
            : undefined;
        const parsed = typeof text === 'string' ? (JSON.parse(text) as { status: string }) : undefined;
        return parsed && parsed.status !== 'Running' ? parsed : undefined;
      },
      { timeoutMs: 60_000 },
    );
    assert.deepEqual(state, { status: 'Done' });
    assert.match(metasrv.output(), /procedure\.resuming.*region-migration.*"state":"update-route"/);
    assert.deepEqual((await regionPeers(url, 'crash')).get(regionId), [to, 'ALIVE']);
    assert.equal(await sqlAffected(url, "INSERT INTO crash VALUES ('c', 3, 3)"), 1);
    assert.deepEqual(await sqlRows(url, 'SELECT host, v FROM crash ORDER BY host'), [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    const status = (await (await fetch(`${url}/status`)).json()) as {
      nodes: { role: string; nodeId: number; addr: string }[];
    };
    const addrOf = (nodeId: number) =>
      status.nodes.find((node) => node.role === 'datanode' && node.nodeId === nodeId)!.addr;
    await waitFor('the source closed the region', async () =>
      (await openRegionIds(addrOf(from), token)).includes(regionId) ? undefined : true,
    );
    assert.ok((await openRegionIds(addrOf(to), token)).includes(regionId));

    // Part two: the source datanode dies after its downgrade and comes back while metasrv is
    // held there. Nothing may open the region on it meanwhile (its writes would miss the
    // flush the target opens from); the migration, resumed by a new metasrv, finishes.
    assert.equal(await sqlAffected(url, "INSERT INTO crash VALUES ('d', 4, 4)"), 1);
    metasrv.child.kill('SIGTERM');
    await metasrv.exited;
    metasrv = tessera(metasrvArgs, { TESSERA_FAULT_PAUSE: 'region-migration:after-downgrade' });
    const back = await waitFor('metasrv back', async () => {
      const reply = await migrate(url, `${regionId}, ${to}, ${from}`).catch(() => undefined);
      return reply?.id;
    });
    await waitFor('metasrv paused after downgrade', () =>
      metasrv.output().includes('fault.paused') ? true : undefined,
    );
    const sourceIndex = [1, 2].find(
      (n) =>
        (JSON.parse(readFileSync(join(home!, `dn${n}`, 'datanode.json'), 'utf8')) as { nodeId: number }).nodeId === to,
    )!;
    const source = datanodes.get(sourceIndex)!;
    source.child.kill('SIGKILL');
    await source.exited;
    datanodes.set(sourceIndex, tessera(datanodeArgs(sourceIndex)));
    const sourceAddr = await waitFor('the source datanode back', async () => {
      const status = (await (await fetch(`${url}/status`)).json()) as {
        nodes: { role: string; nodeId: number; addr: string; status: string }[];
      };
      const node = status.nodes.find((entry) => entry.role === 'datanode' && entry.nodeId === to);
      return node?.status === 'alive' && node.addr !== addrOf(to) ? node.addr : undefined;
    });
    const read = await postSql(url, 'SELECT count(*) FROM crash');
    assert.notEqual(read.status, 200, 'the region is not opened on the source while it migrates');
    assert.deepEqual(await openRegionIds(sourceAddr, token), []);
    metasrv.child.kill('SIGKILL');
    await metasrv.exited;
    metasrv = tessera(metasrvArgs, { TESSERA_LOG_LEVEL: 'info' });
    assert.deepEqual(await finished(url, back), { status: 'Done' });
    assert.deepEqual((await regionPeers(url, 'crash')).get(regionId), [from, 'ALIVE']);
    assert.equal(await sqlAffected(url, "INSERT INTO crash VALUES ('e', 5, 5)"), 1);
    assert.deepEqual(await sqlRows(url, 'SELECT host, v FROM crash ORDER BY host'), [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
      ['e', 5],
    ]);
  });
});
