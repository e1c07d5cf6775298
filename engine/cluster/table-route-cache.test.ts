// The frontend's route cache on a real cluster with two frontends: a table changed through one
// frontend is seen at once by the other (metasrv's change stream drops the cached route), and
// a datanode that comes back at a new address is found again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import type { Frontend } from '../frontend/index.ts';
import type { LocalCluster } from './local-cluster.ts';
import { startTwoFrontends } from './testing/two-frontends.ts';
import type { TwoFrontends } from './testing/two-frontends.ts';
import { postSql, sqlRows } from './testing/sql-over-http.ts';
import { waitFor } from './testing/wait-for.ts';

process.env.TESSERA_LOG_LEVEL = 'warn';
const quiet = createLogger({ role: 'test', level: 'error' });

let cluster: LocalCluster;
let second: Frontend;
let frontends: TwoFrontends | undefined;

const sql = (url: string, text: string) => postSql(url, text);
const rows = (url: string, text: string) => sqlRows(url, text);

before(async () => {
  frontends = await startTwoFrontends('route-cache', 2, quiet);
  ({ cluster, second } = frontends);
});

after(async () => {
  await frontends?.stop();
});

test('route cache: DDL through one frontend is seen by the other at once', async () => {
  const a = cluster.httpUrl;
  const b = second.httpUrl;
  await rows(a, 'SELECT 1');
  assert.equal(
    (await sql(a, 'CREATE TABLE t (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k))')).status,
    200,
  );
  assert.equal((await sql(a, "INSERT INTO t VALUES ('x', 1, 1.5)")).status, 200);
  // b caches t's route by reading it.
  assert.deepEqual(await rows(b, 'SELECT k, v FROM t'), [['x', 1.5]]);
  // a adds a column; b's next statement sees it (the change stream dropped b's cached route).
  assert.equal((await sql(a, 'ALTER TABLE t ADD COLUMN w DOUBLE')).status, 200);
  assert.equal((await sql(a, "INSERT INTO t VALUES ('y', 2, 2.5, 7)")).status, 200);
  const seen = await waitFor('b sees the new column', () => sqlRows(b, 'SELECT k, w FROM t ORDER BY k'));
  assert.deepEqual(seen, [
    ['x', null],
    ['y', 7],
  ]);
  // a drops and recreates t (a new table id, new regions); b reads the new one.
  assert.equal((await sql(a, 'DROP TABLE t')).status, 200);
  assert.equal(
    (await sql(a, 'CREATE TABLE t (k STRING, ts TIMESTAMP TIME INDEX, v DOUBLE, PRIMARY KEY (k))')).status,
    200,
  );
  assert.equal((await sql(a, "INSERT INTO t VALUES ('z', 3, 3.5)")).status, 200);
  const recreated = await waitFor('b reads the recreated table', () => sqlRows(b, 'SELECT k FROM t'));
  assert.deepEqual(recreated, [['z']]);
});

test('route cache: a datanode killed and restarted at a new address is found again', async () => {
  const b = second.httpUrl;
  assert.deepEqual(await rows(b, 'SELECT k FROM t'), [['z']]);
  const slot = cluster.datanodes.find((candidate) => candidate.process !== undefined)!;
  const before = slot.url;
  process.kill(slot.process!.pid, 'SIGKILL');
  await waitFor(
    'the datanode restarted at a new address',
    async () => (slot.url && slot.url !== before ? true : undefined),
    {
      timeoutMs: 60_000,
    },
  );
  const rowsAfter = await waitFor(
    'the table reads again after the datanode restarted',
    () => sqlRows(b, 'SELECT k FROM t'),
    { timeoutMs: 60_000 },
  );
  assert.deepEqual(rowsAfter, [['z']]);
});
