/**
 * Running queries against a real `tessera serve`: they show in information_schema.process_list
 * while they run, KILL (over HTTP), KILL QUERY (the mysql client) and psql's Ctrl-C (a
 * CancelRequest) stop them with GreptimeDB's cancelled error, and a client that goes away
 * stops its query too. The slow
 * query sums a billion `numbers`: minutes of work, so it is always still running when killed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { hasCommand, runClient, serveForTest, testUsers } from '../wire/testing/serve-for-test.ts';
import type { ServedCluster } from '../wire/testing/serve-for-test.ts';

interface SqlReply {
  status: number;
  body: {
    code?: number;
    error?: string;
    output?: ({ affectedrows: number } | { records: { rows: unknown[][] } })[];
  };
}

function slowQuery(marker: string): string {
  return `SELECT sum(number) FROM (SELECT * FROM numbers LIMIT 1000000000) ${marker}`;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('process_list and KILL', () => {
  let cluster: ServedCluster;
  const authorization = `Basic ${Buffer.from(`root:${testUsers.root}`).toString('base64')}`;

  const sql = async (text: string, signal?: AbortSignal): Promise<SqlReply> => {
    const response = await fetch(`${cluster.httpUrl}/v1/sql`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sql: text }),
      ...(signal ? { signal } : {}),
    });
    return { status: response.status, body: (await response.json()) as SqlReply['body'] };
  };

  /** process_list rows as { id, client, query }, read over HTTP. */
  const processes = async () => {
    const reply = await sql('SELECT id, client, query, schemas FROM information_schema.process_list');
    const output = reply.body.output?.[0];
    assert.ok(output && 'records' in output, JSON.stringify(reply.body));
    return output.records.rows.map(([id, client, query, schemas]) => ({
      id: String(id),
      client: String(client),
      query: String(query),
      schemas: String(schemas),
    }));
  };

  const runningProcess = (query: string) =>
    waitFor(`"${query}" in process_list`, async () => (await processes()).find((row) => row.query === query));

  before(async () => {
    cluster = await serveForTest();
  });

  after(async () => {
    await cluster?.stop();
  });

  test('process_list shows the querying statement itself with GreptimeDB columns', async () => {
    const reply = await sql('SELECT * FROM information_schema.process_list');
    const output = reply.body.output?.[0];
    assert.ok(output && 'records' in output);
    const [row] = output.records.rows;
    const host = new URL(cluster.httpUrl).host;
    assert.equal(row?.length, 8);
    assert.match(String(row![0]), new RegExp(`^${host.replace(/\./g, '\\.')}/\\d+$`));
    assert.deepEqual(row!.slice(1, 6), [
      'greptime',
      'public',
      'SELECT * FROM information_schema.process_list',
      'unknown[unknown client addr]',
      host,
    ]);
  });

  test('KILL over HTTP stops a running query with the cancelled error', async () => {
    const query = slowQuery('killed_over_http');
    const running = sql(query);
    const { id } = await runningProcess(query);
    const kill = await sql(`KILL '${id}'`);
    assert.deepEqual(kill.body.output, [{ affectedrows: 1 }]);
    const reply = await running;
    assert.equal(reply.status, 504);
    assert.equal(reply.body.code, 1005);
    assert.equal(reply.body.error, 'Query has been cancelled');
    assert.equal(
      (await processes()).find((row) => row.query === query),
      undefined,
    );
  });

  test('KILL answers 0 rows for a number nothing runs under, and rejects bad ids', async () => {
    const host = new URL(cluster.httpUrl).host;
    assert.deepEqual((await sql(`KILL '${host}/4000000000'`)).body.output, [{ affectedrows: 0 }]);
    const malformed = await sql("KILL 'not-a-process'");
    assert.equal(malformed.body.code, 1004);
    assert.equal(malformed.body.error, 'Invalid process id: not-a-process');
    const elsewhere = await sql("KILL '10.0.0.9:4000/3'");
    assert.equal(elsewhere.body.code, 1002);
    assert.equal(elsewhere.body.error, 'Failed to find frontend node: 10.0.0.9:4000');
  });

  test('a client that goes away stops its query', async () => {
    const query = slowQuery('abandoned_by_client');
    const controller = new AbortController();
    const running = sql(query, controller.signal).catch((error: unknown) => error);
    await runningProcess(query);
    controller.abort();
    assert.equal(((await running) as Error).name, 'AbortError');
    await waitFor('the abandoned query to leave process_list', async () =>
      (await processes()).some((row) => row.query === query) ? undefined : true,
    );
  });

  test('KILL QUERY <connection id> from the mysql client stops a MySQL query', async () => {
    assert.ok(hasCommand('mysql'), 'the mysql client (Debian mariadb-client) must be installed; .ci/run installs it');
    const args = ['-h', cluster.mysql.host, '-P', String(cluster.mysql.port), '-u', 'root', '--batch', 'public'];
    args.push(`--password=${testUsers.root}`);
    const query = slowQuery('killed_over_mysql');
    const child = spawn('mysql', [...args, '-e', query], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const entry = await runningProcess(query);
      assert.match(entry.client, /^mysql\[127\.0\.0\.1:\d+\]$/);
      const connectionId = entry.id.slice(entry.id.lastIndexOf('/') + 1);
      const kill = runClient('mysql', [...args, '-e', `KILL QUERY ${connectionId}`]);
      assert.equal(kill.status, 0, kill.stderr);
      assert.notEqual(await exited, 0);
      assert.match(stderr, /ERROR 1317 \(70100\).*\(Cancelled\): Query has been cancelled/);
    } finally {
      child.kill();
    }
  });

  test("psql's Ctrl-C (a PostgreSQL CancelRequest) stops its query", async () => {
    assert.ok(hasCommand('psql'), 'psql (Debian postgresql-client) must be installed; .ci/run installs it');
    const query = slowQuery('cancelled_by_psql');
    const args = ['-h', cluster.postgres.host, '-p', String(cluster.postgres.port), '-U', 'postgres', '-d', 'public'];
    const child = spawn('psql', [...args, '-c', query], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PGPASSWORD: testUsers.postgres },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const entry = await runningProcess(query);
      assert.match(entry.client, /^postgres\[127\.0\.0\.1:\d+\]$/);
      child.kill('SIGINT');
      assert.notEqual(await exited, 0);
      assert.match(stderr, /ERROR: {2}Query has been cancelled/);
      assert.equal(
        (await processes()).find((row) => row.query === query),
        undefined,
      );
    } finally {
      child.kill();
    }
  });
});
