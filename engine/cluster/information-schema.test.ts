// information_schema over /v1/sql on a real local cluster: GreptimeDB's tables with their
// columns and rows, built per statement from metasrv (tables, columns, schemata, keys and
// constraints, regions and partitions, the fixed MySQL tables), DESC of a system table, and
// information_schema being read-only.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { postSql, sqlRecords } from './testing/sql-over-http.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';

const post = (cluster: LocalCluster, text: string, db = 'public') => postSql(cluster.httpUrl, text, { db });
const records = (cluster: LocalCluster, text: string, db = 'public') => sqlRecords(cluster.httpUrl, text, db);

const rows = async (cluster: LocalCluster, text: string, db = 'public') => (await records(cluster, text, db)).rows;

describe('information_schema on a local cluster', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-information-schema-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 1, httpAddr: '127.0.0.1:0', logger: quiet });
    await post(cluster, 'CREATE DATABASE isdb');
    await post(
      cluster,
      'CREATE TABLE isdb.cpu (host STRING, dc STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE DEFAULT 0, PRIMARY KEY(dc, host))',
    );
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('information-schema.tables: user tables, public.numbers and information_schema itself', async () => {
    const listed = await rows(
      cluster,
      "SELECT table_schema, table_name, table_type, engine, temporary FROM information_schema.tables WHERE table_schema != 'information_schema' ORDER BY table_schema, table_name",
    );
    assert.deepEqual(listed, [
      ['isdb', 'cpu', 'BASE TABLE', 'mito', 'N'],
      ['public', 'numbers', 'LOCAL TEMPORARY', 'test_engine', 'Y'],
    ]);
    const system = await rows(
      cluster,
      "SELECT table_name, table_id FROM information_schema.tables WHERE table_schema = 'information_schema' ORDER BY table_name LIMIT 3",
    );
    assert.deepEqual(system, [
      ['build_info', 8],
      ['character_sets', 9],
      ['check_constraints', 12],
    ]);
    const [count] = await rows(
      cluster,
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'information_schema'",
    );
    assert.deepEqual(count, [39]);
  });

  test('information-schema.columns: types, keys, defaults and ordinal positions', async () => {
    const result = await records(
      cluster,
      "SELECT column_name, ordinal_position, data_type, greptime_data_type, semantic_type, column_key, is_nullable, column_default, numeric_precision, datetime_precision FROM information_schema.columns WHERE table_schema = 'isdb' AND table_name = 'cpu' ORDER BY ordinal_position",
    );
    assert.deepEqual(result.rows, [
      ['host', 1, 'string', 'String', 'TAG', 'PRI', 'YES', null, null, null],
      ['dc', 2, 'string', 'String', 'TAG', 'PRI', 'YES', null, null, null],
      ['ts', 3, 'timestamp(3)', 'TimestampMillisecond', 'TIMESTAMP', 'TIME INDEX', 'NO', null, null, 3],
      ['usage', 4, 'double', 'Float64', 'FIELD', '', 'YES', '0', 22, null],
    ]);
    assert.deepEqual(
      await rows(
        cluster,
        "SELECT data_type, is_nullable FROM information_schema.columns WHERE table_name = 'cluster_info' AND column_name IN ('peer_id', 'start_time') ORDER BY column_name",
      ),
      [
        ['bigint', 'NO'],
        ['timestamp(3)', 'YES'],
      ],
    );
  });

  test('information-schema.keys: key_column_usage, table_constraints and statistics follow the primary key order', async () => {
    assert.deepEqual(
      await rows(
        cluster,
        "SELECT constraint_name, column_name, ordinal_position, greptime_index_type FROM information_schema.key_column_usage WHERE table_schema = 'isdb' ORDER BY constraint_name, ordinal_position",
      ),
      [
        ['PRIMARY', 'dc', 1, 'dense'],
        ['PRIMARY', 'host', 2, 'dense'],
        ['TIME INDEX', 'ts', 1, ''],
      ],
    );
    assert.deepEqual(
      await rows(
        cluster,
        "SELECT constraint_name, constraint_type FROM information_schema.table_constraints WHERE table_name = 'cpu' ORDER BY constraint_name",
      ),
      [
        ['PRIMARY', 'PRIMARY KEY'],
        ['TIME INDEX', 'TIME INDEX'],
      ],
    );
  });

  test('information-schema.schemata: databases with the system ones', async () => {
    assert.deepEqual(
      await rows(
        cluster,
        'SELECT catalog_name, schema_name, default_character_set_name FROM information_schema.schemata ORDER BY schema_name',
      ),
      [
        ['greptime', 'greptime_private', 'utf8'],
        ['greptime', 'information_schema', 'utf8'],
        ['greptime', 'isdb', 'utf8'],
        ['greptime', 'public', 'utf8'],
      ],
    );
  });

  test('information-schema.regions: region_peers, partitions and region_statistics describe the table route', async () => {
    const [[tableId]] = (await rows(
      cluster,
      "SELECT table_id FROM information_schema.tables WHERE table_schema = 'isdb' AND table_name = 'cpu'",
    )) as [[number]];
    const regionId = tableId * 2 ** 32;
    assert.deepEqual(
      await rows(
        cluster,
        "SELECT region_id, peer_id, is_leader, status FROM information_schema.region_peers WHERE table_name = 'cpu'",
      ),
      [[regionId, 1, 'Yes', 'ALIVE']],
    );
    assert.deepEqual(
      await rows(
        cluster,
        "SELECT partition_name, partition_ordinal_position, greptime_partition_id FROM information_schema.partitions WHERE table_name = 'cpu'",
      ),
      [['p0', 1, regionId]],
    );
    assert.deepEqual(
      await rows(
        cluster,
        'SELECT table_id, region_number, region_role FROM information_schema.region_statistics WHERE region_id = ' +
          regionId,
      ),
      [[tableId, 0, 'Leader']],
    );
    // The counters are the datanode's: rows in the memtable, then in an SST after a flush.
    await post(cluster, "INSERT INTO isdb.cpu (host, dc, ts, usage) VALUES ('a', 'x', 1, 1), ('b', 'x', 2, 2)");
    const counters = `SELECT region_rows, sst_num, sst_size > 0, disk_size = sst_size FROM information_schema.region_statistics WHERE region_id = ${regionId}`;
    assert.deepEqual(await rows(cluster, counters), [[2, 0, false, true]]);
    assert.deepEqual(
      await rows(
        cluster,
        `SELECT memtable_size > 0 FROM information_schema.region_statistics WHERE region_id = ${regionId}`,
      ),
      [[true]],
    );
    await post(cluster, "ADMIN flush_table('isdb.cpu')");
    assert.deepEqual(await rows(cluster, counters), [[2, 1, true, true]]);
  });

  test('information-schema.fixed: engines, character sets, collations, build_info and the empty MySQL tables', async () => {
    assert.deepEqual(await rows(cluster, 'SELECT engine, support FROM information_schema.engines'), [
      ['mito', 'DEFAULT'],
      ['metric', 'YES'],
    ]);
    assert.deepEqual(await rows(cluster, 'SELECT * FROM information_schema.character_sets'), [
      ['utf8', 'utf8_bin', 'UTF-8 Unicode', 4],
    ]);
    assert.deepEqual(await rows(cluster, 'SELECT * FROM information_schema.collations'), [
      ['utf8_bin', 'utf8', 1, 'Yes', 'Yes', 1],
    ]);
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM information_schema.build_info'), [[1]]);
    const events = await records(cluster, 'SELECT * FROM information_schema.events');
    assert.equal(events.rows.length, 0);
    assert.equal(events.schema.column_schemas.length, 24);
  });

  test('information-schema.desc: DESC of a system table lists its columns as fields', async () => {
    assert.deepEqual(await rows(cluster, 'DESC TABLE schemata', 'information_schema'), [
      ['catalog_name', 'String', '', 'NO', '', 'FIELD'],
      ['schema_name', 'String', '', 'NO', '', 'FIELD'],
      ['default_character_set_name', 'String', '', 'NO', '', 'FIELD'],
      ['default_collation_name', 'String', '', 'NO', '', 'FIELD'],
      ['sql_path', 'String', '', 'YES', '', 'FIELD'],
      ['options', 'String', '', 'YES', '', 'FIELD'],
    ]);
  });

  test('information-schema.read-only: DDL and writes on information_schema fail with Unsupported', async () => {
    for (const text of [
      'CREATE TABLE t (ts TIMESTAMP TIME INDEX)',
      'DROP TABLE build_info',
      'TRUNCATE TABLE build_info',
    ]) {
      const reply = await post(cluster, text, 'information_schema');
      assert.equal(reply.body.code, 1001, text);
      assert.equal(reply.body.error, 'Schema `information_schema` is read-only');
    }
    const reply = await post(cluster, 'DELETE FROM build_info', 'information_schema');
    assert.equal(reply.body.error, 'Cannot change read-only table: build_info');
  });
});
