/**
 * The region engine on TSBS cpu-only rows (issue 3 targets): rows/s written into one region
 * with fsync group commit, rows/s flushed, values/s for a full scan and a one-series
 * time-range scan, and bytes per value on disk after compaction.
 *
 *   npm run bench storage        (or: node --import tsx bench/storage.bench.ts)
 *   The long crash test runs 100 SIGKILL cycles after the figures; TESSERA_BENCH_CRASH_CYCLES=N
 *   sets how many (0 skips it).
 *
 * Data: 100 hosts x 10,000 points = 1M rows, 10 s apart, written in time order (each batch
 * holds every host for 100 consecutive timestamps: 10,000 rows), as TSBS loads them. Ten tags
 * per host, ten int64 fields doing random walks in 0..100. "Values" are field values (10 per
 * row). Four writers share the WAL's group commit; the memtable is flushed four times (once
 * per 250k rows), then the region is compacted into one SST.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  Dictionary,
  Field,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { LocalObjectStore, StorageEngine, makeRegionId } from '../engine/storage/index.ts';
import type { BenchResult } from './bench-result.ts';
import { seededRandom, tsbsCpuSchema, tsbsFieldNames, tsbsHostTags, tsbsTagNames } from './tsbs-cpu.ts';

const hosts = 100;
const pointsPerHost = 10_000;
const pointsPerBatch = 100;
const rows = hosts * pointsPerHost;
const startMs = 1_700_000_000_000n;
const intervalMs = 10_000n;
const tagNames = tsbsTagNames;
const fieldNames = tsbsFieldNames;

/** The write batches, in time order; built before anything is measured. */
function generateBatches(): RecordBatch[] {
  const next = seededRandom(42);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const hostTags = tsbsHostTags(hosts, next);
  const dictionaries = tagNames.map((_, t) => [...new Set(hostTags.map((host) => host[t]!))]);
  const hostKeys = tagNames.map((_, t) => hostTags.map((host) => dictionaries[t]!.indexOf(host[t]!)));
  const dictionaryVectors = dictionaries.map((values) => vectorFromArray(values, new Utf8()));
  const walks = hostTags.map(() => fieldNames.map(() => next() * 100));
  const schema = new Schema([
    ...tagNames.map((name, t) => new Field(name, new Dictionary(new Utf8(), new Int32(), t), true)),
    new Field('ts', new TimestampMillisecond(), false),
    ...fieldNames.map((name) => new Field(name, new Int64(), true)),
  ]);
  const batches: RecordBatch[] = [];
  const length = hosts * pointsPerBatch;
  for (let p0 = 0; p0 < pointsPerHost; p0 += pointsPerBatch) {
    const keys = tagNames.map(() => new Int32Array(length));
    const ts = new BigInt64Array(length);
    const values = fieldNames.map(() => new BigInt64Array(length));
    let row = 0;
    for (let p = p0; p < p0 + pointsPerBatch; p++) {
      for (let h = 0; h < hosts; h++, row++) {
        for (let t = 0; t < tagNames.length; t++) keys[t]![row] = hostKeys[t]![h]!;
        ts[row] = startMs + BigInt(p) * intervalMs;
        for (let f = 0; f < fieldNames.length; f++) {
          const walk = Math.min(100, Math.max(0, walks[h]![f]! + gaussian()));
          walks[h]![f] = walk;
          values[f]![row] = BigInt(Math.round(walk));
        }
      }
    }
    const children = [
      ...keys.map((data, t) =>
        makeData({
          type: schema.fields[t]!.type as Dictionary<Utf8, Int32>,
          length,
          nullCount: 0,
          data,
          dictionary: dictionaryVectors[t]!,
        }),
      ),
      makeData({ type: new TimestampMillisecond(), length, nullCount: 0, data: ts }),
      ...values.map((data) => makeData({ type: new Int64(), length, nullCount: 0, data })),
    ];
    batches.push(
      new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children })),
    );
  }
  return batches;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'tessera-storage-bench-'));
  const regionId = makeRegionId(1, 0);
  try {
    const batches = generateBatches();
    const store = await LocalObjectStore.open(join(dir, 'store'));
    const engine = await StorageEngine.open({
      dataHome: join(dir, 'node'),
      objectStore: store,
      walSync: true,
      writeBufferBytes: 4 * 1024 * 1024 * 1024,
      regionWriteBufferBytes: 4 * 1024 * 1024 * 1024,
      autoCompaction: false,
    });
    await engine.handle({ type: 'create', regionId, schema: tsbsCpuSchema('int64') });

    let writeMs = 0;
    let flushMs = 0;
    const writers = 4;
    const perFlush = batches.length / 4;
    for (let part = 0; part < 4; part++) {
      const slice = batches.slice(part * perFlush, (part + 1) * perFlush);
      let at = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: writers }, async () => {
          while (at < slice.length) {
            const batch = slice[at++]!;
            await engine.handle({ type: 'put', regionId, batch });
          }
        }),
      );
      writeMs += performance.now() - started;
      const flushStarted = performance.now();
      await engine.handle({ type: 'flush', regionId });
      flushMs += performance.now() - flushStarted;
    }
    results.push({
      name: 'write, fsync group commit',
      value: Math.round(rows / (writeMs / 1000)),
      unit: 'rows/s',
      note: `1M TSBS rows, ${writers} writers, 10k-row batches, one region (target ≥ 400k/core)`,
    });
    results.push({
      name: 'flush',
      value: Math.round(rows / (flushMs / 1000)),
      unit: 'rows/s',
      note: '4 flushes of 250k rows',
    });

    const compactStarted = performance.now();
    await engine.handle({ type: 'compact', regionId });
    const compactMs = performance.now() - compactStarted;
    const stats = engine.statistics(regionId);
    results.push({
      name: 'compaction',
      value: Math.round(rows / (compactMs / 1000)),
      unit: 'rows/s',
      note: `4 SSTs → ${stats.sstCount}`,
    });
    results.push({
      name: 'bytes per value after compaction',
      value: Number((stats.sstBytes / (rows * fieldNames.length)).toFixed(3)),
      unit: 'B/value',
      note: `${stats.sstBytes} bytes, all columns incl. tags, ts, __sequence, __op_type (target ≤ 0.45)`,
    });

    let best = Infinity;
    let scanned = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      scanned = 0;
      for await (const batch of engine.scan(regionId)) scanned += batch.numRows;
      best = Math.min(best, performance.now() - started);
    }
    results.push({
      name: 'full scan',
      value: Math.round((scanned * fieldNames.length) / (best / 1000)),
      unit: 'values/s',
      note: `${scanned} rows, all 21 columns, best of 3 (target ≥ 20M)`,
    });

    best = Infinity;
    let seriesRows = 0;
    const hourStart = startMs + 5000n * intervalMs;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      seriesRows = 0;
      for await (const batch of engine.scan(regionId, {
        projection: ['ts', ...fieldNames],
        timeRange: { start: hourStart, end: hourStart + 12n * 3_600_000n },
        predicates: [{ column: 'hostname', op: '=', value: 'host_42' }],
      })) {
        seriesRows += batch.numRows;
      }
      best = Math.min(best, performance.now() - started);
    }
    results.push({
      name: 'one-series 12 h scan',
      value: Math.round((seriesRows * fieldNames.length) / (best / 1000)),
      unit: 'values/s',
      note: `${seriesRows} rows in ${best.toFixed(1)} ms, best of 5`,
    });
    await engine.close();
    await store.close();

    const cycles = Number(process.env.TESSERA_BENCH_CRASH_CYCLES ?? 100);
    if (cycles > 0) {
      const { runRegionCrashCycles } = await import('../engine/storage/region/region-crash-check.ts');
      const started = performance.now();
      const outcome = await runRegionCrashCycles(cycles);
      results.push({
        name: 'crash test, long',
        value: cycles,
        unit: 'cycles',
        note: `${outcome.acked} batches acknowledged, all verified, ${Math.round((performance.now() - started) / 1000)} s`,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(JSON.stringify(result));
}
