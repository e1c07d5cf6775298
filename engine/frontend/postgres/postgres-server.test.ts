import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RawConnection, hasCommand, runClient, serveForTest, testUsers } from '../wire/testing/serve-for-test.ts';
import type { ServedCluster } from '../wire/testing/serve-for-test.ts';
import { cstring, int16, int32, message } from './postgres-messages.ts';

interface Reply {
  type: string;
  body: Buffer;
}

/** A minimal PostgreSQL client over a raw socket. */
class RawPg {
  readonly conn: RawConnection;

  constructor(conn: RawConnection) {
    this.conn = conn;
  }

  static async connect(cluster: ServedCluster, password = testUsers.postgres): Promise<RawPg> {
    const client = new RawPg(await RawConnection.open(cluster.postgres.host, cluster.postgres.port));
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    client.conn.write(ssl);
    assert.equal((await client.conn.read(1)).toString(), 'N');
    const params = Buffer.from(`user\0postgres\0database\0public\0\0`);
    const start = Buffer.alloc(8);
    start.writeInt32BE(params.length + 8, 0);
    start.writeInt32BE(196608, 4);
    client.conn.write(Buffer.concat([start, params]));
    const askPassword = await client.read();
    assert.equal(askPassword.type, 'R');
    assert.equal(askPassword.body.readInt32BE(0), 3, 'cleartext password');
    client.send('p', cstring(password));
    const startup = await client.untilReady();
    if (startup[0]!.type === 'E') throw new Error(`login failed: ${startup[0]!.body.toString()}`);
    assert.equal(startup[0]!.type, 'R');
    assert.ok(startup.some((reply) => reply.type === 'S' && reply.body.toString().startsWith('server_version\0')));
    return client;
  }

  async read(): Promise<Reply> {
    const header = await this.conn.read(5);
    return {
      type: String.fromCharCode(header[0]!),
      body: Buffer.from(await this.conn.read(header.readInt32BE(1) - 4)),
    };
  }

  /** Replies up to ReadyForQuery (or a FATAL error, after which the server closes). */
  async untilReady(): Promise<Reply[]> {
    const replies: Reply[] = [];
    for (;;) {
      const reply = await this.read();
      replies.push(reply);
      if (reply.type === 'Z' || (reply.type === 'E' && reply.body.includes('FATAL'))) return replies;
    }
  }

  send(type: string, ...parts: Buffer[]): void {
    this.conn.write(message(type, ...parts));
  }
}

function rowValues(body: Buffer): (Buffer | null)[] {
  const values: (Buffer | null)[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const length = body.readInt32BE(at);
    at += 4;
    values.push(length < 0 ? null : body.subarray(at, at + length));
    at += Math.max(length, 0);
  }
  return values;
}

function fieldOids(body: Buffer): number[] {
  const oids: number[] = [];
  let at = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    at = body.indexOf(0, at) + 1;
    oids.push(body.readInt32BE(at + 6));
    at += 18;
  }
  return oids;
}

const errorCode = (reply: Reply) => /C([0-9A-Z]{5})\0/.exec(reply.body.toString('latin1'))?.[1];

let cluster: ServedCluster;
before(async () => {
  cluster = await serveForTest();
});
after(async () => {
  await cluster?.stop();
});

describe('PostgreSQL wire server', () => {
  test('simple query runs several statements; type OIDs follow GreptimeDB', async () => {
    const client = await RawPg.connect(cluster);
    client.send(
      'Q',
      cstring(
        "CREATE TABLE pg_cpu (host STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, n INT, PRIMARY KEY(host)); INSERT INTO pg_cpu VALUES ('a', 1700000000000, 0.5, 3); SELECT host, ts, usage, n FROM pg_cpu",
      ),
    );
    const replies = await client.untilReady();
    assert.deepEqual(
      replies.map((reply) => reply.type),
      ['C', 'C', 'T', 'D', 'C', 'Z'],
    );
    assert.equal(replies[1]!.body.toString(), 'OK 1\0');
    assert.deepEqual(fieldOids(replies[2]!.body), [1043, 1114, 701, 23]);
    assert.deepEqual(
      rowValues(replies[3]!.body).map((value) => value?.toString()),
      ['a', '2023-11-14 22:13:20', '0.5', '3'],
    );
    assert.equal(replies[4]!.body.toString(), 'SELECT 1\0');
  });

  test('an error answers ErrorResponse with its SQLSTATE, then the session goes on', async () => {
    const client = await RawPg.connect(cluster);
    client.send('Q', cstring('SELECT * FROM no_such_table'));
    const replies = await client.untilReady();
    assert.equal(replies[0]!.type, 'E');
    assert.equal(errorCode(replies[0]!), '42P01');
    client.send('Q', cstring(''));
    assert.deepEqual(
      (await client.untilReady()).map((reply) => reply.type),
      ['I', 'Z'],
    );
    client.send('Q', cstring('BEGIN'));
    const begin = await client.untilReady();
    assert.equal(begin.at(-1)!.body.toString(), 'T');
    client.send('Q', cstring('COMMIT'));
    assert.equal((await client.untilReady()).at(-1)!.body.toString(), 'I');
  });

  test('the extended protocol binds text and binary parameters and returns binary columns', async () => {
    const client = await RawPg.connect(cluster);
    client.send(
      'Q',
      cstring('CREATE TABLE pg_ext (host STRING, ts TIMESTAMP TIME INDEX, v BIGINT, PRIMARY KEY(host))'),
    );
    await client.untilReady();
    const eight = Buffer.alloc(8);
    eight.writeBigInt64BE(5n);
    client.send(
      'P',
      cstring('ins'),
      cstring('INSERT INTO pg_ext VALUES ($1, $2, $3)'),
      int16(3),
      int32(25),
      int32(20),
      int32(20),
    );
    client.send(
      'B',
      cstring(''),
      cstring('ins'),
      int16(3),
      int16(0),
      int16(1),
      int16(1),
      int16(3),
      int32(3),
      Buffer.from("o'k"),
      int32(8),
      Buffer.from([0, 0, 0, 0, 0, 0, 0x03, 0xe8]),
      int32(8),
      eight,
      int16(0),
    );
    client.send('E', cstring(''), int32(0));
    client.send('S');
    assert.deepEqual(
      (await client.untilReady()).map((reply) => reply.type),
      ['1', '2', 'C', 'Z'],
    );

    client.send('P', cstring(''), cstring('SELECT host, v FROM pg_ext WHERE v >= $1'), int16(0));
    client.send('B', cstring(''), cstring(''), int16(0), int16(1), int32(1), Buffer.from('5'), int16(1), int16(1));
    client.send('D', Buffer.from('P'), cstring(''));
    client.send('E', cstring(''), int32(0));
    client.send('S');
    const replies = await client.untilReady();
    assert.deepEqual(
      replies.map((reply) => reply.type),
      ['1', '2', 'T', 'D', 'C', 'Z'],
    );
    assert.deepEqual(fieldOids(replies[2]!.body), [1043, 20]);
    const [host, v] = rowValues(replies[3]!.body);
    assert.equal(host!.toString(), "o'k");
    assert.equal(v!.readBigInt64BE(0), 5n);
  });

  test('Describe of a statement gives its parameter and column types', async () => {
    const client = await RawPg.connect(cluster);
    client.send('P', cstring('q'), cstring('SELECT $1::INT AS n, $2 AS s'), int16(1), int32(23));
    client.send('D', Buffer.from('S'), cstring('q'));
    client.send('S');
    const replies = await client.untilReady();
    assert.deepEqual(
      replies.map((reply) => reply.type),
      ['1', 't', 'T', 'Z'],
    );
    assert.deepEqual([replies[1]!.body.readInt32BE(2), replies[1]!.body.readInt32BE(6)], [23, 25]);
    assert.equal(fieldOids(replies[2]!.body)[0], 23);
  });

  test('transaction control through the extended protocol is acknowledged', async () => {
    const client = await RawPg.connect(cluster);
    client.send('P', cstring(''), cstring('BEGIN'), int16(0));
    client.send('B', cstring(''), cstring(''), int16(0), int16(0), int16(0));
    client.send('E', cstring(''), int32(0));
    client.send('S');
    const replies = await client.untilReady();
    assert.deepEqual(
      replies.map((reply) => reply.type),
      ['1', '2', 'N', 'C', 'Z'],
    );
    assert.equal(replies.at(-1)!.body.toString(), 'T');
  });

  test('an error in the extended protocol skips to Sync', async () => {
    const client = await RawPg.connect(cluster);
    client.send('P', cstring(''), cstring('SELECT * FROM missing_table'), int16(0));
    client.send('B', cstring(''), cstring(''), int16(0), int16(0), int16(0));
    client.send('D', Buffer.from('P'), cstring(''));
    client.send('E', cstring(''), int32(0));
    client.send('S');
    const replies = await client.untilReady();
    assert.deepEqual(
      replies.map((reply) => reply.type),
      ['1', '2', 'E', 'Z'],
    );
  });

  test('a wrong password is refused with SQLSTATE 28P01', async () => {
    await assert.rejects(RawPg.connect(cluster, 'wrong'), /login failed: .*28P01.*password authentication failed/);
  });

  test('a malformed message closes only its own connection', async () => {
    const healthy = await RawPg.connect(cluster);
    const broken = await RawPg.connect(cluster);
    broken.conn.write(Buffer.from([0x51, 0xff, 0xff, 0xff, 0xff])); // 'Q' with a negative length
    await broken.conn.closed;
    healthy.send('Q', cstring('SELECT 1'));
    assert.equal((await healthy.untilReady())[0]!.type, 'T');
    assert.match(cluster.output(), /postgres\.malformed-message/);
  });

  test('psql connects, queries and reports errors', () => {
    assert.ok(hasCommand('psql'), 'psql (Debian postgresql-client) must be installed; .ci/run installs it');
    const args = ['-h', cluster.postgres.host, '-p', String(cluster.postgres.port), '-U', 'postgres', '-d', 'public'];
    const env = { PGPASSWORD: testUsers.postgres };
    const ok = runClient('psql', [...args, '-A', '-c', "SELECT 1 AS a, 'x' AS b", '-c', 'SHOW DATABASES'], env);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^a\|b\n1\|x\n\(1 row\)\n/);
    assert.match(ok.stdout, /information_schema\npublic/);
    const failed = runClient('psql', [...args, '-c', 'SELECT * FROM missing_table'], env);
    assert.notEqual(failed.status, 0);
    assert.match(failed.stderr, /ERROR:.*missing_table/);
  });
});
