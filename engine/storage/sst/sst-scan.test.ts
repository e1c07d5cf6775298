/** Scans: pruning row groups by time and statistics, projection, exact time trimming, I/O. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Table, Type, type RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { RegionSchema } from '../region-schema.ts';
import { pruneRowGroups, sstOverlapsTimeRange } from './sst-pruning.ts';
import { readSst, readSstMeta, sstSourceFromBytes, type SstReadOptions, type SstSource } from './sst-reader.ts';
import { batchOf, cellsOf, type Cell } from './sst-test-fixtures.ts';
import { writeSst } from './sst-writer.ts';

const schema: RegionSchema = {
  version: 1,
  columns: [
    { name: 'host', type: { kind: 'string' }, semantic: 'tag', nullable: false, columnId: 0 },
    { name: 'ts', type: { kind: 'timestamp', unit: 'ms' }, semantic: 'timestamp', nullable: false, columnId: 1 },
    { name: 'cpu', type: { kind: 'float64' }, semantic: 'field', nullable: true, columnId: 2 },
    { name: 'mem', type: { kind: 'int64' }, semantic: 'field', nullable: true, columnId: 3 },
  ],
};

/** 20 hosts × 100 points (10 s apart), sorted by host then time. */
function fixtureRows(): Map<string, Cell[]> {
  const rows = new Map<string, Cell[]>([
    ['host', []],
    ['ts', []],
    ['cpu', []],
    ['mem', []],
  ]);
  for (let h = 0; h < 20; h++) {
    for (let p = 0; p < 100; p++) {
      rows.get('host')!.push(`host_${String(h).padStart(2, '0')}`);
      rows.get('ts')!.push(1_000_000n + BigInt(p) * 10_000n);
      rows.get('cpu')!.push(h + p / 100);
      rows.get('mem')!.push(BigInt(h * 1000 + p));
    }
  }
  return rows;
}

/** The fixture rows in a file of 4 row groups, 5 hosts each. */
async function fixture(): Promise<{ bytes: Uint8Array; rows: Map<string, Cell[]> }> {
  const rows = fixtureRows();
  const { bytes } = await writeSst(schema, [batchOf(schema, rows)], { rowGroupRows: 500 });
  return { bytes, rows };
}

/** A source that counts the bytes and requests it serves. */
function counting(bytes: Uint8Array): SstSource & { requests: number; bytesRead: number } {
  const source = {
    name: 'counted.parquet',
    size: bytes.length,
    requests: 0,
    bytesRead: 0,
    read: async (offset: number, length: number) => {
      source.requests++;
      source.bytesRead += length;
      return bytes.slice(offset, offset + length);
    },
  };
  return source;
}

async function collect(source: SstSource, options: SstReadOptions = {}): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of readSst(source, options)) batches.push(batch);
  return batches;
}

test('row groups are pruned by time range and by primary-key statistics', async () => {
  const { bytes } = await fixture();
  const meta = await readSstMeta(sstSourceFromBytes(bytes));
  assert.equal(meta.rowGroups.length, 4);
  assert.deepEqual(pruneRowGroups(meta), [0, 1, 2, 3]);
  // Every row group spans all times (sorted by host first): time alone prunes files, not groups.
  assert.deepEqual(pruneRowGroups(meta, { timeRange: [1_000_000n, 1_000_000n] }), [0, 1, 2, 3]);
  assert.deepEqual(pruneRowGroups(meta, { timeRange: [0n, 999_999n] }), []);
  assert.deepEqual(pruneRowGroups(meta, { timeRange: [1_990_001n, 5_000_000n] }), []);
  assert.equal(sstOverlapsTimeRange(meta, [0n, 999_999n]), false);
  assert.equal(sstOverlapsTimeRange(meta, [1_990_000n, 5_000_000n]), true);
  // One series: its tag's min/max keep exactly the row group that holds it.
  assert.deepEqual(pruneRowGroups(meta, { ranges: [{ column: 'host', min: 'host_07', max: 'host_07' }] }), [1]);
  assert.deepEqual(pruneRowGroups(meta, { ranges: [{ column: 'host', min: 'host_04', max: 'host_05' }] }), [0, 1]);
  assert.deepEqual(pruneRowGroups(meta, { ranges: [{ column: 'mem', min: 15_000n }] }), [3]);
  assert.deepEqual(pruneRowGroups(meta, { ranges: [{ column: 'cpu', max: 4.5 }] }), [0]);
  // A column the file lacks never prunes (it may read as a default value).
  assert.deepEqual(pruneRowGroups(meta, { ranges: [{ column: 'added_later', min: 1 }] }), [0, 1, 2, 3]);
  assert.throws(
    () => pruneRowGroups(meta, { ranges: [{ column: 'host', min: 7 }] }),
    (error: unknown) =>
      error instanceof TesseraError &&
      error.code === ErrorCode.InvalidArguments &&
      /column "host" has a number bound, but the column holds string values/.test(error.message),
  );
});

test('a one-series, time-range scan reads one row group and returns exactly the matching rows', async () => {
  const { bytes, rows } = await fixture();
  const source = counting(bytes);
  const meta = await readSstMeta(source);
  const afterFooter = source.bytesRead;
  const batches = await collect(source, {
    meta,
    columns: ['ts', 'cpu', 'host'],
    timeRange: [1_200_000n, 1_290_000n],
    ranges: [{ column: 'host', min: 'host_07', max: 'host_07' }],
  });
  const table = new Table(batches);
  assert.deepEqual(
    table.schema.fields.map((f) => f.name),
    ['ts', 'cpu', 'host'],
    'columns come in the requested order',
  );
  // Host 7 of row group 1 has 10 points in range; the four other hosts of the group have 10 each
  // too: the reader trims by time exactly, and the tag range only prunes row groups.
  assert.equal(table.numRows, 50);
  const times = cellsOf(table.getChild('ts')!) as bigint[];
  assert.ok(times.every((t) => t >= 1_200_000n && t <= 1_290_000n));
  const hosts = new Set(cellsOf(table.getChild('host')!));
  assert.deepEqual([...hosts], ['host_05', 'host_06', 'host_07', 'host_08', 'host_09']);
  const host7 = 7 * 100;
  assert.deepEqual(cellsOf(table.getChild('cpu')!).slice(20, 30), rows.get('cpu')!.slice(host7 + 20, host7 + 30));
  // Only the projected chunks of one row group were fetched, in one request.
  const group = meta.rowGroups[1]!;
  assert.equal(source.requests - 1, 1);
  assert.ok(
    source.bytesRead - afterFooter < group.bytes,
    `read ${source.bytesRead - afterFooter} of ${group.bytes} bytes`,
  );
});

test('projection returns only the asked columns, typed, and skips columns the file lacks', async () => {
  const { bytes, rows } = await fixture();
  const source = counting(bytes);
  const batches = await collect(source, { columns: ['mem', 'added_later', 'host', 'mem'] });
  assert.equal(batches.length, 4, 'one batch per row group');
  const table = new Table(batches);
  assert.deepEqual(
    table.schema.fields.map((f) => f.name),
    ['mem', 'host'],
  );
  assert.equal(table.getChild('host')!.type.typeId, Type.Dictionary);
  assert.ok(table.getChild('mem')!.data[0]!.values instanceof BigInt64Array);
  assert.deepEqual(cellsOf(table.getChild('mem')!), rows.get('mem'));
  assert.deepEqual(cellsOf(table.getChild('host')!), rows.get('host'));
});

test('an empty projection still counts rows, and the rowGroups option narrows the scan', async () => {
  const { bytes } = await fixture();
  const source = counting(bytes);
  const meta = await readSstMeta(source);
  const requests = source.requests;
  const counts = (await collect(source, { meta, columns: [] })).map((b) => b.numRows);
  assert.deepEqual(counts, [500, 500, 500, 500]);
  assert.equal(source.requests, requests, 'no data was read');
  const trimmed = await collect(source, { meta, columns: [], timeRange: [1_000_000n, 1_040_000n], rowGroups: [2, 3] });
  assert.equal(
    trimmed.reduce((sum, b) => sum + b.numRows, 0),
    2 * 5 * 5,
  );
  const whole = await collect(source, { meta, rowGroups: [3] });
  assert.equal(whole.length, 1);
  assert.equal(whole[0]!.numRows, 500);
  await assert.rejects(collect(source, { meta, rowGroups: [4] }), (error: unknown) => {
    assert.ok(error instanceof TesseraError);
    assert.equal(error.code, ErrorCode.InvalidArguments);
    assert.match(error.message, /counted\.parquet has 4 row groups; there is no row group 4/);
    return true;
  });
});

test('the metadata writeSst returns lets a scan skip the footer read', async () => {
  const { bytes, meta } = await writeSst(schema, [batchOf(schema, fixtureRows())]);
  const source = counting(bytes);
  assert.equal(
    (await collect(source, { meta })).reduce((sum, b) => sum + b.numRows, 0),
    2000,
  );
  assert.equal(source.requests, 1, 'one request: the only row group, no footer');
  const copy = structuredClone(meta);
  await collect(source, { meta: copy });
  assert.equal(source.requests, 3, 'a copy is not trusted: footer, then data');
});

test('nothing is read before the first batch is pulled, and a scan can stop early', async () => {
  const { bytes } = await fixture();
  const source = counting(bytes);
  const iterator = readSst(source);
  assert.equal(source.requests, 0);
  const first = await iterator.next();
  assert.equal(first.done, false);
  await iterator.return(undefined);
  assert.ok(source.requests <= 3, 'footer, first row group, at most one prefetched');
});
