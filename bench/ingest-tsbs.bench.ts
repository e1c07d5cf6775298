/**
 * TSBS ingest: the cpu-only data set (100 hosts × 1 day at 10 s = 864,000 rows, TSBS's schema:
 * measurement `cpu`, ten tags, ten integer fields usage_user … usage_guest_nice) as InfluxDB
 * line protocol in 5,000-line batches, sent by 2 concurrent writers to `tessera serve` with 3
 * datanodes (WAL fsync on, the default), then `SELECT count(*)` to check every row arrived.
 * Reference on the same machine and load (issue 6): InfluxDB 1.6 142k rows/s, VictoriaMetrics
 * 190k rows/s.
 *
 * Besides rows/s it reports the CPU seconds per million rows that the server's processes used
 * during the ingest (from /proc, every thread): on a 2-core machine shared with other work the
 * wall-clock figure swings with the load (±2x), the CPU figure far less, so compare changes by it.
 *
 * The server runs as its own process, as users run it. `TESSERA_BENCH_CPU_PROF=DIR` profiles its
 * process and the datanode processes' main threads (`cpu-profile-preload.mjs`, through
 * NODE_OPTIONS) to see where the time goes; `TESSERA_BENCH_TSBS_HOURS` shortens the day.
 * `TESSERA_BENCH_TSBS_PORT` fixes the HTTP port (default: a free one).
 * `TESSERA_BENCH_TSBS_PARTITIONED=1` creates `cpu` first by SQL with three partitions on
 * `hostname` (one region per datanode) instead of letting the first write create it with one.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result.ts';
import { seededRandom, tsbsFieldNames, tsbsHostTags, tsbsTagNames } from './tsbs-cpu.ts';

const hosts = 100;
const intervalSeconds = 10;
const batchLines = 5000;
const writers = 2;
/** TSBS's default start: 2016-01-01T00:00:00Z. */
const startNs = 1451606400n * 1_000_000_000n;

/** The table line protocol would create, split by hostname into three regions. */
const partitionedCpu = `CREATE TABLE cpu (${tsbsTagNames.map((name) => `${name} STRING`).join(', ')}, ${tsbsFieldNames
  .map((name) => `${name} BIGINT`)
  .join(', ')}, greptime_timestamp TIMESTAMP(9) TIME INDEX, PRIMARY KEY(${tsbsTagNames.join(', ')}))
  PARTITION ON COLUMNS (hostname) (hostname < 'host_4', hostname >= 'host_4' AND hostname < 'host_7', hostname >= 'host_7')`;

/** The day's lines in TSBS order (all hosts at each instant), cut into 5,000-line bodies. */
export function tsbsBatches(hours: number): { batches: Buffer[]; rows: number } {
  const next = seededRandom(42);
  const tags = tsbsHostTags(hosts, next);
  const prefixes = tags.map((values) => `cpu,${tsbsTagNames.map((name, i) => `${name}=${values[i]}`).join(',')} `);
  const walk = Array.from({ length: hosts }, () => tsbsFieldNames.map(() => Math.floor(next() * 100)));
  const instants = (hours * 3600) / intervalSeconds;
  const batches: Buffer[] = [];
  let lines: string[] = [];
  for (let t = 0; t < instants; t++) {
    const ns = String(startNs + BigInt(t * intervalSeconds) * 1_000_000_000n);
    for (let h = 0; h < hosts; h++) {
      const values = walk[h]!;
      let fields = '';
      for (let f = 0; f < values.length; f++) {
        values[f] = Math.min(100, Math.max(0, values[f]! + Math.floor(next() * 11) - 5));
        fields += `${f === 0 ? '' : ','}${tsbsFieldNames[f]}=${values[f]}i`;
      }
      lines.push(`${prefixes[h]}${fields} ${ns}`);
      if (lines.length === batchLines) {
        batches.push(Buffer.from(lines.join('\n')));
        lines = [];
      }
    }
  }
  if (lines.length > 0) batches.push(Buffer.from(lines.join('\n')));
  return { batches, rows: instants * hosts };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startServe(dataHome: string, port: number, profileDir: string | undefined) {
  const bin = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
  // NODE_OPTIONS rather than argv (datanodes fork with their own execArgv, and inherit the env);
  // it may not hold --cpu-prof, so a preload profiles each process and thread.
  const preload = new URL('./cpu-profile-preload.mjs', import.meta.url).href;
  const profile = profileDir ? { NODE_OPTIONS: `--import=${preload}`, TESSERA_CPU_PROF_DIR: profileDir } : {};
  const env = { ...process.env, TESSERA_LOG_LEVEL: 'warn', ...profile };
  const child = spawn(
    process.execPath,
    [
      bin,
      'serve',
      '--data-home',
      dataHome,
      '--http-addr',
      `127.0.0.1:${port}`,
      '--datanodes',
      '3',
      '--mysql-addr',
      'off',
      '--postgres-addr',
      'off',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Tessera is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tessera serve exited with ${code}: ${output}`)));
  });
  return child;
}

/** Sends the bodies with `writers` concurrent writers; returns the wall time in seconds. */
export async function sendBatches(url: string, batches: Buffer[]): Promise<number> {
  let nextBatch = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (;;) {
        const index = nextBatch++;
        if (index >= batches.length) return;
        const response = await fetch(`${url}/v1/influxdb/write?db=public&precision=ns`, {
          method: 'POST',
          body: batches[index]!,
        });
        if (response.status !== 204) throw new Error(`batch ${index}: ${response.status} ${await response.text()}`);
      }
    }),
  );
  return (performance.now() - startedAt) / 1000;
}

/** A process and its descendants (Linux /proc; empty elsewhere). */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children !== '') pids.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // Gone, or no /proc.
    }
  }
  return pids;
}

/**
 * CPU seconds (user + system, all threads) the processes have used so far: on a machine shared
 * with other work, wall time varies with the load, CPU time much less.
 */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone, or no /proc.
    }
  }
  return ticks / 100;
}

/** Waits until `count` datanodes are alive (serve prints its banner before they register). */
async function datanodesAlive(url: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    const status = (await (await fetch(`${url}/status`)).json()) as { datanodes: { alive: number } };
    if (status.datanodes.alive >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`fewer than ${count} datanodes came up`);
}

/** Creates the partitioned `cpu` table, waiting for the datanodes to register. */
async function createPartitionedCpu(url: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const reply = await fetch(`${url}/v1/sql`, { method: 'POST', body: new URLSearchParams({ sql: partitionedCpu }) });
    if (reply.status === 200) return;
    if (attempt >= 60) throw new Error(`CREATE TABLE cpu: ${await reply.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function run(): Promise<BenchResult[]> {
  const hours = Number(process.env.TESSERA_BENCH_TSBS_HOURS ?? 24);
  const { batches, rows } = tsbsBatches(hours);
  const dataHome = await mkdtemp(join(tmpdir(), 'tessera-bench-tsbs-'));
  const port = process.env.TESSERA_BENCH_TSBS_PORT ? Number(process.env.TESSERA_BENCH_TSBS_PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startServe(dataHome, port, process.env.TESSERA_BENCH_CPU_PROF);
  const partitioned = process.env.TESSERA_BENCH_TSBS_PARTITIONED === '1';
  try {
    await datanodesAlive(url, 3);
    if (partitioned) await createPartitionedCpu(url);
    const pids = processTree(child.pid!);
    const frontendBefore = cpuSeconds(pids.slice(0, 1));
    const datanodesBefore = cpuSeconds(pids.slice(1));
    const seconds = await sendBatches(url, batches);
    const frontendCpu = cpuSeconds(pids.slice(0, 1)) - frontendBefore;
    const datanodesCpu = cpuSeconds(pids.slice(1)) - datanodesBefore;
    const reply = await fetch(`${url}/v1/sql`, {
      method: 'POST',
      body: new URLSearchParams({ sql: 'SELECT count(*) FROM cpu' }),
    });
    const counted = Number(
      ((await reply.json()) as { output: { records: { rows: number[][] } }[] }).output[0]!.records.rows[0]![0],
    );
    if (counted !== rows) throw new Error(`counted ${counted} rows in cpu, wrote ${rows}`);
    const note = `${hosts} hosts × ${hours} h at ${intervalSeconds} s, ${batchLines}-line batches, ${writers} writers, serve with 3 datanodes, fsync on${partitioned ? ', cpu in 3 regions' : ''}`;
    return [
      { name: 'TSBS cpu-only line protocol ingest', value: rows / seconds, unit: 'rows/s', note },
      { name: 'rows counted after ingest', value: counted, unit: 'rows', note: `expected ${rows}` },
      { name: 'ingest wall time', value: seconds, unit: 's', note },
      {
        name: 'server CPU per million rows',
        value: ((frontendCpu + datanodesCpu) / rows) * 1e6,
        unit: 'cpu-s',
        note: `all threads of tessera serve and its child processes during the ingest`,
      },
      {
        name: 'frontend CPU per million rows',
        value: (frontendCpu / rows) * 1e6,
        unit: 'cpu-s',
        note: 'the serve process: HTTP, line protocol, routing, rpc client, metasrv',
      },
      {
        name: 'datanodes CPU per million rows',
        value: (datanodesCpu / rows) * 1e6,
        unit: 'cpu-s',
        note: `${pids.length - 1} child processes: rpc server, WAL, memtables, flushes`,
      },
    ];
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataHome, { recursive: true, force: true });
  }
}
