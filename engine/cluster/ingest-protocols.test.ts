// Schemaless ingestion end to end on a real local cluster: InfluxDB line protocol (v1, v2,
// gzip, precisions, hints), Prometheus remote write and read, OpenTSDB put through curl, HTTP
// authentication with a static user provider, and every refused request leaving no data.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import {
  Frontend,
  decodeReadResponse,
  remoteReadBody,
  remoteWriteBody,
  snappyDecompress,
  userProviderFromOption,
} from '../frontend/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';
const run = promisify(execFile);

describe('ingestion protocols on a local cluster', () => {
  let dataHome: string;
  let cluster: LocalCluster;
  let url: string;

  async function query(sql: string, database = 'public'): Promise<unknown[][]> {
    const response = await fetch(`${url}/v1/sql?db=${database}`, {
      method: 'POST',
      body: new URLSearchParams({ sql }),
    });
    const body = (await response.json()) as { output?: { records: { rows: unknown[][] } }[]; error?: string };
    assert.equal(response.status, 200, `${sql}: ${body.error}`);
    return body.output![0]!.records.rows;
  }

  async function tables(): Promise<string[]> {
    return (await query('SHOW TABLES')).map((row) => String(row[0]));
  }

  async function influx(body: string | Uint8Array, path = '/v1/influxdb/write', headers: Record<string, string> = {}) {
    const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
    const text = await response.text();
    return {
      status: response.status,
      text,
      json: text ? (JSON.parse(text) as { code: number; error: string }) : undefined,
    };
  }

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-ingest-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 1, httpAddr: '127.0.0.1:0', logger: quiet });
    url = cluster.httpUrl;
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('InfluxDB v1 write creates the table; new tags and fields add columns', async () => {
    const first = await influx('weather,city=paris temp=12.5,rain=3i 1700000000000000000\n');
    assert.equal(first.status, 204, first.text);
    const second = await influx('weather,city=oslo,country=no temp=-3,wind="strong",sunny=f 1700000060000000000');
    assert.equal(second.status, 204, second.text);
    assert.deepEqual(await query('SELECT * FROM weather ORDER BY greptime_timestamp'), [
      ['paris', 12.5, 3, 1700000000000000000, null, null, null],
      ['oslo', -3, null, 1700000060000000000, 'no', 'strong', false],
    ]);
    const desc = await query('DESC weather');
    assert.deepEqual(
      desc.map((row) => [row[0], row[1], row[5]]),
      [
        ['city', 'String', 'TAG'],
        ['temp', 'Float64', 'FIELD'],
        ['rain', 'Int64', 'FIELD'],
        ['greptime_timestamp', 'TimestampNanosecond', 'TIMESTAMP'],
        ['country', 'String', 'TAG'],
        ['wind', 'String', 'FIELD'],
        ['sunny', 'Boolean', 'FIELD'],
      ],
    );
  });

  test('v2 write with bucket and precision, gzip bodies, ping and health', async () => {
    const v2 = await influx(
      'disk,host=a used=1u 1700000000123',
      '/v1/influxdb/api/v2/write?bucket=public&org=x&precision=ms',
    );
    assert.equal(v2.status, 204, v2.text);
    const zipped = await influx(
      gzipSync(Buffer.from('disk,host=b used=2u 1700000001')),
      '/v1/influxdb/write?precision=s',
      {
        'content-encoding': 'gzip',
      },
    );
    assert.equal(zipped.status, 204, zipped.text);
    assert.deepEqual(await query('SELECT host, used, greptime_timestamp FROM disk ORDER BY host'), [
      ['a', 1, 1700000000123000000],
      ['b', 2, 1700000001000000000],
    ]);
    assert.equal((await fetch(`${url}/v1/influxdb/ping`)).status, 204);
    assert.equal((await fetch(`${url}/v1/influxdb/health`)).status, 200);
    const badPrecision = await influx('disk used=1u 1', '/v1/influxdb/write?precision=days');
    assert.equal(badPrecision.status, 400);
    assert.match(badPrecision.json!.error, /Invalid time precision 'days'/);
  });

  test('a malformed line refuses the whole request with its line number; nothing is written', async () => {
    const reply = await influx('fresh,host=a v=1 1\nfresh,host=b v=2 2\nfresh,host=c v=oops 3\n');
    assert.equal(reply.status, 400);
    assert.equal(reply.json!.code, 1004);
    assert.match(reply.json!.error, /line 3: invalid field value "oops"/);
    assert.ok(!(await tables()).includes('fresh'));
  });

  test('a type conflict with the table names the line, column and both types; no table of the request is written', async () => {
    assert.equal((await influx('typed v=1.5 1')).status, 204);
    const reply = await influx('other v=1 1\ntyped v=2i 2\n');
    assert.equal(reply.status, 400);
    assert.match(reply.json!.error, /line 2: column v of table typed is Float64 \(field\), but this write gives Int64/);
    assert.ok(!(await tables()).includes('other'));
    assert.deepEqual(await query('SELECT count(*) FROM typed'), [[1]]);
  });

  test('hints: ttl and append_mode for created tables, auto_create_table=false refuses', async () => {
    const hinted = await influx('hinted v=1 1', '/v1/influxdb/write', {
      'x-greptime-hints': 'ttl=7d,append_mode=true',
    });
    assert.equal(hinted.status, 204, hinted.text);
    const create = String((await query('SHOW CREATE TABLE hinted'))[0]![1]);
    assert.match(create, /ttl = '7d'/);
    assert.match(create, /append_mode = 'true'/);
    const refused = await influx('nocreate v=1 1', '/v1/influxdb/write', {
      'x-greptime-hint-auto_create_table': 'false',
    });
    assert.equal(refused.status, 404);
    assert.ok(!(await tables()).includes('nocreate'));
  });

  test('the db parameter and x-greptime-db-name choose the database', async () => {
    const created = await fetch(`${url}/v1/sql`, {
      method: 'POST',
      body: new URLSearchParams({ sql: 'CREATE DATABASE ingestdb' }),
    });
    assert.equal(created.status, 200);
    assert.equal((await influx('indb v=1 1', '/v1/influxdb/write?db=ingestdb')).status, 204);
    assert.equal((await influx('indb v=2 2', '/v1/influxdb/write', { 'x-greptime-db-name': 'ingestdb' })).status, 204);
    assert.deepEqual(await query('SELECT v FROM indb ORDER BY v', 'ingestdb'), [[1], [2]]);
  });

  test('fuzzed bodies over HTTP: every reply is 204 or a JSON error', async () => {
    let seed = 99;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const valid = Buffer.from('fuzz,host=a\\ b,dc=x v=1.5,n=2i,u=3u,s="q\\"",ok=t 1700000000000000000\nfuzz v=2 1\n');
    let ok = 0;
    for (let round = 0; round < 40; round++) {
      const body = Buffer.from(valid);
      for (let edit = 0; edit < 2; edit++) body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      const reply = await influx(body);
      if (reply.status === 204) ok++;
      else {
        assert.ok(reply.status >= 400 && reply.status < 500, `status ${reply.status}: ${reply.text}`);
        assert.equal(typeof reply.json!.error, 'string');
      }
    }
    assert.ok(ok < 40);
  });

  test('Prometheus remote write: a table per metric, labels as tags; remote read returns the series', async () => {
    const stale = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer)[0]!;
    const body = remoteWriteBody([
      {
        labels: { __name__: 'http_requests_total', job: 'api', instance: 'a:1' },
        samples: [
          { value: 1, timestamp: 1700000000000 },
          { value: 5, timestamp: 1700000015000 },
        ],
      },
      {
        labels: { __name__: 'http_requests_total', job: 'web', instance: 'b:1' },
        samples: [{ value: 2, timestamp: 1700000000000 }],
      },
      { labels: { __name__: 'up', job: 'api' }, samples: [{ value: stale, timestamp: 1700000000000 }] },
    ]);
    const write = await fetch(`${url}/v1/prometheus/write?db=public`, {
      method: 'POST',
      body,
      headers: { 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf' },
    });
    assert.equal(write.status, 204, await write.text());
    assert.deepEqual(
      await query(
        'SELECT job, instance, greptime_timestamp, greptime_value FROM http_requests_total ORDER BY job, greptime_timestamp',
      ),
      [
        ['api', 'a:1', 1700000000000, 1],
        ['api', 'a:1', 1700000015000, 5],
        ['web', 'b:1', 1700000000000, 2],
      ],
    );
    const read = await fetch(`${url}/v1/prometheus/read`, {
      method: 'POST',
      body: remoteReadBody([
        {
          startMs: 1700000000000,
          endMs: 1700000015000,
          matchers: [
            { type: 'EQ', name: '__name__', value: 'http_requests_total' },
            { type: 'RE', name: 'job', value: 'a.*' },
          ],
        },
        { startMs: 0, endMs: 1800000000000, matchers: [{ type: 'EQ', name: '__name__', value: 'up' }] },
      ]),
    });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('content-encoding'), 'snappy');
    const results = decodeReadResponse(snappyDecompress(new Uint8Array(await read.arrayBuffer()), 1 << 20));
    assert.deepEqual(results[0], [
      {
        labels: [
          { name: '__name__', value: 'http_requests_total' },
          { name: 'instance', value: 'a:1' },
          { name: 'job', value: 'api' },
        ],
        timestamps: [1700000000000, 1700000015000],
        values: [1, 5],
      },
    ]);
    assert.ok(Number.isNaN(results[1]![0]!.values[0]));
  });

  test('a remote write with a bad series writes nothing', async () => {
    const body = remoteWriteBody([
      { labels: { __name__: 'half_metric', job: 'x' }, samples: [{ value: 1, timestamp: 1 }] },
      { labels: { job: 'no-name' }, samples: [{ value: 1, timestamp: 1 }] },
    ]);
    const reply = await fetch(`${url}/v1/prometheus/write`, { method: 'POST', body });
    assert.equal(reply.status, 400);
    assert.match(((await reply.json()) as { error: string }).error, /series 2: missing '__name__' label/);
    assert.ok(!(await tables()).includes('half_metric'));
    const garbage = await fetch(`${url}/v1/prometheus/write`, { method: 'POST', body: new Uint8Array([1, 2, 3, 4]) });
    assert.equal(garbage.status, 400);
  });

  test('OpenTSDB put with curl: one point, an array, and a bad array refused whole', async () => {
    const put = (body: string, query = '') =>
      run('curl', ['-s', '-w', '\n%{http_code}', '-X', 'POST', `${url}/v1/opentsdb/api/put${query}`, '-d', body]);
    const one = await put(
      '{"metric":"sys.cpu.nice","timestamp":1346846400,"value":18,"tags":{"host":"web01","dc":"lga"}}',
    );
    assert.match(one.stdout, /204$/);
    const many = await put(
      '[{"metric":"sys.cpu.nice","timestamp":1346846400000,"value":9,"tags":{"host":"web02","dc":"lga"}},{"metric":"sys.mem","timestamp":1346846401,"value":1.5,"tags":{"host":"web01"}}]',
      '?summary',
    );
    assert.match(many.stdout, /\{"success":2,"failed":0\}\n200$/);
    assert.deepEqual(
      await query('SELECT host, dc, greptime_timestamp, greptime_value FROM "sys.cpu.nice" ORDER BY host'),
      [
        ['web01', 'lga', 1346846400000, 18],
        ['web02', 'lga', 1346846400000, 9],
      ],
    );
    const bad = await put(
      '[{"metric":"sys.bad","timestamp":1,"value":1,"tags":{}},{"metric":"sys.bad","value":2,"tags":{}}]',
    );
    assert.match(bad.stdout, /data point 2: field `timestamp` must be an integer[\s\S]*400$/);
    assert.ok(!(await tables()).includes('sys.bad'));
  });

  test('hundreds of metric tables open no file and start no process per table', async () => {
    const datanodePid = cluster.datanodes[0]!.process!.pid;
    const openFiles = () => readdirSync(`/proc/${datanodePid}/fd`).length;
    const before = openFiles();
    const series = Array.from({ length: 150 }, (_, i) => ({
      labels: { __name__: `many_metric_${i}`, job: 'x' },
      samples: [{ value: i, timestamp: 1700000000000 }],
    }));
    const reply = await fetch(`${url}/v1/prometheus/write`, { method: 'POST', body: remoteWriteBody(series) });
    assert.equal(reply.status, 204, await reply.text());
    assert.deepEqual(await query('SELECT greptime_value FROM many_metric_149'), [[149]]);
    // Tables at rest: the datanode holds no file per region (the WAL is shared; SSTs open on read).
    assert.ok(openFiles() - before < 20, `open files ${before} → ${openFiles()}`);
    assert.equal(cluster.datanodes.length, 1);
  });

  test('with users, /v1 paths need credentials (401), ping stays public', async () => {
    const secured = await Frontend.start({
      metasrvUrl: cluster.metasrvUrl,
      token: cluster.token,
      httpPort: 0,
      users: userProviderFromOption('static_user_provider:cmd:alice=secret'),
      logger: quiet,
    });
    try {
      const write = (path: string, headers: Record<string, string> = {}) =>
        fetch(`${secured.httpUrl}${path}`, { method: 'POST', body: 'authed v=1 1', headers });
      const basic = (user: string, password: string) =>
        `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      assert.equal((await write('/v1/influxdb/write')).status, 401);
      assert.equal((await write('/v1/influxdb/write', { authorization: basic('alice', 'wrong') })).status, 401);
      assert.equal((await write('/v1/influxdb/write', { authorization: basic('alice', 'secret') })).status, 204);
      assert.equal((await write('/v1/influxdb/write?u=alice&p=secret')).status, 204);
      assert.equal((await write('/v1/influxdb/write', { authorization: 'Token alice:secret' })).status, 204);
      assert.equal((await fetch(`${secured.httpUrl}/v1/sql?sql=select+1`)).status, 401);
      assert.equal((await fetch(`${secured.httpUrl}/v1/prometheus/write`, { method: 'POST' })).status, 401);
      assert.equal((await fetch(`${secured.httpUrl}/v1/influxdb/ping`)).status, 204);
    } finally {
      await secured.stop();
    }
  });
});
