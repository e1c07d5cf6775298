// DDL procedures survive metasrv dying mid-way: metasrv, two datanodes and a frontend run as
// separate processes; metasrv is stopped dead (SIGKILL) between two steps of a partitioned
// CREATE TABLE, an ALTER TABLE, a DROP TABLE, a TRUNCATE TABLE and a DROP DATABASE (a fault
// point holds it there), and each time the restarted metasrv finishes the statement from the
// persisted procedure state. information_schema.procedure_info shows them done afterwards.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import { RpcClient, regionStatistics } from '../rpc/index.ts';
import { TesseraProcesses, freePort } from './testing/tessera-processes.ts';
import { postSql, sqlAffected, sqlRows } from './testing/sql-over-http.ts';
import { waitFor } from './testing/wait-for.ts';

const processes = new TesseraProcesses();
const tessera = (args: string[], env?: Record<string, string>) => processes.start(args, env);
let home: string | undefined;

after(async () => {
  await processes.killAll();
  if (home) await rm(home, { recursive: true, force: true });
});

/** The datanodes' rpc addresses (asked while metasrv is up). */
async function datanodeAddrs(httpUrl: string): Promise<string[]> {
  const status = (await (await fetch(`${httpUrl}/status`)).json()) as { nodes: { role: string; addr: string }[] };
  return status.nodes.filter((entry) => entry.role === 'datanode').map((node) => node.addr);
}

/** Until metasrv counts both datanodes alive again (they heartbeat a restarted metasrv within an interval). */
async function waitForAliveDatanodes(httpUrl: string): Promise<void> {
  await waitFor('2 alive datanodes', async () => {
    const response = await fetch(`${httpUrl}/status`).catch(() => undefined);
    if (response?.status !== 200) return undefined;
    const status = (await response.json()) as { nodes: { role: string; status: string }[] };
    const alive = status.nodes.filter((node) => node.role === 'datanode' && node.status === 'alive');
    return alive.length === 2 ? true : undefined;
  });
}

/** How many regions the datanodes have open, asked of each datanode over rpc. */
async function openRegions(addrs: string[], token: string): Promise<number> {
  let count = 0;
  for (const addr of addrs) {
    const client = new RpcClient({ url: addr, token });
    try {
      count += (await client.call(regionStatistics, {})).regions.length;
    } finally {
      await client.close();
    }
  }
  return count;
}

test('procedures: CREATE, ALTER, DROP, TRUNCATE TABLE and DROP DATABASE interrupted by killing metasrv complete after its restart', async () => {
  home = await mkdtemp(join(tmpdir(), 'tessera-procedure-'));
  const port = await freePort();
  const metasrvArgs = ['metasrv', '--data-home', join(home, 'meta'), '--bind-addr', `127.0.0.1:${port}`];
  let metasrv = tessera(metasrvArgs, { TESSERA_FAULT_PAUSE: 'create-table:after-regions' });
  await waitFor('metasrv listening', async () => (/listening at ws:/.test(metasrv.output()) ? true : undefined));
  const tokenFile = join(home, 'meta', 'cluster-token');
  const metasrvUrl = `ws://127.0.0.1:${port}`;
  for (const n of [1, 2]) {
    tessera(['datanode', '--metasrv', metasrvUrl, '--data-home', join(home, `dn${n}`), '--token-file', tokenFile]);
  }
  const { httpUrl } = await processes.startFrontend(metasrvUrl, tokenFile);
  await waitForAliveDatanodes(httpUrl);

  // The CREATE reaches the fault point after the regions exist; its client gives up later.
  const abandoned = new AbortController();
  const create = postSql(
    httpUrl,
    "CREATE TABLE t (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k)) PARTITION ON COLUMNS (k) (k < 'm', k >= 'm')",
    { signal: abandoned.signal },
  ).catch((error: unknown) => error);
  await waitFor('metasrv paused between procedure steps', async () =>
    metasrv.output().includes('fault.paused') ? true : undefined,
  );
  metasrv.child.kill('SIGKILL');
  await metasrv.exited;
  abandoned.abort();
  await create;

  // Info logs on: the restarted metasrv says it resumed the procedure. Each restarted metasrv
  // also holds the fault point of the next part, which saves a restart per part.
  metasrv = tessera(metasrvArgs, { TESSERA_LOG_LEVEL: 'info', TESSERA_FAULT_PAUSE: 'alter-table:after-regions' });
  const tables = await waitFor('the resumed procedure commits the table', async () => {
    const names = (await sqlRows(httpUrl, 'SHOW TABLES')).map((row) => row[0]);
    return names.includes('t') ? names : undefined;
  });
  assert.ok(tables.includes('t'));
  assert.match(metasrv.output(), /procedure\.resuming.*create-table.*"state":"commit"/);

  assert.equal(await sqlAffected(httpUrl, "INSERT INTO t VALUES ('a', 1, 1.5), ('z', 2, 2.5), ('q', 3, 3.5)"), 3);
  const partitions = await sqlRows(
    httpUrl,
    "SELECT partition_description FROM information_schema.partitions WHERE table_name = 't' ORDER BY partition_name",
  );
  assert.deepEqual(partitions, [["k < 'm'"], ["k >= 'm'"]]);
  assert.deepEqual(
    await sqlRows(
      httpUrl,
      "SELECT procedure_type, status, lock_keys FROM information_schema.procedure_info WHERE procedure_type LIKE '%CreateTable'",
    ),
    [
      [
        'metasrv-procedure::CreateTable',
        'Done',
        '__catalog_lock/greptime,__schema_lock/greptime.public,__table_name_lock/greptime.public.t',
      ],
    ],
  );
  assert.deepEqual(await sqlRows(httpUrl, 'SELECT k, v FROM t ORDER BY k'), [
    ['a', 1.5],
    ['q', 3.5],
    ['z', 2.5],
  ]);

  // Part two: ALTER TABLE, stopped dead after the regions changed but before the table info
  // did; the restarted metasrv sees the regions already altered and commits the info.
  const abandonedAlter = new AbortController();
  const alter = postSql(httpUrl, 'ALTER TABLE t ADD COLUMN w DOUBLE', { signal: abandonedAlter.signal }).catch(
    (error: unknown) => error,
  );
  await waitFor('metasrv paused inside ALTER', async () =>
    metasrv.output().includes('fault.paused') ? true : undefined,
  );
  metasrv.child.kill('SIGKILL');
  await metasrv.exited;
  abandonedAlter.abort();
  await alter;
  metasrv = tessera(metasrvArgs, { TESSERA_LOG_LEVEL: 'info', TESSERA_FAULT_PAUSE: 'drop-table:after-metadata' });
  await waitFor('the resumed alter commits the new column', async () => {
    const reply = await postSql(httpUrl, 'SELECT k, w FROM t ORDER BY k').catch(() => undefined);
    return reply?.status === 200 ? true : undefined;
  });
  assert.match(metasrv.output(), /procedure\.resuming.*alter-table/);
  assert.equal((await postSql(httpUrl, "INSERT INTO t VALUES ('b', 4, 4.5, 9)")).status, 200);
  assert.deepEqual(await sqlRows(httpUrl, 'SELECT k, w FROM t ORDER BY k'), [
    ['a', null],
    ['b', 9],
    ['q', null],
    ['z', null],
  ]);

  // Part three: DROP TABLE, stopped dead after the table left the metadata but before its
  // regions were dropped; the restarted metasrv drops them.
  const token = (await readFile(tokenFile, 'utf8')).trim();
  const addrs = await datanodeAddrs(httpUrl);
  assert.equal(await openRegions(addrs, token), 2, 'both regions of t are open');
  const abandonedDrop = new AbortController();
  const drop = postSql(httpUrl, 'DROP TABLE t', { signal: abandonedDrop.signal }).catch((error: unknown) => error);
  await waitFor('metasrv paused inside DROP', async () =>
    metasrv.output().includes('fault.paused') ? true : undefined,
  );
  metasrv.child.kill('SIGKILL');
  await metasrv.exited;
  abandonedDrop.abort();
  await drop;
  assert.equal(await openRegions(addrs, token), 2, 'the regions are still there while metasrv is down');
  metasrv = tessera(metasrvArgs, {
    TESSERA_LOG_LEVEL: 'info',
    TESSERA_FAULT_PAUSE: 'truncate-table:after-first-region',
  });
  await waitFor('the resumed drop removes the regions', async () =>
    (await openRegions(addrs, token)) === 0 ? true : undefined,
  );
  assert.match(metasrv.output(), /procedure\.resuming.*drop-table/);
  const after = await postSql(httpUrl, 'SHOW TABLES');
  assert.ok(!JSON.stringify(after.body).includes('"t"'));

  // Part four: TRUNCATE of a partitioned table, stopped dead after its first region (k < 'm')
  // was truncated. A row written to that region while metasrv is held there must survive the
  // resumed truncate, which skips the region by its lastTruncateId; the other region empties.
  assert.equal(
    await sqlAffected(
      httpUrl,
      "CREATE TABLE tr (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k)) PARTITION ON COLUMNS (k) (k < 'm', k >= 'm')",
    ),
    0,
  );
  assert.equal(
    await sqlAffected(httpUrl, "INSERT INTO tr VALUES ('a', 1, 1), ('c', 2, 2), ('x', 3, 3), ('y', 4, 4)"),
    4,
  );
  const abandonedTruncate = new AbortController();
  const truncate = postSql(httpUrl, 'TRUNCATE TABLE tr', { signal: abandonedTruncate.signal }).catch(
    (error: unknown) => error,
  );
  await waitFor('metasrv paused inside TRUNCATE', async () =>
    metasrv.output().includes('fault.paused') ? true : undefined,
  );
  assert.deepEqual(await sqlRows(httpUrl, 'SELECT k FROM tr ORDER BY k'), [['x'], ['y']], 'the first region is empty');
  assert.equal(await sqlAffected(httpUrl, "INSERT INTO tr VALUES ('b', 5, 5)"), 1);
  metasrv.child.kill('SIGKILL');
  await metasrv.exited;
  abandonedTruncate.abort();
  await truncate;
  metasrv = tessera(metasrvArgs, { TESSERA_LOG_LEVEL: 'info', TESSERA_FAULT_PAUSE: 'drop-database:after-first-table' });
  await waitFor('the resumed truncate empties the second region', async () =>
    /table\.truncated/.test(metasrv.output()) ? true : undefined,
  );
  assert.match(metasrv.output(), /procedure\.resuming.*truncate-table/);
  assert.deepEqual(await sqlRows(httpUrl, 'SELECT k, v FROM tr ORDER BY k'), [['b', 5]]);

  // Part five: DROP DATABASE of two tables, stopped dead after the first table was dropped;
  // the restarted metasrv drops the other, closes its regions and removes the database.
  assert.equal(await sqlAffected(httpUrl, 'CREATE DATABASE dropme'), 1);
  for (const name of ['a', 'b']) {
    const create = `CREATE TABLE dropme.${name} (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k))`;
    assert.equal(await sqlAffected(httpUrl, create), 0);
    assert.equal(await sqlAffected(httpUrl, `INSERT INTO dropme.${name} VALUES ('a', 1, 1)`), 1);
  }
  assert.equal(await openRegions(addrs, token), 4, 'the two regions of tr and one each of dropme.a and dropme.b');
  await waitForAliveDatanodes(httpUrl);
  const abandonedDropDatabase = new AbortController();
  const dropDatabase = postSql(httpUrl, 'DROP DATABASE dropme', { signal: abandonedDropDatabase.signal }).catch(
    (error: unknown) => error,
  );
  await waitFor('metasrv paused inside DROP DATABASE', async () =>
    metasrv.output().includes('fault.paused') ? true : undefined,
  );
  metasrv.child.kill('SIGKILL');
  await metasrv.exited;
  abandonedDropDatabase.abort();
  await dropDatabase;
  assert.equal(await openRegions(addrs, token), 3, 'one table of dropme is dropped, the other not yet');
  metasrv = tessera(metasrvArgs, { TESSERA_LOG_LEVEL: 'info' });
  await waitFor('the resumed drop removes the database', async () => {
    const reply = await postSql(httpUrl, 'SHOW DATABASES').catch(() => undefined);
    return reply?.status === 200 && !JSON.stringify(reply.body).includes('dropme') ? true : undefined;
  });
  assert.match(metasrv.output(), /procedure\.resuming.*drop-database/);
  assert.equal(await openRegions(addrs, token), 2, "only tr's regions are left");
  const createInDropped = await postSql(
    httpUrl,
    'CREATE TABLE dropme.c (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k))',
  );
  assert.notEqual(createInDropped.status, 200);
  assert.match(String(createInDropped.body.error), /dropme/);

  // Every procedure above is remembered as done, across the metasrv restarts.
  const types = (
    await sqlRows(
      httpUrl,
      "SELECT DISTINCT procedure_type FROM information_schema.procedure_info WHERE status = 'Done'",
    )
  ).map((row) => row[0]);
  for (const kind of ['CreateTable', 'AlterTable', 'DropTable', 'TruncateTable', 'CreateDatabase', 'DropDatabase']) {
    assert.ok(types.includes(`metasrv-procedure::${kind}`), `${kind} in ${types.join(', ')}`);
  }
});
