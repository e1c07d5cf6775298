// GreptimeDB's DDL over HTTP /v1/sql on a real local cluster (1 datanode process): table and
// database options (SHOW CREATE, ALTER DATABASE, inheritance, ttl 'instant'), views, the
// metric engine's physical and logical tables, and ALTER of column types, defaults and indexes.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';

type Output = { affectedrows: number } | { records: { rows: unknown[][] } };

async function sql(
  cluster: LocalCluster,
  text: string,
): Promise<{ status: number; output?: Output[]; error?: string }> {
  const response = await fetch(`${cluster.httpUrl}/v1/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql: text }),
  });
  const body = (await response.json()) as { output?: Output[]; error?: string };
  return { status: response.status, ...body };
}

async function rows(cluster: LocalCluster, text: string): Promise<unknown[][]> {
  const reply = await sql(cluster, text);
  assert.equal(reply.status, 200, `${text}: ${reply.error}`);
  const output = reply.output![0]!;
  assert.ok('records' in output, `${text} returns records`);
  return output.records.rows;
}

async function run(cluster: LocalCluster, text: string): Promise<number> {
  const reply = await sql(cluster, text);
  assert.equal(reply.status, 200, `${text}: ${reply.error}`);
  const output = reply.output![0]!;
  assert.ok('affectedrows' in output, `${text} returns affectedrows`);
  return output.affectedrows;
}

async function failure(cluster: LocalCluster, text: string): Promise<string> {
  const reply = await sql(cluster, text);
  assert.notEqual(reply.status, 200, `${text} should fail`);
  return reply.error ?? '';
}

describe('DDL as GreptimeDB has it, over /v1/sql', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-sql-ddl-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 1, httpAddr: '127.0.0.1:0', logger: quiet });
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('sql.ddl.options: WITH options are kept and printed, unknown keys refused, SET/UNSET', async () => {
    await run(
      cluster,
      `CREATE TABLE opts (ts TIMESTAMP TIME INDEX, v INT) WITH ('compaction.type'='twcs', ttl='1h', 'memtable.type'='partition_tree', skip_wal='true')`,
    );
    const [[, text]] = (await rows(cluster, 'SHOW CREATE TABLE opts')) as [string, string][];
    assert.match(
      text!,
      /WITH\(\n {2}'compaction\.type' = 'twcs',\n {2}'memtable\.type' = 'partition_tree',\n {2}skip_wal = 'true',\n {2}ttl = '1h'\n\)/,
    );
    assert.match(
      await failure(cluster, `CREATE TABLE bad (ts TIMESTAMP TIME INDEX) WITH (foo = 1)`),
      /Unrecognized table option key: foo/,
    );
    await run(cluster, `ALTER TABLE opts SET 'auto_flush_interval' = '5m'`);
    await run(cluster, `ALTER TABLE opts UNSET 'ttl'`);
    const [[, altered]] = (await rows(cluster, 'SHOW CREATE TABLE opts')) as [string, string][];
    assert.match(altered!, /auto_flush_interval = '5m'/);
    assert.doesNotMatch(altered!, /ttl/);
    assert.match(
      await failure(cluster, `ALTER TABLE opts SET 'auto_flush_interval' = '0s'`),
      /Invalid set region option request, key: auto_flush_interval, value: 0s/,
    );
  });

  test('sql.ddl.database: ALTER DATABASE, SHOW CREATE DATABASE, options inherited by new tables', async () => {
    await run(cluster, `CREATE DATABASE mydb WITH (ttl = '1h')`);
    await run(cluster, `ALTER DATABASE mydb SET 'compaction.type'='twcs'`);
    assert.deepEqual(await rows(cluster, 'SHOW CREATE DATABASE mydb'), [
      ['mydb', "CREATE DATABASE IF NOT EXISTS mydb\nWITH(\n  'compaction.type' = 'twcs',\n  ttl = '1h'\n)"],
    ]);
    assert.match(
      await failure(cluster, `ALTER DATABASE mydb SET 'nope'='1'`),
      /Invalid set database option, key: nope/,
    );
    await run(cluster, 'CREATE TABLE mydb.t (ts TIMESTAMP TIME INDEX)');
    const [[, text]] = (await rows(cluster, 'SHOW CREATE TABLE mydb.t')) as [string, string][];
    assert.match(text!, /WITH\(\n {2}ttl = '1h'\n\)/);
    await run(cluster, `ALTER DATABASE mydb UNSET 'ttl'`);
    assert.deepEqual(await rows(cluster, 'SHOW CREATE DATABASE mydb'), [
      ['mydb', "CREATE DATABASE IF NOT EXISTS mydb\nWITH(\n  'compaction.type' = 'twcs'\n)"],
    ]);
    await run(cluster, 'DROP DATABASE mydb');
  });

  test("sql.ddl.ttl-instant: ttl 'instant' drops writes; UNSET keeps them again", async () => {
    await run(cluster, `CREATE TABLE gone (ts TIMESTAMP TIME INDEX, v INT) WITH (ttl = 'instant')`);
    assert.equal(await run(cluster, 'INSERT INTO gone VALUES (now(), 1), (now(), 2)'), 0);
    assert.deepEqual(await rows(cluster, 'SELECT v FROM gone'), []);
    await run(cluster, `ALTER TABLE gone UNSET 'ttl'`);
    assert.equal(await run(cluster, 'INSERT INTO gone VALUES (now(), 3)'), 1);
    assert.deepEqual(await rows(cluster, 'SELECT v FROM gone'), [[3]]);
  });

  test('sql.ddl.views: CREATE [OR REPLACE] VIEW with columns, query, SHOW CREATE VIEW, SHOW VIEWS, DROP VIEW', async () => {
    await run(cluster, 'CREATE TABLE base (n INT, ts TIMESTAMP TIME INDEX)');
    await run(cluster, 'INSERT INTO base VALUES (1, 1), (2, 2), (3, 3)');
    assert.match(
      await failure(cluster, 'CREATE VIEW v (a) AS SELECT * FROM base'),
      /Expect 2 columns for view v, but found 1/,
    );
    await run(cluster, 'CREATE VIEW v (a) AS SELECT n FROM base');
    assert.deepEqual(await rows(cluster, 'SELECT a FROM v WHERE a > 1 ORDER BY a'), [[2], [3]]);
    assert.match(await failure(cluster, 'CREATE VIEW v AS SELECT n FROM base'), /View already exists/);
    assert.match(await failure(cluster, 'CREATE VIEW base AS SELECT 1'), /Table already exists/);
    await run(cluster, 'CREATE OR REPLACE VIEW v (a, b) AS SELECT n, n+1 FROM base');
    assert.deepEqual(await rows(cluster, 'SHOW CREATE VIEW v'), [
      ['v', 'CREATE OR REPLACE VIEW v (a, b) AS SELECT n, n + 1 FROM base'],
    ]);
    assert.deepEqual(await rows(cluster, 'SELECT b FROM v ORDER BY b'), [[2], [3], [4]]);
    assert.deepEqual(await rows(cluster, 'SHOW VIEWS'), [['v']]);
    assert.match(await failure(cluster, 'DROP VIEW base'), /not a view/);
    await run(cluster, 'DROP VIEW v');
    assert.equal(await run(cluster, 'DROP VIEW IF EXISTS v'), 0);
    await run(cluster, 'DROP TABLE base');
  });

  test('sql.ddl.metric: physical and logical tables share one region; each logical table reads its own rows', async () => {
    await run(
      cluster,
      `CREATE TABLE phy (ts TIMESTAMP TIME INDEX, val DOUBLE) ENGINE=metric WITH ("physical_metric_table" = "")`,
    );
    await run(
      cluster,
      `CREATE TABLE m1 (ts TIMESTAMP TIME INDEX, val DOUBLE, host STRING PRIMARY KEY) ENGINE=metric WITH (on_physical_table = 'phy')`,
    );
    await run(
      cluster,
      `CREATE TABLE m2 (ts TIMESTAMP TIME INDEX, job STRING PRIMARY KEY, val DOUBLE) ENGINE=metric WITH (on_physical_table = 'phy')`,
    );
    assert.match(
      await failure(
        cluster,
        `CREATE TABLE m3 (ts TIMESTAMP TIME INDEX, other DOUBLE, host STRING PRIMARY KEY) ENGINE=metric WITH (on_physical_table = 'phy')`,
      ),
      /Adding field column other to physical table/,
    );
    assert.equal(await run(cluster, `INSERT INTO m1 VALUES ('a', 0, 1.0), ('b', 1, 2.0)`), 2);
    assert.equal(await run(cluster, `INSERT INTO m2 VALUES ('j', 0, 3.0)`), 1);
    assert.deepEqual(await rows(cluster, 'SELECT * FROM m1 ORDER BY ts'), [
      ['a', 0, 1],
      ['b', 1, 2],
    ]);
    assert.deepEqual(await rows(cluster, 'SELECT job, val FROM m2'), [['j', 3]]);
    assert.deepEqual(await rows(cluster, 'SELECT count(*) FROM phy'), [[3]]);
    const desc = (await rows(cluster, 'DESC TABLE phy')).map((row) => row[0]);
    assert.deepEqual(desc, ['ts', 'val', '__table_id', '__tsid', 'host', 'job']);
    assert.match(await failure(cluster, 'DROP TABLE phy'), /Physical region is busy/);
    await run(cluster, 'DROP TABLE m1');
    await run(cluster, 'DROP TABLE m2');
    await run(cluster, 'DROP TABLE phy');
  });
  test('sql.ddl.alter-columns: MODIFY COLUMN type casts older rows on read, ADD COLUMN DEFAULT fills them, index SET/UNSET', async () => {
    await run(cluster, 'CREATE TABLE alt (h INT, i DOUBLE DEFAULT 0.1, j TIMESTAMP TIME INDEX, PRIMARY KEY (h))');
    await run(cluster, 'INSERT INTO alt (h, i, j) VALUES (0, 0.1, 0), (1, 0.0, 0)');
    await rows(cluster, "ADMIN FLUSH_TABLE('alt')");
    await run(cluster, 'ALTER TABLE alt MODIFY COLUMN i BOOLEAN');
    await run(cluster, 'INSERT INTO alt (h, j) VALUES (2, 0)');
    assert.deepEqual(await rows(cluster, 'SELECT h, i FROM alt ORDER BY h'), [
      [0, true],
      [1, false],
      [2, true],
    ]);
    assert.deepEqual(
      (await rows(cluster, 'DESC TABLE alt')).map((row) => [row[0], row[1], row[4]]),
      [
        ['h', 'Int32', ''],
        ['i', 'Boolean', 'true'],
        ['j', 'TimestampMillisecond', ''],
      ],
    );
    await run(cluster, 'ALTER TABLE alt MODIFY COLUMN i STRING');
    await run(cluster, `INSERT INTO alt (h, i, j) VALUES (3, "word", 0)`);
    assert.deepEqual(await rows(cluster, 'SELECT h, i FROM alt ORDER BY h'), [
      [0, '0.1'],
      [1, '0.0'],
      [2, 'true'],
      [3, 'word'],
    ]);
    assert.match(
      await failure(cluster, 'ALTER TABLE alt MODIFY COLUMN h STRING'),
      /Not allowed to change primary key index column 'h'/,
    );
    assert.match(
      await failure(cluster, 'ALTER TABLE alt MODIFY COLUMN j STRING'),
      /Not allowed to change timestamp index column 'j' datatype/,
    );

    await run(cluster, "ALTER TABLE alt ADD COLUMN idc STRING DEFAULT 'idc' PRIMARY KEY");
    await run(cluster, 'ALTER TABLE alt ADD COLUMN k INT NOT NULL DEFAULT 400');
    assert.deepEqual(await rows(cluster, 'SELECT h, idc, k FROM alt ORDER BY h'), [
      [0, 'idc', 400],
      [1, 'idc', 400],
      [2, 'idc', 400],
      [3, 'idc', 400],
    ]);
    assert.match(
      await failure(cluster, 'ALTER TABLE alt ADD COLUMN m STRING NOT NULL'),
      /Invalid alter table\(alt\) request: no default value for column m/,
    );

    await run(cluster, "ALTER TABLE alt MODIFY COLUMN i SET FULLTEXT INDEX WITH(analyzer = 'Chinese')");
    const created = (await rows(cluster, 'SHOW CREATE TABLE alt'))[0]![1] as string;
    assert.match(
      created,
      /"i" STRING NULL DEFAULT 'true' FULLTEXT INDEX WITH\(analyzer = 'Chinese', backend = 'bloom', case_sensitive = 'false', false_positive_rate = '0.01', granularity = '10240'\)/,
    );
    await run(cluster, 'ALTER TABLE alt MODIFY COLUMN i UNSET FULLTEXT INDEX');
    assert.doesNotMatch((await rows(cluster, 'SHOW CREATE TABLE alt'))[0]![1] as string, /FULLTEXT/);
    assert.match(
      await failure(cluster, "ALTER TABLE alt MODIFY COLUMN i SET FULLTEXT INDEX WITH(analyzer = 'English')"),
      /Cannot change analyzer or case_sensitive if FULLTEXT index is set before. Previous analyzer: Chinese/,
    );
    await run(cluster, 'DROP TABLE alt');

    // ADMIN FLUSH_TABLE on a metric logical table flushes the physical table's region.
    await run(
      cluster,
      `CREATE TABLE fphy (ts TIMESTAMP TIME INDEX, val DOUBLE) ENGINE=metric WITH ("physical_metric_table" = "")`,
    );
    await run(
      cluster,
      `CREATE TABLE flog (ts TIMESTAMP TIME INDEX, val DOUBLE, host STRING PRIMARY KEY) ENGINE=metric WITH (on_physical_table = 'fphy')`,
    );
    await run(cluster, "INSERT INTO flog (host, ts, val) VALUES ('a', 0, 1)");
    const [[physicalId]] = (await rows(
      cluster,
      "SELECT table_id FROM information_schema.tables WHERE table_name = 'fphy'",
    )) as [[number]];
    // SSTs live in the shared object store under regions/<table id>/.
    const sstsOfPhysical = async () => {
      const dir = join(dataHome, 'object-store', 'regions', String(physicalId));
      const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
      return files.filter((file) => file.endsWith('.parquet')).length;
    };
    assert.equal(await sstsOfPhysical(), 0);
    await rows(cluster, "ADMIN FLUSH_TABLE('flog')");
    assert.equal(await sstsOfPhysical(), 1);
    await run(cluster, 'DROP TABLE flog');
    await run(cluster, 'DROP TABLE fphy');
  });
});
