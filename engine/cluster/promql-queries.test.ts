// PromQL end to end on a real local cluster (1 datanode process): a metric table written with
// SQL, read back through `TQL EVAL` on /v1/sql (GreptimeDB's column layout) and through the
// Prometheus HTTP API (`/v1/prometheus/api/v1/...`) and `/v1/promql`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';

interface Records {
  schema: { column_schemas: { name: string; data_type: string }[] };
  rows: unknown[][];
}

async function sql(cluster: LocalCluster, text: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${cluster.httpUrl}/v1/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sql: text }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function records(cluster: LocalCluster, text: string): Promise<Records> {
  const reply = await sql(cluster, text);
  assert.equal(reply.status, 200, `${text}: ${String(reply.body.error)}`);
  const output = (reply.body.output as { records: Records }[])[0];
  return output.records;
}

async function prometheus(
  cluster: LocalCluster,
  path: string,
  params: Record<string, string | string[]>,
  method = 'GET',
) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  const url = `${cluster.httpUrl}/v1/prometheus/api/v1/${path}`;
  const response =
    method === 'GET'
      ? await fetch(`${url}?${search}`)
      : await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: search,
        });
  return {
    status: response.status,
    body: (await response.json()) as { status: string; data?: unknown; errorType?: string; error?: string },
  };
}

describe('PromQL over a local cluster', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-promql-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 1, httpAddr: '127.0.0.1:0', logger: quiet });
    const create = await sql(
      cluster,
      'CREATE TABLE http_requests (ts TIMESTAMP TIME INDEX, job STRING, instance STRING, greptime_value DOUBLE, PRIMARY KEY(job, instance))',
    );
    assert.equal(create.status, 200, String(create.body.error));
    const rows: string[] = [];
    for (let minute = 0; minute <= 10; minute++) {
      rows.push(`(${minute * 60_000}, 'api', '0', ${minute * 10})`, `(${minute * 60_000}, 'api', '1', ${minute * 20})`);
      rows.push(`(${minute * 60_000}, 'web', '0', ${minute})`);
    }
    const insert = await sql(cluster, `INSERT INTO http_requests VALUES ${rows.join(', ')}`);
    assert.equal(insert.status, 200, String(insert.body.error));
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  test('promql.tql.eval: TQL EVAL answers GreptimeDB-shaped records sorted by labels then time', async () => {
    const plain = await records(cluster, `TQL EVAL (540, 600, '60s') http_requests{job="api"}`);
    assert.deepEqual(
      plain.schema.column_schemas.map((c) => [c.name, c.data_type]),
      [
        ['ts', 'TimestampMillisecond'],
        ['job', 'String'],
        ['instance', 'String'],
        ['greptime_value', 'Float64'],
      ],
    );
    assert.deepEqual(plain.rows, [
      [540_000, 'api', '0', 90],
      [600_000, 'api', '0', 100],
      [540_000, 'api', '1', 180],
      [600_000, 'api', '1', 200],
    ]);
    const summed = await records(cluster, `TQL EVAL (600, 600, '1m') sum by (job) (rate(http_requests[5m]))`);
    assert.deepEqual(
      summed.schema.column_schemas.map((c) => c.name),
      ['job', 'ts', 'sum(prom_rate(ts_range,greptime_value,ts,Int64(300000)))'],
    );
    assert.deepEqual(summed.rows, [
      ['api', 600_000, 0.5],
      ['web', 600_000, 1 / 60],
    ]);
    const aliased = await records(cluster, `TQL EVAL (600, 600, '1m') count(http_requests) AS c`);
    assert.deepEqual(aliased.rows, [[3, 600_000]]);
    const missing = await records(cluster, `TQL EVAL (0, 10, '5s') no_such_metric`);
    assert.deepEqual(missing.rows, []);
    const error = await sql(cluster, `TQL EVAL (0, 10, '5s') sum(http_requests`);
    assert.equal(error.status, 400);
    assert.equal(error.body.code, 2000);
  });

  test('promql.http.query-and-metadata: the Prometheus API answers queries, labels, values and series', async () => {
    const instant = await prometheus(cluster, 'query', { query: 'http_requests{job="web"}', time: '600' });
    assert.deepEqual(instant, {
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [{ metric: { __name__: 'http_requests', instance: '0', job: 'web' }, value: [600, '10'] }],
        },
      },
    });
    const range = await prometheus(
      cluster,
      'query_range',
      { query: 'sum(http_requests) by (job)', start: '0', end: '120', step: '1m' },
      'POST',
    );
    assert.deepEqual(range.body.data, {
      resultType: 'matrix',
      result: [
        {
          metric: { job: 'api' },
          values: [
            [0, '0'],
            [60, '30'],
            [120, '60'],
          ],
        },
        {
          metric: { job: 'web' },
          values: [
            [0, '0'],
            [60, '1'],
            [120, '2'],
          ],
        },
      ],
    });
    const scalar = await prometheus(cluster, 'query', { query: '1 + 2', time: '10' });
    assert.deepEqual(scalar.body.data, { resultType: 'scalar', result: [10, '3'] });
    assert.deepEqual((await prometheus(cluster, 'labels', {})).body.data, ['__name__', 'instance', 'job']);
    assert.deepEqual((await prometheus(cluster, 'label/job/values', {})).body.data, ['api', 'web']);
    assert.deepEqual((await prometheus(cluster, 'label/__name__/values', {})).body.data, ['http_requests']);
    assert.deepEqual((await prometheus(cluster, 'series', { 'match[]': 'http_requests{instance="1"}' })).body.data, [
      { __name__: 'http_requests', job: 'api', instance: '1' },
    ]);
    const bad = await prometheus(cluster, 'query', { query: 'rate(http_requests)' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.status, 'error');
    assert.equal(bad.body.errorType, 'bad_data');
    const promql = await fetch(
      `${cluster.httpUrl}/v1/promql?query=http_requests%7Bjob%3D%22web%22%7D&start=600&end=600&step=1m`,
    );
    const body = (await promql.json()) as { output: { records: Records }[] };
    assert.deepEqual(body.output[0].records.rows, [[600_000, 'web', '0', 10]]);
  });
});
