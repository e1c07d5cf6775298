/**
 * engine/rpc over a real socket, server in a child process: unary latency and throughput,
 * Arrow IPC streaming, JSON item streaming, writes with an Arrow attachment; and, without a
 * socket, the codec cost of carrying the schema with every batch against once per stream
 * (which decided the item encoding, see engine/rpc/arrow-ipc.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RecordBatchReader, RecordBatchStreamWriter } from 'apache-arrow';
import { createLogger } from '../engine/common/index.ts';
import { BatchDecoder, BatchEncoder, encodeBatch } from '../engine/rpc/arrow-ipc.ts';
import { FrameKind, decodeFrame, encodeFrame } from '../engine/rpc/frame.ts';
import { RpcClient } from '../engine/rpc/index.ts';
import type { BenchResult } from './bench-result.ts';
import { events, makeScanBatch, ping, scan, write } from './rpc-methods.ts';

const token = 'bench-token';
const SEQUENTIAL_CALLS = 5000;
const CONCURRENT_CALLS = 50_000;
const CONCURRENCY = 64;
const SCAN_ROWS = 1_000_000;
const BATCH_ROWS = 8192;

/** Runs every rpc measurement; the peer process lives only as long as this call. */
export async function run(): Promise<BenchResult[]> {
  const child = fork(fileURLToPath(new URL('./rpc-peer.ts', import.meta.url)), [token], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`bench peer exited (${code}) before listening`)));
  });
  const client = new RpcClient({ url, token, logger: createLogger({ role: 'bench', level: 'warn' }) });
  try {
    return [
      ...(await unaryLatency(client)),
      ...(await unaryThroughput(client)),
      ...(await arrowStreaming(client)),
      ...(await jsonStreaming(client)),
      ...(await attachmentWrites(client)),
      ...itemCodecCost(),
    ];
  } finally {
    await client.close();
    child.kill();
  }
}

async function unaryLatency(client: RpcClient): Promise<BenchResult[]> {
  for (let n = 0; n < 1000; n++) await client.call(ping, { n, text: 'warm up' });
  const micros = new Float64Array(SEQUENTIAL_CALLS);
  for (let n = 0; n < SEQUENTIAL_CALLS; n++) {
    const start = process.hrtime.bigint();
    await client.call(ping, { n, text: 'metasrv.heartbeat-sized' });
    micros[n] = Number(process.hrtime.bigint() - start) / 1000;
  }
  micros.sort();
  const note = `${SEQUENTIAL_CALLS} sequential small calls`;
  return [
    { name: 'unary round trip p50', value: micros[Math.floor(SEQUENTIAL_CALLS * 0.5)]!, unit: 'µs', note },
    { name: 'unary round trip p99', value: micros[Math.floor(SEQUENTIAL_CALLS * 0.99)]!, unit: 'µs', note },
  ];
}

async function unaryThroughput(client: RpcClient): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const concurrency of [1, CONCURRENCY]) {
    const total = concurrency === 1 ? SEQUENTIAL_CALLS : CONCURRENT_CALLS;
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await client.call(ping, { n: next++, text: 'x' });
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    results.push({
      name: `unary throughput, ${concurrency} in flight`,
      value: total / seconds,
      unit: 'calls/s',
      note: `${total} calls`,
    });
  }
  return results;
}

async function arrowStreaming(client: RpcClient): Promise<BenchResult[]> {
  const ipcBytesPerBatch = Buffer.concat(encodeBatch(makeScanBatch(0, BATCH_ROWS))).byteLength;
  const request = { rows: SCAN_ROWS, batchRows: BATCH_ROWS };
  // The first scan builds the batches in the peer; the rest warm both ends up (JIT, buffers).
  for (let round = 0; round < 8; round++) await drain(client.stream(scan, request));
  const rounds = 15;
  const seconds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    let rows = 0;
    let checksum = 0;
    for await (const batch of client.stream(scan, request)) {
      rows += batch.numRows;
      checksum += (batch.getChild('value')!.get(batch.numRows - 1) as number) + batch.getChild('tag')!.get(0)!.length;
    }
    seconds.push((performance.now() - start) / 1000);
    if (rows !== SCAN_ROWS || !(checksum > 0)) throw new Error(`scan returned ${rows} rows`);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[rounds >> 1]!;
  const megabytes = (ipcBytesPerBatch * Math.ceil(SCAN_ROWS / BATCH_ROWS)) / 1e6;
  const note = `${SCAN_ROWS / 1e6}M rows (Int64, Utf8, Float64) in ${BATCH_ROWS}-row batches, median of ${rounds}`;
  return [
    { name: 'arrow stream throughput', value: SCAN_ROWS / median, unit: 'rows/s', note },
    {
      name: 'arrow stream throughput',
      value: megabytes / median,
      unit: 'MB/s',
      note: `${megabytes.toFixed(1)} MB of IPC`,
    },
    {
      name: 'arrow stream, 1M rows',
      value: median * 1000,
      unit: 'ms',
      note: `best ${(seconds[0]! * 1000).toFixed(1)} ms`,
    },
  ];
}

async function jsonStreaming(client: RpcClient): Promise<BenchResult[]> {
  const count = 100_000;
  await drain(client.stream(events, { count: 1000 }));
  const start = performance.now();
  let seen = 0;
  for await (const _ of client.stream(events, { count })) seen++;
  const seconds = (performance.now() - start) / 1000;
  return [
    {
      name: 'json stream throughput',
      value: seen / seconds,
      unit: 'items/s',
      note: `${count} small items, default window (64)`,
    },
  ];
}

async function attachmentWrites(client: RpcClient): Promise<BenchResult[]> {
  const batch = makeScanBatch(0, BATCH_ROWS);
  for (let n = 0; n < 20; n++) await client.call(write, { table: 'cpu' }, { data: batch });
  const calls = 200;
  const start = performance.now();
  for (let n = 0; n < calls; n++) await client.call(write, { table: 'cpu' }, { data: batch });
  const seconds = (performance.now() - start) / 1000;
  return [
    {
      name: 'unary write with attachment',
      value: (calls * BATCH_ROWS) / seconds,
      unit: 'rows/s',
      note: `${calls} sequential calls, one ${BATCH_ROWS}-row batch each`,
    },
  ];
}

/**
 * The two ways to carry a stream's batches, from RecordBatch to frame bytes and back without
 * a socket: a self-contained IPC stream per item (schema every time; the IPC writer joins its
 * chunks, then the frame copies them again), or the schema once per stream (what engine/rpc
 * does; the chunks are copied once, into the frame).
 */
function itemCodecCost(): BenchResult[] {
  const batches = Array.from({ length: Math.ceil(SCAN_ROWS / BATCH_ROWS) }, (_, index) =>
    makeScanBatch(index * BATCH_ROWS, BATCH_ROWS),
  );
  const perItem = (): void => {
    for (const batch of batches) {
      const data = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
      const frame = decodeFrame(encodeFrame({ kind: FrameKind.Item, requestId: 1, data }));
      if (frame.ok) RecordBatchReader.from(frame.frame.data!).next();
    }
  };
  const schemaOnce = (): void => {
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    for (const batch of batches) {
      const item = encoder.encode(batch);
      const schemaBytes = item.schema === undefined ? 0 : item.schema.reduce((sum, chunk) => sum + chunk.byteLength, 0);
      const data = item.schema === undefined ? item.batch : [...item.schema, ...item.batch];
      const frame = decodeFrame(encodeFrame({ kind: FrameKind.Item, requestId: 1, header: { schemaBytes }, data }));
      if (frame.ok) decoder.decode(frame.frame.data!, schemaBytes, 'a batch');
    }
  };
  const note = `batch to frame and back, ${BATCH_ROWS} rows, no socket, median of 15`;
  const [perItemMicros, schemaOnceMicros] = interleavedMicrosPerBatch([perItem, schemaOnce], batches.length);
  return [
    { name: 'arrow item codec, schema per item', value: perItemMicros!, unit: 'µs/batch', note },
    { name: 'arrow item codec, schema once', value: schemaOnceMicros!, unit: 'µs/batch', note },
  ];
}

/** Each variant's median time per batch, the variants taking turns so that GC and JIT state fall on all alike. */
function interleavedMicrosPerBatch(variants: Array<() => void>, batches: number): number[] {
  for (let round = 0; round < 3; round++) for (const run of variants) run();
  const times = variants.map((): number[] => []);
  for (let round = 0; round < 15; round++) {
    variants.forEach((run, index) => {
      const start = performance.now();
      run();
      times[index]!.push(((performance.now() - start) * 1000) / batches);
    });
  }
  return times.map((list) => list.sort((a, b) => a - b)[list.length >> 1]!);
}

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}
