import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { RawConnection, hasCommand, runClient, serveForTest, testUsers } from '../wire/testing/serve-for-test.ts';
import type { ServedCluster } from '../wire/testing/serve-for-test.ts';
import { PayloadReader, lenencBytes } from './mysql-packets.ts';

/** A minimal MySQL client over a raw socket: handshake, COM_QUERY (text) and prepared statements (binary). */
class RawMysql {
  readonly conn: RawConnection;
  private seq = 0;

  constructor(conn: RawConnection) {
    this.conn = conn;
  }

  static async connect(cluster: ServedCluster, password = testUsers.root): Promise<RawMysql> {
    const client = new RawMysql(await RawConnection.open(cluster.mysql.host, cluster.mysql.port));
    const greeting = await client.readPacket();
    assert.equal(greeting[0], 10);
    const afterVersion = greeting.indexOf(0, 1) + 1;
    const scramble = Buffer.concat([
      greeting.subarray(afterVersion + 4, afterVersion + 12),
      greeting.subarray(afterVersion + 31, afterVersion + 43),
    ]);
    const flags = 0x200 | 0x8000 | 0x10000 | 0x20000 | 0x80000 | 0x8;
    const head = Buffer.alloc(32);
    head.writeUInt32LE(flags, 0);
    head.writeUInt32LE(16 * 1024 * 1024, 4);
    head[8] = 33;
    // A MySQL 8 client asks for caching_sha2_password first; the server switches it to mysql_native_password.
    client.writePacket(
      Buffer.concat([
        head,
        Buffer.from('root\0'),
        Buffer.from([0]),
        Buffer.from('public\0'),
        Buffer.from('caching_sha2_password\0'),
      ]),
    );
    const switchRequest = await client.readPacket();
    assert.equal(switchRequest.toString('latin1', 0, 23), '\xfemysql_native_password\0');
    client.writePacket(nativePassword(password, scramble));
    const reply = await client.readPacket();
    if (reply[0] !== 0x00) throw new Error(`login failed: ${reply.toString('utf8', 9)}`);
    return client;
  }

  async readPacket(): Promise<Buffer> {
    const header = await this.conn.read(4);
    this.seq = (header[3]! + 1) & 0xff;
    return Buffer.from(await this.conn.read(header.readUIntLE(0, 3)));
  }

  writePacket(payload: Buffer): void {
    const header = Buffer.alloc(4);
    header.writeUIntLE(payload.length, 0, 3);
    header[3] = this.seq;
    this.seq = (this.seq + 1) & 0xff;
    this.conn.write(Buffer.concat([header, payload]));
  }

  command(code: number, body: Buffer = Buffer.alloc(0)): void {
    this.seq = 0;
    this.writePacket(Buffer.concat([Buffer.from([code]), body]));
  }

  /** Reads one result: OK, ERR, or a result set (column names, types and raw row packets). */
  async readResult(): Promise<
    | { kind: 'ok'; affected: number; more: boolean }
    | { kind: 'error'; code: number; state: string; message: string }
    | { kind: 'rows'; names: string[]; types: number[]; rows: Buffer[]; more: boolean }
  > {
    const first = await this.readPacket();
    if (first[0] === 0x00) {
      const reader = new PayloadReader(first, 1);
      const affected = reader.lenencInt();
      reader.lenencInt();
      return { kind: 'ok', affected, more: (reader.u16() & 0x8) !== 0 };
    }
    if (first[0] === 0xff) {
      return {
        kind: 'error',
        code: first.readUInt16LE(1),
        state: first.toString('latin1', 4, 9),
        message: first.toString('utf8', 9),
      };
    }
    const count = new PayloadReader(first).lenencInt();
    const names: string[] = [];
    const types: number[] = [];
    for (let i = 0; i < count; i++) {
      const reader = new PayloadReader(await this.readPacket());
      for (let part = 0; part < 4; part++) reader.lenencBytes();
      names.push(reader.lenencBytes().toString('utf8'));
      reader.lenencBytes();
      reader.bytes(7);
      types.push(reader.u8());
    }
    assert.equal((await this.readPacket())[0], 0xfe);
    const rows: Buffer[] = [];
    for (;;) {
      const packet = await this.readPacket();
      if (packet[0] === 0xfe && packet.length < 9) {
        return { kind: 'rows', names, types, rows, more: (packet.readUInt16LE(3) & 0x8) !== 0 };
      }
      rows.push(packet);
    }
  }

  async query(sql: string) {
    this.command(0x03, Buffer.from(sql));
    return this.readResult();
  }
}

function nativePassword(password: string, scramble: Buffer): Buffer {
  const sha1 = (...parts: Buffer[]) => parts.reduce((hash, part) => hash.update(part), createHash('sha1')).digest();
  const stage1 = sha1(Buffer.from(password));
  const mask = sha1(scramble, sha1(stage1));
  return Buffer.from(stage1.map((byte, i) => byte ^ mask[i]!));
}

/** A text-protocol row as strings (null for NULL). */
function textRow(packet: Buffer, columns: number): (string | null)[] {
  const reader = new PayloadReader(packet);
  const values: (string | null)[] = [];
  for (let i = 0; i < columns; i++) {
    if (packet[reader.pos] === 0xfb) {
      reader.pos++;
      values.push(null);
    } else values.push(reader.lenencBytes().toString('utf8'));
  }
  return values;
}

let cluster: ServedCluster;
before(async () => {
  cluster = await serveForTest();
});
after(async () => {
  await cluster?.stop();
});

describe('MySQL wire server', () => {
  test('a raw client runs several statements in one COM_QUERY and sees each result', async () => {
    const client = await RawMysql.connect(cluster);
    const created = await client.query(
      "CREATE TABLE my_cpu (host STRING, ts TIMESTAMP TIME INDEX, usage DOUBLE, up BOOLEAN, PRIMARY KEY(host)); INSERT INTO my_cpu VALUES ('a', 1700000000000, 0.5, true), ('b', 1700000000123, 1, false)",
    );
    assert.deepEqual(created, { kind: 'ok', affected: 0, more: true });
    assert.deepEqual(await client.readResult(), { kind: 'ok', affected: 2, more: false });

    const rows = await client.query('SELECT host, ts, usage, up FROM my_cpu ORDER BY host');
    assert.equal(rows.kind, 'rows');
    if (rows.kind !== 'rows') return;
    assert.deepEqual(rows.names, ['host', 'ts', 'usage', 'up']);
    assert.deepEqual(rows.types, [0x0f, 0x07, 0x05, 0x01]);
    assert.deepEqual(
      rows.rows.map((row) => textRow(row, 4)),
      [
        ['a', '2023-11-14 22:13:20', '0.5', '1'],
        ['b', '2023-11-14 22:13:20.123', '1', '0'],
      ],
    );

    const version = await client.query('SELECT @@version_comment LIMIT 1');
    assert.equal(version.kind, 'rows');
    if (version.kind === 'rows') assert.deepEqual(textRow(version.rows[0]!, 1), ['GreptimeDB']);
    client.conn.close();
  });

  test('errors carry GreptimeDB’s MySQL codes and leave the connection usable', async () => {
    const client = await RawMysql.connect(cluster);
    const missing = await client.query('SELECT * FROM no_such_table');
    assert.equal(missing.kind, 'error');
    if (missing.kind === 'error') {
      assert.equal(missing.code, 1146);
      assert.equal(missing.state, '42S02');
      assert.match(missing.message, /^\(TableNotFound\): .*no_such_table/);
    }
    const syntax = await client.query('SELECT (1');
    assert.equal(syntax.kind === 'error' && syntax.code, 1149);
    client.command(0x02, Buffer.from('no_such_db'));
    const init = await client.readResult();
    assert.equal(init.kind === 'error' && init.code, 1102);
    client.command(0x0e);
    assert.equal((await client.readResult()).kind, 'ok');
    client.conn.close();
  });

  test('prepared statements bind parameters and answer in the binary protocol', async () => {
    const client = await RawMysql.connect(cluster);
    await client.query(
      "CREATE TABLE my_prep (host STRING, ts TIMESTAMP TIME INDEX, v BIGINT, PRIMARY KEY(host)); INSERT INTO my_prep VALUES ('x', 1000, 7), ('y', 2000, 9)",
    );
    await client.readResult();
    client.command(0x16, Buffer.from('SELECT host, v FROM my_prep WHERE host = ? AND v > ?'));
    const prepared = await client.readPacket();
    assert.equal(prepared[0], 0x00);
    const id = prepared.readUInt32LE(1);
    assert.equal(prepared.readUInt16LE(7), 2);
    for (let i = 0; i < 3; i++) await client.readPacket(); // two parameter definitions and EOF

    const execute = Buffer.alloc(9);
    execute.writeUInt32LE(id, 0);
    execute.writeUInt32LE(1, 5);
    const minimum = Buffer.alloc(8);
    minimum.writeBigInt64LE(5n);
    client.command(
      0x17,
      Buffer.concat([execute, Buffer.from([0x00, 0x01, 0xfd, 0x00, 0x08, 0x00]), lenencBytes("y'"), minimum]),
    );
    const none = await client.readResult();
    assert.equal(none.kind === 'rows' && none.rows.length, 0, 'a quote in a parameter stays inside the string');

    client.command(0x17, Buffer.concat([execute, Buffer.from([0x00, 0x00]), lenencBytes('y'), minimum]));
    const result = await client.readResult();
    assert.equal(result.kind, 'rows');
    if (result.kind !== 'rows') return;
    assert.deepEqual(result.types, [0x0f, 0x08]);
    const row = result.rows[0]!;
    // 0x00, a NULL bitmap of one byte, then 'y' as a length-encoded string and 9 as 8 bytes.
    assert.deepEqual([...row.subarray(0, 4)], [0x00, 0x00, 0x01, 'y'.charCodeAt(0)]);
    assert.equal(row.readBigInt64LE(4), 9n);

    client.command(0x19, Buffer.from([id & 0xff, 0, 0, 0]));
    client.command(0x17, Buffer.concat([execute, Buffer.from([0x00, 0x00]), lenencBytes('y'), minimum]));
    const closed = await client.readResult();
    assert.equal(closed.kind === 'error' && closed.code, 1243);
    client.conn.close();
  });

  test('SQL PREPARE / EXECUTE / DEALLOCATE belong to the session', async () => {
    const client = await RawMysql.connect(cluster);
    assert.equal((await client.query("PREPARE s FROM 'SELECT ? + 1 AS n'")).kind, 'ok');
    const executed = await client.query('EXECUTE s USING 41');
    assert.equal(executed.kind === 'rows' && textRow(executed.rows[0]!, 1)[0], '42');
    assert.equal((await client.query('DEALLOCATE s')).kind, 'ok');
    assert.equal((await client.query('EXECUTE s USING 1')).kind, 'error');
    client.conn.close();
  });

  test('a wrong password is refused with ERR 1045', async () => {
    await assert.rejects(RawMysql.connect(cluster, 'wrong'), /login failed: Access denied for user 'root'/);
  });

  test('a malformed packet closes only its own connection', async () => {
    const healthy = await RawMysql.connect(cluster);
    const broken = await RawMysql.connect(cluster);
    broken.command(0x17, Buffer.from([1, 0])); // COM_STMT_EXECUTE cut short
    await broken.conn.closed;
    const still = await healthy.query('SELECT 1');
    assert.equal(still.kind, 'rows');
    const fresh = await RawMysql.connect(cluster);
    assert.equal((await fresh.query('SELECT 2')).kind, 'rows');
    assert.match(cluster.output(), /mysql\.malformed-packet/);
    healthy.conn.close();
    fresh.conn.close();
  });

  test('the mysql command-line client connects, queries and reports errors', () => {
    assert.ok(hasCommand('mysql'), 'the mysql client (Debian mariadb-client) must be installed; .ci/run installs it');
    const args = ['-h', cluster.mysql.host, '-P', String(cluster.mysql.port), '-u', 'root', '--batch', 'public'];
    args.push(`--password=${testUsers.root}`);
    const ok = runClient('mysql', [...args, '-e', "SELECT 1 AS a, 'x' AS b; SHOW DATABASES"]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^a\tb\n1\tx\n/);
    assert.match(ok.stdout, /information_schema\npublic/);
    const failed = runClient('mysql', [...args, '-e', 'SELECT * FROM missing_table']);
    assert.notEqual(failed.status, 0);
    assert.match(failed.stderr, /ERROR 1146 \(42S02\).*\(TableNotFound\)/);
  });
});
