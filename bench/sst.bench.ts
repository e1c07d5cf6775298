/**
 * Parquet SSTs on TSBS cpu-only data: write speed, bytes per value, full-scan speed and a
 * pruned one-series scan, per codec and row-group size, plus the alternatives that were
 * measured before choosing (hyparquet-writer for writing, hyparquet for decoding, float64
 * instead of int64 fields).
 *
 *   npm run bench sst            (or: node --import tsx bench/sst.bench.ts)
 *
 * Data: 100 hosts x 10,000 points = 1M rows, 10 s apart, sorted by host then time (as a flush
 * writes them). Ten tags per host (hostname, region, datacenter, rack, os, arch, team, service,
 * service_version, service_environment) and ten integer fields (usage_user ... usage_guest_nice),
 * each a random walk in 0..100 with normally distributed steps (sigma 1), rounded to integers.
 * "Values" are field values: 10 per row.
 */

import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Dictionary, Int32 } from 'apache-arrow';
import { Int64, RecordBatch, Struct, TimestampMillisecond, Utf8, makeData, vectorFromArray } from 'apache-arrow';
import { parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import * as parquetWasm from 'parquet-wasm/node';
import type { RegionSchema } from '../engine/storage/region-schema.ts';
import { arrowSchemaOf } from '../engine/storage/arrow-types.ts';
import {
  readSst,
  readSstMeta,
  sstSourceFromBytes,
  writeSst,
  type SstCompression,
  type SstReadOptions,
  type SstSource,
} from '../engine/storage/sst/index.ts';
import type { BenchResult } from './bench-result.ts';
import { seededRandom, tsbsCpuSchema, tsbsFieldNames, tsbsHostTags, tsbsTagNames } from './tsbs-cpu.ts';

const hosts = 100;
const pointsPerHost = 10_000;
const rows = hosts * pointsPerHost;
const intervalMs = 10_000n;
const startMs = 1_700_000_000_000n;
const tagNames = tsbsTagNames;
const fieldNames = tsbsFieldNames;
const values = rows * fieldNames.length;

interface CpuData {
  /** Per tag: dictionary values and one key per row. */
  tags: { dictionary: string[]; keys: Int32Array }[];
  ts: BigInt64Array;
  fields: Float64Array[];
}

/** TSBS cpu-only rows, sorted by hostname then time. */
function generate(): CpuData {
  const next = seededRandom(42);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const hostTags = tsbsHostTags(hosts, next).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  const tags = tagNames.map((_, t) => {
    const dictionary = [...new Set(hostTags.map((host) => host[t]!))];
    const keys = new Int32Array(rows);
    hostTags.forEach((host, h) => keys.fill(dictionary.indexOf(host[t]!), h * pointsPerHost, (h + 1) * pointsPerHost));
    return { dictionary, keys };
  });
  const ts = new BigInt64Array(rows);
  const fields = fieldNames.map(() => new Float64Array(rows));
  for (let h = 0; h < hosts; h++) {
    const walks = fieldNames.map(() => next() * 100);
    for (let p = 0; p < pointsPerHost; p++) {
      const row = h * pointsPerHost + p;
      ts[row] = startMs + BigInt(p) * intervalMs;
      for (let f = 0; f < fieldNames.length; f++) {
        walks[f] = Math.min(100, Math.max(0, walks[f]! + gaussian()));
        fields[f]![row] = Math.round(walks[f]!);
      }
    }
  }
  return { tags, ts, fields };
}

/** The rows as batches of `batchRows` (a memtable flush hands over several). */
function batchesOf(data: CpuData, schema: RegionSchema, batchRows = 100_000): RecordBatch[] {
  const arrow = arrowSchemaOf(schema);
  const dictionaries = data.tags.map((tag) => vectorFromArray(tag.dictionary, new Utf8()));
  const intFields = schema.columns.some((c) => c.type.kind === 'int64');
  const fieldArrays = data.fields.map((field) => (intFields ? BigInt64Array.from(field, (v) => BigInt(v)) : field));
  const batches: RecordBatch[] = [];
  for (let from = 0; from < rows; from += batchRows) {
    const to = Math.min(rows, from + batchRows);
    const length = to - from;
    const children = [
      ...data.tags.map((tag, t) =>
        makeData({
          type: arrow.fields[t]!.type as Dictionary<Utf8, Int32>,
          length,
          nullCount: 0,
          data: tag.keys.subarray(from, to),
          dictionary: dictionaries[t]!,
        }),
      ),
      makeData({ type: new TimestampMillisecond(), length, nullCount: 0, data: data.ts.subarray(from, to) }),
      ...fieldArrays.map((field, f) =>
        field instanceof BigInt64Array
          ? makeData({ type: new Int64(), length, nullCount: 0, data: field.subarray(from, to) })
          : makeData({
              type: arrow.fields[11 + f]!.type as never,
              length,
              nullCount: 0,
              data: field.subarray(from, to),
            }),
      ),
    ];
    batches.push(new RecordBatch(arrow, makeData({ type: new Struct(arrow.fields), length, nullCount: 0, children })));
  }
  return batches;
}

/** Best wall time of `runs` calls, in ms. */
async function best(runs: number, work: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

async function scan(source: SstSource, options: SstReadOptions = {}): Promise<number> {
  let count = 0;
  for await (const batch of readSst(source, options)) count += batch.numRows;
  return count;
}

/** A source that counts the bytes fetched, like an object store would be charged. */
function countingSource(bytes: Uint8Array, name: string): SstSource & { bytesRead: number } {
  const source = {
    name,
    size: bytes.length,
    bytesRead: 0,
    read: async (offset: number, length: number) => {
      source.bytesRead += length;
      return bytes.subarray(offset, offset + length);
    },
  };
  return source;
}

/**
 * Bytes of the field columns' chunks only (tags and timestamps excluded): what a scan of just
 * the fields fetches, since each row group's field chunks are adjacent and read in one request.
 */
async function fieldBytes(bytes: Uint8Array): Promise<number> {
  const source = countingSource(bytes, 'fields');
  const meta = await readSstMeta(source);
  const before = source.bytesRead;
  await scan(source, { meta, columns: fieldNames });
  return source.bytesRead - before;
}

/** Runs every case; returns the figures for bench/run.ts. */
export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const add = (name: string, value: number, unit: string, note?: string): void => {
    results.push(note === undefined ? { name, value, unit } : { name, value, unit, note });
  };
  const data = generate();
  const intSchema = tsbsCpuSchema('int64');
  const batches = batchesOf(data, intSchema);
  const conditions = `${rows / 1e6}M rows, ${hosts} hosts`;
  // Warm-up: JIT and WebAssembly memory growth would otherwise land on the first codec measured.
  await scan(sstSourceFromBytes((await writeSst(intSchema, batches)).bytes));

  // Codecs at the default row-group size.
  const files = new Map<SstCompression, Uint8Array>();
  for (const compression of ['zstd', 'snappy', 'lz4', 'none'] as const) {
    let bytes: Uint8Array = new Uint8Array();
    const writeMs = await best(3, async () => {
      bytes = (await writeSst(intSchema, batches, { compression })).bytes;
    });
    files.set(compression, bytes);
    const source = sstSourceFromBytes(bytes, `${compression}.parquet`);
    const meta = await readSstMeta(source);
    const readMs = await best(5, () => scan(source, { meta }));
    const fields = await fieldBytes(bytes);
    add(`write, ${compression}`, (rows / writeMs) * 1000, 'rows/s', conditions);
    add(`file size, ${compression}`, bytes.length / 1e6, 'MB', `${meta.rowGroups.length} row groups`);
    add(`bytes/value (field chunks), ${compression}`, fields / values, 'B', '10 int64 fields per row');
    add(`bytes/value (whole file), ${compression}`, bytes.length / values, 'B', 'tags, ts and footer included');
    add(`bytes/cell (whole file), ${compression}`, bytes.length / (rows * 21), 'B', '21 columns per row');
    add(`full scan, ${compression}`, (values / readMs) * 1000, 'values/s', `all 21 columns, ${readMs.toFixed(0)} ms`);
  }

  // One series, one hour, pruned by the hostname's statistics and the time range.
  const zstd = files.get('zstd')!;
  const oneSeries = async (bytes: Uint8Array, label: string): Promise<void> => {
    const source = countingSource(bytes, 'one-series.parquet');
    const meta = await readSstMeta(source);
    const from = startMs + 5000n * intervalMs;
    const options: SstReadOptions = {
      meta,
      columns: ['hostname', 'ts', ...fieldNames],
      timeRange: [from, from + 359n * intervalMs],
      ranges: [{ column: 'hostname', min: 'host_42', max: 'host_42' }],
    };
    const before = source.bytesRead;
    await scan(source, options);
    const fetched = source.bytesRead - before;
    const queries = 20;
    const ms = await best(3, async () => {
      for (let i = 0; i < queries; i++) await scan(source, options);
    });
    add(
      `one-series 1 h scan, ${label}`,
      ms / queries,
      'ms',
      `${(fetched / 1e3).toFixed(0)} KB fetched of ${(bytes.length / 1e6).toFixed(1)} MB`,
    );
    add(
      `one-series 1 h scan rate, ${label}`,
      ((360 * fieldNames.length) / (ms / queries)) * 1000,
      'values/s',
      'matching values only',
    );
  };

  // Row-group size: compression against pruning granularity.
  for (const rowGroupRows of [16_384, 32_768, 65_536, 102_400, 262_144, 1_000_000]) {
    const { bytes } = await writeSst(intSchema, batches, { rowGroupRows });
    add(`bytes/value (whole file), zstd, ${rowGroupRows}-row groups`, bytes.length / values, 'B');
    const source = sstSourceFromBytes(bytes);
    const metaMs = await best(5, () => readSstMeta(source));
    const meta = await readSstMeta(source);
    const footer = bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
    add(
      `readSstMeta, zstd, ${rowGroupRows}-row groups`,
      metaMs,
      'ms',
      `${meta.rowGroups.length} row groups, ${((bytes.length - footer) / 1e3).toFixed(0)} KB footer`,
    );
    const readMs = await best(5, () => scan(source, { meta }));
    add(`full scan, zstd, ${rowGroupRows}-row groups`, (values / readMs) * 1000, 'values/s');
    await oneSeries(bytes, `zstd, ${rowGroupRows}-row groups`);
  }

  // Float64 fields (same integer values): BYTE_STREAM_SPLIT + zstd is the best Parquet offers.
  {
    const floatSchema = tsbsCpuSchema('float64');
    const { bytes } = await writeSst(floatSchema, batchesOf(data, floatSchema));
    add('bytes/value (whole file), zstd, float64 fields', bytes.length / values, 'B', 'BYTE_STREAM_SPLIT');
  }

  // The alternatives: hyparquet decoding the same zstd file, hyparquet-writer encoding it (snappy,
  // its only built-in codec; DELTA_BINARY_PACKED for ts and fields, dictionary tags).
  {
    const file = zstd.buffer.slice(zstd.byteOffset, zstd.byteOffset + zstd.byteLength) as ArrayBuffer;
    const ms = await best(1, () => parquetRead({ file, compressors, onChunk: () => undefined }));
    add(
      'full scan, hyparquet (alternative decoder)',
      (values / ms) * 1000,
      'values/s',
      `zstd file, ${ms.toFixed(0)} ms, JS arrays`,
    );
    const start = performance.now();
    const columnData = [
      ...data.tags.map((tag, t) => ({
        name: tagNames[t]!,
        data: Array.from(tag.keys, (key) => tag.dictionary[key]!),
        type: 'STRING' as const,
        nullable: false,
      })),
      { name: 'ts', data: data.ts, type: 'INT64' as const, nullable: false, encoding: 'DELTA_BINARY_PACKED' as const },
      ...data.fields.map((field, f) => ({
        name: fieldNames[f]!,
        data: BigInt64Array.from(field, (v) => BigInt(v)),
        type: 'INT64' as const,
        nullable: false,
        encoding: 'DELTA_BINARY_PACKED' as const,
      })),
    ];
    const buffer = parquetWriteBuffer({ columnData, rowGroupSize: 102_400 });
    const ms2 = performance.now() - start;
    add(
      'write, hyparquet-writer snappy (alternative encoder)',
      (rows / ms2) * 1000,
      'rows/s',
      `${(buffer.byteLength / values).toFixed(3)} B/value`,
    );
  }

  add(
    'parquet-wasm memory after the run',
    parquetWasm.wasmMemory().buffer.byteLength / 1e6,
    'MB',
    'WebAssembly memory only grows',
  );
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const result of await run()) {
    console.log(
      `${result.name.padEnd(58)} ${result.value.toPrecision(4).padStart(12)} ${result.unit.padEnd(9)} ${result.note ?? ''}`,
    );
  }
}
