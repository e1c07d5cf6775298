// The first end-to-end table path over HTTP /v1/sql on a real local cluster (2 datanode
// processes): CREATE TABLE → metasrv metadata + one region on a datanode → INSERT → SELECT,
// SHOW TABLES, DESC TABLE, ADMIN flush_table, DROP TABLE, and the data surviving a restart.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, createLogger } from '../common/index.ts';
import { RpcClient, getTable } from '../rpc/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { postSql, sqlAffected, sqlRows } from './testing/sql-over-http.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
// Datanode processes inherit the environment: keep their logs to warnings and errors.
process.env.TESSERA_LOG_LEVEL = 'warn';

const sql = (cluster: LocalCluster, text: string) => postSql(cluster.httpUrl, text);
const rows = (cluster: LocalCluster, text: string) => sqlRows(cluster.httpUrl, text);
const affected = (cluster: LocalCluster, text: string) => sqlAffected(cluster.httpUrl, text);

describe('tables over /v1/sql on a local cluster', () => {
  let dataHome: string;
  let cluster: LocalCluster;
  const start = () => startLocalCluster({ dataHome, datanodes: 2, httpAddr: '127.0.0.1:0', logger: quiet });

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-sql-tables-'));
    cluster = await start();
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('sql.tables.create-insert-select: CREATE TABLE, INSERT (last write wins), SELECT with WHERE / ORDER BY / GROUP BY', async () => {
    assert.equal(
      await affected(
        cluster,
        'CREATE TABLE cpu (host STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, PRIMARY KEY(host))',
      ),
      0,
    );
    assert.equal(
      await affected(
        cluster,
        `INSERT INTO cpu VALUES ('a', 1000, 1.5), ('b', 1000, 2.5), ('a', 2000, 3.5), ('c', '1970-01-01 00:00:03', 10)`,
      ),
      4,
    );
    // Same (host, ts) as a row above: the later write wins.
    assert.equal(await affected(cluster, `INSERT INTO cpu (ts, host, usage) VALUES (1000, 'a', 9.5)`), 1);

    assert.deepEqual(await rows(cluster, 'SELECT host, ts, usage FROM cpu ORDER BY host, ts'), [
      ['a', 1000, 9.5],
      ['a', 2000, 3.5],
      ['b', 1000, 2.5],
      ['c', 3000, 10],
    ]);
    assert.deepEqual(
      await rows(cluster, `SELECT host, usage FROM cpu WHERE usage > 3 AND host != 'c' ORDER BY usage DESC`),
      [
        ['a', 9.5],
        ['a', 3.5],
      ],
    );
    assert.deepEqual(
      await rows(cluster, 'SELECT host, count(*) AS n, max(usage) AS peak FROM cpu GROUP BY host ORDER BY host'),
      [
        ['a', 2, 9.5],
        ['b', 1, 2.5],
        ['c', 1, 10],
      ],
    );
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM cpu'), [[4]]);
    // Tag and time filters also travel to the region as hints; the answers must not change.
    assert.deepEqual(
      await rows(cluster, `SELECT host, ts FROM cpu WHERE host = 'a' AND ts >= '1970-01-01 00:00:02' ORDER BY ts`),
      [['a', 2000]],
    );
    assert.deepEqual(await rows(cluster, `SELECT host FROM cpu WHERE ts < 2000 AND host != 'b' ORDER BY host`), [
      ['a'],
    ]);
    const star = await sql(cluster, 'SELECT * FROM cpu ORDER BY host, ts LIMIT 1');
    const records = star.body.output![0]!;
    assert.ok('records' in records);
    assert.deepEqual(records.records.schema.column_schemas, [
      { name: 'host', data_type: 'String' },
      { name: 'ts', data_type: 'TimestampMillisecond' },
      { name: 'usage', data_type: 'Float64' },
    ]);
  });

  test('sql.tables.show-desc: SHOW TABLES and DESC TABLE as GreptimeDB shows them', async () => {
    assert.deepEqual(await rows(cluster, 'SHOW TABLES'), [['cpu'], ['numbers']]);
    assert.deepEqual(await rows(cluster, "SHOW TABLES LIKE 'c%'"), [['cpu']]);
    assert.deepEqual(await rows(cluster, "SHOW TABLES LIKE 'x%'"), []);
    const desc = await sql(cluster, 'DESC TABLE cpu');
    const output = desc.body.output![0]!;
    assert.ok('records' in output);
    assert.deepEqual(
      output.records.schema.column_schemas.map((column) => column.name),
      ['Column', 'Type', 'Key', 'Null', 'Default', 'Semantic Type'],
    );
    assert.deepEqual(output.records.rows, [
      ['host', 'String', 'PRI', 'YES', '', 'TAG'],
      ['ts', 'TimestampMillisecond', 'PRI', 'NO', '', 'TIMESTAMP'],
      ['usage', 'Float64', '', 'YES', '', 'FIELD'],
    ]);
  });

  test('sql.tables.errors: CREATE again is TableAlreadyExists; IF NOT EXISTS is not; unknown tables are TableNotFound', async () => {
    const again = await sql(cluster, 'CREATE TABLE cpu (host STRING, ts TIMESTAMP TIME INDEX, PRIMARY KEY(host))');
    assert.equal(again.body.code, ErrorCode.TableAlreadyExists);
    assert.equal(again.body.error, 'Table already exists: `greptime.public.cpu`');
    assert.equal(await affected(cluster, 'CREATE TABLE IF NOT EXISTS cpu (host STRING, ts TIMESTAMP TIME INDEX)'), 0);

    const desc = await sql(cluster, 'DESC TABLE nope');
    assert.equal(desc.body.code, ErrorCode.TableNotFound);
    assert.equal(desc.body.error, 'Table not found: nope');
    const insert = await sql(cluster, 'INSERT INTO nope VALUES (1)');
    assert.equal(insert.body.code, ErrorCode.TableNotFound);
  });

  test('sql.tables.flush: ADMIN flush_table flushes the region and the rows stay readable', async () => {
    assert.deepEqual(await rows(cluster, "ADMIN flush_table('cpu')"), [[0]]);
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM cpu'), [[4]]);
    const missing = await sql(cluster, "ADMIN flush_table('nope')");
    assert.equal(missing.body.code, ErrorCode.TableNotFound);
  });

  test('sql.tables.compact: ADMIN compact_table merges the flushed files and keeps every row once', async () => {
    await affected(cluster, "INSERT INTO cpu VALUES ('zz', 9000, 1.5)");
    assert.deepEqual(await rows(cluster, "ADMIN flush_table('cpu')"), [[0]]);
    assert.deepEqual(await rows(cluster, "ADMIN compact_table('cpu')"), [[0]]);
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM cpu'), [[5]]);
    await affected(cluster, "DELETE FROM cpu WHERE host = 'zz'");
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM cpu'), [[4]]);
  });

  test('sql.tables.placement: tables spread over the datanodes, fewest regions first', async () => {
    await affected(
      cluster,
      'CREATE TABLE mem (host STRING, ts TIMESTAMP(3) TIME INDEX, used BIGINT, PRIMARY KEY(host))',
    );
    await affected(cluster, `INSERT INTO mem VALUES ('a', 1000, 9007199254740993)`);
    assert.deepEqual(await rows(cluster, 'SELECT host, ts FROM mem'), [['a', 1000]]);
    const metasrv = new RpcClient({ url: cluster.metasrvUrl, token: cluster.token });
    try {
      const placed = await Promise.all(
        ['cpu', 'mem'].map(async (name) => {
          const { table } = await metasrv.call(getTable, { catalog: 'greptime', schema: 'public', name });
          assert.ok(table, name);
          assert.equal(table.info.tableId, name === 'cpu' ? 1024 : 1025);
          assert.deepEqual(table.info.regionIds, [table.info.tableId * 2 ** 32]);
          return table.peers[0]!.nodeId;
        }),
      );
      assert.deepEqual(placed.sort(), [1, 2], 'one region on each datanode');
    } finally {
      await metasrv.close();
    }
  });

  test('sql.tables.restart: rows (flushed and in the WAL) survive a cluster restart; regions reopen lazily', async () => {
    await affected(cluster, `INSERT INTO cpu VALUES ('d', 4000, 4.5)`); // after the flush: only in the WAL
    await cluster.stop();
    cluster = await start();
    assert.deepEqual(await rows(cluster, 'SELECT host, ts, usage FROM cpu ORDER BY host, ts'), [
      ['a', 1000, 9.5],
      ['a', 2000, 3.5],
      ['b', 1000, 2.5],
      ['c', 3000, 10],
      ['d', 4000, 4.5],
    ]);
    assert.deepEqual(await rows(cluster, 'SHOW TABLES'), [['cpu'], ['mem'], ['numbers']]);
    assert.equal(await affected(cluster, `INSERT INTO mem VALUES ('b', 2000, 1)`), 1);
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM mem'), [[2]]);
  });

  test('sql.tables.drop: DROP TABLE, then SELECT is TableNotFound and the name can be created again', async () => {
    assert.equal(await affected(cluster, 'DROP TABLE cpu'), 0);
    const select = await sql(cluster, 'SELECT * FROM cpu');
    assert.equal(select.status, 404);
    assert.equal(select.body.code, ErrorCode.TableNotFound);
    assert.equal(select.body.error, 'Failed to plan SQL: Table not found: greptime.public.cpu');
    const again = await sql(cluster, 'DROP TABLE cpu');
    assert.equal(again.body.code, ErrorCode.TableNotFound);
    assert.equal(await affected(cluster, 'DROP TABLE IF EXISTS cpu'), 0);
    assert.deepEqual(await rows(cluster, 'SHOW TABLES'), [['mem'], ['numbers']]);
    await affected(cluster, 'CREATE TABLE cpu (host STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, PRIMARY KEY(host))');
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM cpu'), [[0]]);
  });

  test('sql.tables.databases: CREATE / SHOW / DROP DATABASE, tables in another database', async () => {
    assert.equal(await affected(cluster, 'CREATE DATABASE other'), 1);
    assert.equal(await affected(cluster, 'CREATE DATABASE IF NOT EXISTS other'), 0);
    const again = await sql(cluster, 'CREATE DATABASE other');
    assert.equal(again.body.code, ErrorCode.InvalidArguments);
    assert.equal(again.body.error, 'Schema other already exists');
    assert.deepEqual(await rows(cluster, 'SHOW DATABASES'), [
      ['greptime_private'],
      ['information_schema'],
      ['other'],
      ['public'],
    ]);
    await affected(cluster, 'CREATE TABLE other.t (ts TIMESTAMP TIME INDEX, v DOUBLE)');
    await affected(cluster, 'INSERT INTO other.t VALUES (1, 1.5)');
    assert.deepEqual(await rows(cluster, 'SELECT v FROM other.t'), [[1.5]]);
    assert.deepEqual(await rows(cluster, 'SHOW TABLES FROM other'), [['t']]);
    const missing = await sql(cluster, 'CREATE TABLE nodb.t (ts TIMESTAMP TIME INDEX)');
    assert.equal(missing.body.code, ErrorCode.DatabaseNotFound);
    assert.equal(missing.body.error, 'Database not found: nodb');
    assert.equal(await affected(cluster, 'DROP DATABASE other'), 0);
    assert.equal((await sql(cluster, 'SELECT * FROM other.t')).body.code, ErrorCode.TableNotFound);
    assert.equal(await affected(cluster, 'DROP DATABASE IF EXISTS other'), 0);
    assert.equal((await sql(cluster, 'DROP DATABASE public')).body.code, ErrorCode.Unsupported);
  });

  test('sql.tables.dml: INSERT of expressions, INSERT ... SELECT, DELETE, TRUNCATE and the numbers table', async () => {
    await affected(cluster, 'CREATE TABLE dml (host STRING PRIMARY KEY, ts TIMESTAMP TIME INDEX, v DOUBLE)');
    assert.equal(await affected(cluster, "INSERT INTO dml VALUES ('a', 1 + 1, 2 * 3), ('b', 5, 1)"), 2);
    assert.deepEqual(await rows(cluster, 'SELECT host, ts, v FROM dml ORDER BY host'), [
      ['a', 2, 6],
      ['b', 5, 1],
    ]);
    await affected(cluster, 'CREATE TABLE dml_copy (host STRING PRIMARY KEY, ts TIMESTAMP(6) TIME INDEX, v DOUBLE)');
    assert.equal(await affected(cluster, 'INSERT INTO dml_copy SELECT * FROM dml'), 2);
    assert.deepEqual(await rows(cluster, 'SELECT ts FROM dml_copy ORDER BY ts'), [[2000], [5000]]);
    assert.equal(await affected(cluster, 'DELETE FROM dml WHERE v > 2'), 1);
    assert.deepEqual(await rows(cluster, 'SELECT host FROM dml'), [['b']]);
    assert.equal(await affected(cluster, 'TRUNCATE TABLE dml_copy'), 0);
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM dml_copy'), [[0]]);
    assert.deepEqual(await rows(cluster, 'SELECT count(*), min(number), max(number) FROM numbers'), [[100, 0, 99]]);
    await affected(cluster, 'DROP TABLE dml, dml_copy');
  });
});
