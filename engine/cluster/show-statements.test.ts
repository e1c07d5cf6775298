// SHOW statements over /v1/sql on a real local cluster, answered as GreptimeDB does from
// information_schema: SHOW [FULL] TABLES, TABLE STATUS, [FULL] COLUMNS, INDEX, REGION,
// CHARSET / COLLATION with LIKE and WHERE, PROCESSLIST, VARIABLES and STATUS.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { postSql, sqlRecords } from './testing/sql-over-http.ts';
import type { SqlRecords } from './testing/sql-over-http.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';

type Records = SqlRecords;
const post = (cluster: LocalCluster, text: string, db = 'public') => postSql(cluster.httpUrl, text, { db });
const records = (cluster: LocalCluster, text: string, db = 'public') => sqlRecords(cluster.httpUrl, text, db);

const names = (result: Records) => result.schema.column_schemas.map((column) => column.name);

describe('SHOW statements on a local cluster', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-show-statements-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 1, httpAddr: '127.0.0.1:0', logger: quiet });
    const created = await post(
      cluster,
      'CREATE TABLE metrics (host STRING, ts TIMESTAMP TIME INDEX, cpu DOUBLE, PRIMARY KEY(host))',
    );
    assert.equal(created.status, 200, created.body.error);
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('show.tables: FULL, LIKE and WHERE over information_schema.tables', async () => {
    const full = await records(cluster, 'SHOW FULL TABLES');
    assert.deepEqual(names(full), ['Tables_in_public', 'Table_type']);
    assert.deepEqual(full.rows, [
      ['metrics', 'BASE TABLE'],
      ['numbers', 'LOCAL TEMPORARY'],
    ]);
    assert.deepEqual((await records(cluster, "SHOW TABLES LIKE 'met%'")).rows, [['metrics']]);
    assert.deepEqual((await records(cluster, "SHOW TABLES FROM information_schema LIKE 'sch%'")).rows, [
      ['schema_privileges'],
      ['schemata'],
    ]);
    assert.deepEqual((await records(cluster, "SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")).rows, [
      ['metrics', 'BASE TABLE'],
    ]);
  });

  test('show.table-status: MySQL columns, filtered by WHERE on a shown column', async () => {
    const status = await records(cluster, "SHOW TABLE STATUS WHERE Name = 'metrics'");
    assert.equal(names(status).length, 18);
    assert.deepEqual(status.rows[0]!.slice(0, 4), ['metrics', 'mito', 11, 'Fixed']);
  });

  test('show.columns: plain and FULL, sorted by name', async () => {
    const plain = await records(cluster, 'SHOW COLUMNS FROM metrics');
    assert.deepEqual(names(plain), ['Field', 'Type', 'Null', 'Key', 'Default', 'Extra', 'Greptime_type']);
    assert.deepEqual(plain.rows, [
      ['cpu', 'double', 'YES', '', null, '', 'Float64'],
      ['host', 'string', 'YES', 'PRI', null, '', 'String'],
      ['ts', 'timestamp(3)', 'NO', 'TIME INDEX', null, '', 'TimestampMillisecond'],
    ]);
    const full = await records(cluster, "SHOW FULL COLUMNS FROM metrics FROM public LIKE 'h%'");
    assert.deepEqual(names(full), [
      'Field',
      'Type',
      'Collation',
      'Null',
      'Key',
      'Default',
      'Comment',
      'Privileges',
      'Extra',
      'Greptime_type',
    ]);
    assert.deepEqual(full.rows, [
      ['host', 'string', 'utf8_bin', 'YES', 'PRI', null, null, 'select,insert', '', 'String'],
    ]);
  });

  test('show.index: primary key and time index rows', async () => {
    const index = await records(cluster, 'SHOW INDEX FROM metrics');
    assert.deepEqual(names(index).slice(0, 5), ['Table', 'Non_unique', 'Key_name', 'Seq_in_index', 'Column_name']);
    assert.deepEqual(
      index.rows.map((row) => [row[0], row[1], row[2], row[3], row[4], row[9], row[10]]),
      [
        ['metrics', 0, 'PRIMARY', 1, 'host', 'YES', 'PRIMARY'],
        ['metrics', 1, 'TIME INDEX', 1, 'ts', '', 'TIME'],
      ],
    );
  });

  test('show.region: the table route, one leader per region', async () => {
    const region = await records(cluster, 'SHOW REGION FROM metrics');
    assert.deepEqual(names(region), ['Table', 'Region', 'Peer', 'Leader']);
    assert.equal(region.rows.length, 1);
    assert.deepEqual([region.rows[0]![0], region.rows[0]![2], region.rows[0]![3]], ['metrics', 1, 'Yes']);
    assert.deepEqual((await records(cluster, "SHOW REGION FROM metrics WHERE Leader = 'No'")).rows, []);
  });

  test('show.charset-collation: LIKE and WHERE', async () => {
    const charset = await records(cluster, "SHOW CHARACTER SET WHERE Charset = 'utf8'");
    assert.deepEqual(names(charset), ['Charset', 'Description', 'Default collation', 'Maxlen']);
    assert.deepEqual(charset.rows, [['utf8', 'UTF-8 Unicode', 'utf8_bin', 4]]);
    assert.deepEqual((await records(cluster, "SHOW CHARSET LIKE 'latin1'")).rows, []);
    assert.deepEqual((await records(cluster, 'SHOW COLLATION')).rows, [['utf8_bin', 'utf8', 1, 'Yes', 'Yes', 1]]);
  });

  test('show.processlist: the running request itself', async () => {
    const list = await records(cluster, 'SHOW FULL PROCESSLIST;');
    assert.deepEqual(names(list), [
      'Id',
      'Catalog',
      'Schema',
      'Client',
      'Frontend',
      'Start Time',
      'Elapsed Time',
      'Query',
    ]);
    assert.equal(list.rows.length, 1);
    const [id, catalog, schema, , frontend, , elapsed, query] = list.rows[0]!;
    assert.match(String(id), /^127\.0\.0\.1:\d+\/\d+$/);
    assert.deepEqual([catalog, schema, query], ['greptime', 'public', 'SHOW FULL PROCESSLIST']);
    assert.match(String(frontend), /^127\.0\.0\.1:\d+$/);
    assert.match(String(elapsed), /^PT\d+\.\d{3}S$/);
  });

  test('show.variables: time zones and read preference; an unknown variable is InvalidArguments', async () => {
    const zone = await records(cluster, 'SHOW VARIABLES time_zone');
    assert.deepEqual(names(zone), ['TIME_ZONE']);
    assert.deepEqual(zone.rows, [['UTC']]);
    assert.deepEqual((await records(cluster, 'SHOW VARIABLES system_time_zone')).rows, [['UTC']]);
    const unknown = await post(cluster, 'SHOW VARIABLES nope');
    assert.equal(unknown.body.code, 1004);
    assert.equal(unknown.body.error, 'Unsupported show variable: NOPE');
    assert.deepEqual(names(await records(cluster, 'SHOW STATUS')), ['Variable_name', 'Value']);
  });
});
