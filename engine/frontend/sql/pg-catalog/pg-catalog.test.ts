/**
 * pg_catalog against a real `tessera serve`: psql's `\dt`, `\d table` and `\l` (Debian's
 * postgresql-client; the test fails without it), the catalog tables' rows over the PostgreSQL
 * protocol, and pg_catalog hidden from HTTP clients, as GreptimeDB hides it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hasCommand, runClient, serveForTest, testUsers } from '../../wire/testing/serve-for-test.ts';
import type { ServedCluster } from '../../wire/testing/serve-for-test.ts';

describe('pg_catalog', () => {
  let cluster: ServedCluster;
  let psqlArgs: string[];
  const env = { PGPASSWORD: testUsers.postgres };

  /** Runs psql commands (`-c` each) unaligned, without headers or footers; throws on failure. */
  function psql(...commands: string[]): string {
    const result = runClient('psql', [...psqlArgs, '-A', '-t', ...commands.flatMap((command) => ['-c', command])], env);
    assert.equal(result.status, 0, `psql ${commands.join('; ')}: ${result.stderr}`);
    return result.stdout;
  }

  /** psql's own table output (for the backslash commands). */
  function psqlTable(command: string): string {
    const result = runClient('psql', [...psqlArgs, '-c', command], env);
    assert.equal(result.status, 0, `psql ${command}: ${result.stderr}`);
    assert.equal(result.stderr, '', `psql ${command} printed errors`);
    return result.stdout;
  }

  before(async () => {
    assert.ok(hasCommand('psql'), 'psql (Debian postgresql-client) must be installed; .ci/run installs it');
    cluster = await serveForTest();
    psqlArgs = ['-h', cluster.postgres.host, '-p', String(cluster.postgres.port), '-U', 'postgres', '-d', 'public'];
    // The datanode registers shortly after the frontend answers.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const created = runClient(
        'psql',
        [
          ...psqlArgs,
          '-c',
          'CREATE TABLE cpu (host STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, cores BIGINT, PRIMARY KEY(host))',
        ],
        env,
      );
      if (created.status === 0) break;
      if (Date.now() > deadline) assert.fail(created.stderr);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    psql('CREATE DATABASE metrics', 'CREATE TABLE metrics.mem (ts TIMESTAMP TIME INDEX, used DOUBLE)');
  });

  after(async () => {
    await cluster?.stop();
  });

  test('\\dt and \\d list the tables of the search path', () => {
    const tables = psqlTable('\\dt');
    assert.match(tables, /List of relations/);
    assert.match(tables, /public\s+\|\s+cpu\s+\|\s+table\s+\|\s+postgres/);
    assert.match(tables, /public\s+\|\s+numbers\s+\|\s+table\s+\|\s+postgres/);
    assert.match(tables, /metrics\s+\|\s+mem\s+\|\s+table/);
    assert.doesNotMatch(tables, /information_schema/);
    assert.match(psqlTable('\\d'), /public\s+\|\s+cpu\s+\|\s+table/);
  });

  test('\\d table shows its columns with PostgreSQL types', () => {
    const described = psqlTable('\\d cpu');
    assert.match(described, /Table "public\.cpu"/);
    assert.match(described, /host\s+\|\s+text\s+\|/);
    assert.match(described, /ts\s+\|\s+timestamp without time zone\s+\|\s+\|\s+not null/);
    assert.match(described, /usage\s+\|\s+double precision/);
    assert.match(described, /cores\s+\|\s+bigint/);
  });

  test('\\l lists the catalog as a database', () => {
    const databases = psqlTable('\\l');
    assert.match(databases, /List of databases/);
    assert.match(databases, /greptime\s+\|\s+postgres\s+\|\s+UTF-8/);
  });

  test('pg_namespace and pg_class join by OID; public is 2200', () => {
    assert.match(
      psql('SELECT nspname, oid FROM pg_catalog.pg_namespace ORDER BY nspname'),
      /^greptime_private\|\d+\ninformation_schema\|\d+\nmetrics\|\d+\npublic\|2200\n$/,
    );
    const inMetrics = psql(
      "SELECT c.relname, c.relkind, c.relnatts FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'metrics'",
    );
    assert.equal(inMetrics, 'mem|r|2\n');
  });

  test("pg_attribute lists a table's columns in order; 'name'::regclass is its OID", () => {
    const columns = psql(
      "SELECT attname, atttypid, attnum, attnotnull FROM pg_catalog.pg_attribute WHERE attrelid = 'cpu'::regclass ORDER BY attnum",
    );
    assert.equal(columns, 'host|25|1|f\nts|1114|2|t\nusage|701|3|f\ncores|20|4|f\n');
    const joined = psql(
      "SELECT t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = 'metrics.mem'::regclass::oid ORDER BY a.attnum",
    );
    assert.equal(joined, 'timestamp\nfloat8\n');
  });

  test('pg_database, pg_type and the catalog functions answer as GreptimeDB', () => {
    assert.equal(psql('SELECT datname, encoding FROM pg_database ORDER BY datname'), 'greptime|6\npostgres|6\n');
    assert.equal(psql('SELECT typname, typlen, typcategory FROM pg_type WHERE oid = 1114'), 'timestamp|8|D\n');
    assert.equal(
      psql(
        "SELECT pg_get_userbyid(10), pg_table_is_visible(1), format_type(1043, -1), quote_ident('Cpu'), current_database(), current_schemas(true)",
      ),
      'postgres|t|character varying|"Cpu"|greptime|{public,information_schema,pg_catalog,greptime_private}\n',
    );
    assert.match(psql('SELECT version()'), /^PostgreSQL 16\.3 Tessera /);
    assert.equal(psql('SELECT session_user IS NOT NULL, obj_description(1) IS NULL, pg_my_temp_schema()'), 't|t|0\n');
  });

  test("DBeaver's catalog queries (x.oid, x.*; joins to empty catalogs; 'pg_class'::regclass)", () => {
    const tables = psql(
      "SELECT c.oid,c.*,d.description FROM pg_catalog.pg_class c LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass WHERE c.relnamespace=2200 AND c.relkind not in ('i','I','c') ORDER BY c.relname",
    );
    assert.match(tables, /^\d+\|cpu\|2200\|/m);
    const columns = psql(
      "SELECT c.relname,a.attname,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dep.objid FROM pg_catalog.pg_attribute a INNER JOIN pg_class c ON (a.attrelid=c.oid) LEFT OUTER JOIN pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum) LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' WHERE NOT a.attisdropped AND c.oid='cpu'::regclass ORDER BY a.attnum",
    );
    assert.equal(columns, 'cpu|host||\ncpu|ts||\ncpu|usage||\ncpu|cores||\n');
    const constraints = psql(
      "SELECT c.oid,c.*,t.relname as tabrelname,d.description FROM pg_catalog.pg_constraint c INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.classoid='pg_constraint'::regclass WHERE c.conrelid='cpu'::regclass ORDER BY c.oid",
    );
    assert.equal(constraints, '');
  });

  test('USE pg_catalog and DESC of its tables, for PostgreSQL clients', () => {
    const described = psql('USE pg_catalog', 'DESC TABLE pg_namespace');
    assert.match(described, /^oid\|Int32\|\|NO\|\|FIELD\nnspname\|String\|/m);
  });

  test('pg_catalog is not visible over HTTP', async () => {
    const response = await fetch(`${cluster.httpUrl}/v1/sql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`root:${testUsers.root}`).toString('base64')}`,
      },
      body: new URLSearchParams({ sql: 'SELECT * FROM pg_catalog.pg_class' }),
    });
    const reply = (await response.json()) as { code?: number; error?: string };
    assert.equal(reply.code, 4001);
    assert.match(reply.error ?? '', /Table not found: greptime\.pg_catalog\.pg_class/);
  });
});
