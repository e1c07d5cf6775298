// Ingestion by clients no one here wrote, against a real local cluster:
//  - Debian's `prometheus` (2.42) scraping itself and remote-writing to the frontend (samples
//    then visible to SQL), and answering a PromQL query from Tessera's data by remote read;
//  - the `influx` 1.x CLI (Debian's influxdb-client) writing with INSERT and -import. The CLI
//    has no path prefix option, so a small proxy maps `/ping` and `/write` to `/v1/influxdb/*`
//    (what a reverse proxy in front of GreptimeDB does for it).
// Each part fails when its binary is not installed (CI installs both: .ci/run).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../common/index.ts';
import { remoteWriteBody } from '../frontend/index.ts';
import { startLocalCluster } from './local-cluster.ts';
import type { LocalCluster } from './local-cluster.ts';
import { waitFor } from './testing/wait-for.ts';

const quiet = createLogger({ role: 'test', level: 'error' });
process.env.TESSERA_LOG_LEVEL = 'warn';
const run = promisify(execFile);

function binary(name: string): string | undefined {
  return ['/usr/bin', '/usr/local/bin', '/bin'].map((dir) => join(dir, name)).find((path) => existsSync(path));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('real ingestion clients', () => {
  let dataHome: string;
  let cluster: LocalCluster;

  async function query(sql: string): Promise<unknown[][]> {
    const response = await fetch(`${cluster.httpUrl}/v1/sql`, { method: 'POST', body: new URLSearchParams({ sql }) });
    const body = (await response.json()) as { output?: { records: { rows: unknown[][] } }[]; error?: string };
    if (response.status !== 200) throw new Error(`${sql}: ${body.error}`);
    return body.output![0]!.records.rows;
  }

  before(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'tessera-ingest-clients-'));
    cluster = await startLocalCluster({ dataHome, datanodes: 1, httpAddr: '127.0.0.1:0', logger: quiet });
  });

  after(async () => {
    await cluster?.stop();
    await rm(dataHome, { recursive: true, force: true });
  });

  const prometheus = binary('prometheus');
  test('prometheus scrapes itself and remote-writes; SQL sees the samples; PromQL reads back by remote read', async () => {
    assert.ok(prometheus, 'prometheus must be installed (Debian package prometheus; .ci/run installs it)');
    const port = await freePort();
    const home = join(dataHome, 'prometheus');
    const config = join(dataHome, 'prometheus.yml');
    await writeFile(
      config,
      `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:${port}']
remote_write:
  - url: ${cluster.httpUrl}/v1/prometheus/write?db=public
    queue_config:
      batch_send_deadline: 1s
    write_relabel_configs:
      - source_labels: [__name__]
        regex: 'up|prometheus_build_info|prometheus_http_requests_total'
        action: keep
remote_read:
  - url: ${cluster.httpUrl}/v1/prometheus/read
    read_recent: true
`,
    );
    const child: ChildProcess = spawn(
      prometheus!,
      [`--config.file=${config}`, `--storage.tsdb.path=${home}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    try {
      await waitFor(
        'samples of up from prometheus',
        async () => {
          const tables = (await query('SHOW TABLES')).map((row) => row[0]);
          if (!tables.includes('up')) return undefined;
          return Number((await query('SELECT count(*) FROM up'))[0]![0]) >= 2 ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; prometheus log: ${log}`);
      });
      const up = await query('SELECT job, instance, greptime_value FROM up LIMIT 1');
      assert.deepEqual(up, [['prometheus', `127.0.0.1:${port}`, 1]]);
      const build = await query('SELECT version FROM prometheus_build_info LIMIT 1');
      assert.match(String(build[0]![0]), /^2\./);

      // A metric only Tessera has: Prometheus can answer it only through remote read.
      const at = Date.now() - 30_000;
      const written = await fetch(`${cluster.httpUrl}/v1/prometheus/write`, {
        method: 'POST',
        body: remoteWriteBody([
          { labels: { __name__: 'only_in_tessera', site: 'x' }, samples: [{ value: 42, timestamp: at }] },
        ]),
      });
      assert.equal(written.status, 204);
      const answer = (await (
        await fetch(`http://127.0.0.1:${port}/api/v1/query?query=only_in_tessera&time=${(at + 1000) / 1000}`)
      ).json()) as {
        status: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      assert.equal(answer.status, 'success');
      assert.deepEqual(
        answer.data.result.map((series) => [series.metric, series.value[1]]),
        [[{ __name__: 'only_in_tessera', site: 'x' }, '42']],
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  const influx = binary('influx');
  test('the influx 1.x CLI writes by INSERT and -import', async () => {
    assert.ok(influx, 'influx must be installed (Debian package influxdb-client; .ci/run installs it)');
    const target = new URL(cluster.httpUrl);
    const proxy: Server = createServer((incoming, outgoing) => {
      const path = (incoming.url ?? '/').startsWith('/v1/') ? incoming.url! : `/v1/influxdb${incoming.url ?? '/'}`;
      const forward = httpRequest(
        { host: target.hostname, port: target.port, path, method: incoming.method, headers: incoming.headers },
        (reply) => {
          outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = String((proxy.address() as AddressInfo).port);
    try {
      await run(influx!, [
        '-host',
        '127.0.0.1',
        '-port',
        port,
        '-database',
        'public',
        '-execute',
        'INSERT cli,host=a v=1,n=2i',
      ]);
      const file = join(dataHome, 'import.txt');
      await writeFile(
        file,
        '# DML\n# CONTEXT-DATABASE: public\ncli,host=b v=2 1700000000000000000\ncli,host=c v=3,s="x y" 1700000001000000000\n',
      );
      const imported = await run(influx!, [
        '-host',
        '127.0.0.1',
        '-port',
        port,
        '-import',
        '-path',
        file,
        '-precision',
        'ns',
      ]);
      assert.match(imported.stdout + imported.stderr, /Processed 2 inserts[\s\S]*Failed 0 inserts/);
      const rows = await query('SELECT host, v, n, s FROM cli ORDER BY host');
      assert.deepEqual(rows, [
        ['a', 1, 2, null],
        ['b', 2, null, null],
        ['c', 3, null, 'x y'],
      ]);
      // A malformed line is reported by the CLI and nothing of its batch is written.
      await writeFile(file, '# DML\n# CONTEXT-DATABASE: public\nclibad v=1 1\nclibad v=oops 2\n');
      const failed = await run(influx!, ['-host', '127.0.0.1', '-port', port, '-import', '-path', file]).catch(
        (error: { stderr: string }) => error,
      );
      assert.match(String(failed.stderr), /line 3: invalid field value[\s\S]*2 points were not inserted/);
      assert.ok(!(await query('SHOW TABLES')).some((row) => row[0] === 'clibad'));
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
