/**
 * The query engine over nanosecond timestamps and BIGINTs past 2^53, in process: 1M rows of
 * Arrow batches (as a region scan yields them, decoded afresh every run) through scan + filter +
 * GROUP BY, date_bin, ORDER BY ... LIMIT and min/max, against the same queries on millisecond
 * timestamps. Best of 5 runs each.
 *
 *   npm run bench -- exact-timestamps
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  TimestampNanosecond,
  Utf8,
} from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { executeQuery, MemoryCatalog, MemoryTable } from '../engine/query/index.ts';
import type { BenchResult } from './bench-result.ts';

const ROWS = 1_000_000;
const BATCH = 8192;
const HOSTS = 1000;
const START_NS = 1_700_000_000_123_456_789n;
const STEP_NS = 1_000_003n;
const RUNS = 5;

/** Batches of (host, ts, v, n): ts at ns (or ms) precision, n a BIGINT past 2^53. */
function buildBatches(nanos: boolean): { schema: Schema; data: Data<Struct>[] } {
  const schema = new Schema([
    new Field('host', new Utf8(), false),
    new Field('ts', nanos ? new TimestampNanosecond() : new TimestampMillisecond(), false),
    new Field('v', new Float64(), false),
    new Field('n', new Int64(), false),
  ]);
  const encoder = new TextEncoder();
  const data: Data<Struct>[] = [];
  for (let start = 0; start < ROWS; start += BATCH) {
    const length = Math.min(BATCH, ROWS - start);
    const offsets = new Int32Array(length + 1);
    const parts: Uint8Array[] = [];
    let total = 0;
    const ts = new BigInt64Array(length);
    const v = new Float64Array(length);
    const n = new BigInt64Array(length);
    for (let i = 0; i < length; i++) {
      const row = start + i;
      const bytes = encoder.encode(`host_${String(row % HOSTS).padStart(4, '0')}`);
      parts.push(bytes);
      total += bytes.length;
      offsets[i + 1] = total;
      const tick = START_NS + BigInt(row) * STEP_NS;
      ts[i] = nanos ? tick : tick / 1_000_000n;
      v[i] = (row % 97) * 1.5;
      n[i] = 9_000_000_000_000_000_000n - BigInt(row % 5000);
    }
    const text = new Uint8Array(total);
    for (let i = 0, at = 0; i < length; i++) {
      text.set(parts[i], at);
      at += parts[i].length;
    }
    const children = [
      makeData({ type: new Utf8(), length, valueOffsets: offsets, data: text }),
      makeData({ type: schema.fields[1].type, length, data: ts }),
      makeData({ type: new Float64(), length, data: v }),
      makeData({ type: new Int64(), length, data: n }),
    ];
    data.push(makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
  }
  return { schema, data };
}

async function best(sql: string, schema: Schema, data: Data<Struct>[]): Promise<number> {
  let fastest = Infinity;
  for (let run = 0; run < RUNS; run++) {
    // Fresh RecordBatch objects: the engine decodes each batch as it would a new scan's.
    const batches = data.map((item) => new RecordBatch(schema, item));
    const catalog = new MemoryCatalog().register(
      't',
      new MemoryTable({ arrow: schema, timeIndex: 'ts', tags: ['host'] }, batches),
    );
    const started = performance.now();
    await executeQuery(sql, catalog);
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const queries: [string, string][] = [
    [
      'scan + filter + GROUP BY host',
      "SELECT host, count(*), max(ts), min(n) FROM t WHERE ts >= '2023-11-14 22:20:00' GROUP BY host",
    ],
    ['GROUP BY date_bin(1 minute, ts)', "SELECT date_bin(INTERVAL '1 minute', ts) AS b, avg(v) FROM t GROUP BY b"],
    ['ORDER BY ts DESC LIMIT 10', 'SELECT ts, v FROM t ORDER BY ts DESC LIMIT 10'],
    ['GROUP BY n (BIGINT past 2^53)', 'SELECT n, count(*) FROM t GROUP BY n'],
  ];
  for (const nanos of [true, false]) {
    const { schema, data } = buildBatches(nanos);
    for (const [name, sql] of queries) {
      const ms = await best(sql, schema, data);
      results.push({
        name: `${name}, ${nanos ? 'ns' : 'ms'} timestamps`,
        value: Math.round(ROWS / (ms / 1000) / 10_000) * 10_000,
        unit: 'rows/s',
        note: `1M rows in batches of ${BATCH}; best of ${RUNS}: ${ms.toFixed(0)} ms`,
      });
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(`${result.name}: ${result.value} ${result.unit} (${result.note})`);
}
