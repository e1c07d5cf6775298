import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordBatch } from 'apache-arrow';
import { Memtable } from '../memtable/index.ts';
import { schemaWith } from '../merge/sorted-run-fixtures.ts';
import { readSst, sstSourceFromBytes } from '../sst/index.ts';
import { allTypesRows, allTypesSchema, batchOf, cellsOf, type Cell } from '../sst/sst-test-fixtures.ts';
import { buildSst, type SstBuildJob } from './sst-build.ts';
import { SstBuildPool } from './sst-build-pool.ts';

/** A memtable holding every column type, with two versions of some rows and a few deletes. */
function allTypesMemtable(): Memtable {
  const schema = allTypesSchema();
  const memtable = new Memtable(schema);
  const columns = allTypesRows(20, 300);
  memtable.write(batchOf(schema, columns), 0, 'put');
  memtable.write(batchOf(schema, columns, 100, 900), 6000, 'put');
  memtable.write(batchOf(schema, columns, 2000, 2010), 7000, 'delete');
  return memtable;
}

/** `rows` rows over 100 series of one string tag and four float fields. */
function bigMemtable(rows: number): Memtable {
  const schema = schemaWith({ kind: 'string' }, [
    { kind: 'float64' },
    { kind: 'float64' },
    { kind: 'float64' },
    { kind: 'float64' },
  ]);
  const columns = new Map<string, Cell[]>([
    ['k', Array.from({ length: rows }, (_, i) => `host_${i % 100}`)],
    ['ts', Array.from({ length: rows }, (_, i) => 1_700_000_000_000n + BigInt(Math.floor(i / 100)) * 1000n)],
  ]);
  for (let f = 0; f < 4; f++)
    columns.set(
      `f${f}`,
      Array.from({ length: rows }, (_, i) => ((i * (f + 7)) % 1009) / 8),
    );
  const memtable = new Memtable(schema);
  memtable.write(batchOf(schema, columns), 0, 'put');
  return memtable;
}

function flushJob(memtable: Memtable): SstBuildJob {
  return {
    schema: memtable.schema,
    runs: [memtable.sortedRun()],
    merge: { mode: 'last_row', keepDeletes: true },
    rowGroupRows: 1024,
  };
}

async function cells(bytes: Uint8Array): Promise<Map<string, Cell[]>> {
  const columns = new Map<string, Cell[]>();
  for await (const batch of readSst(sstSourceFromBytes(bytes))) {
    for (const field of batch.schema.fields) {
      const list = columns.get(field.name) ?? [];
      list.push(...cellsOf(batch.getChild(field.name)!));
      columns.set(field.name, list);
    }
  }
  return columns;
}

function bufferBytes(batches: readonly RecordBatch[]): number {
  let bytes = 0;
  for (const batch of batches) for (const child of batch.data.children) bytes += child.values?.byteLength ?? 0;
  return bytes;
}

test('a worker builds the same SST as this thread, and the batches move to it rather than being copied', async () => {
  const pool = new SstBuildPool(1);
  const memtable = allTypesMemtable();
  const local = await buildSst(flushJob(memtable));
  const job = flushJob(memtable);
  const sent = job.runs[0]!;
  assert.ok(bufferBytes(sent) > 0);
  const remote = await pool.build(job);
  assert.equal(bufferBytes(sent), 0, 'the sent batches no longer hold their buffers: they were transferred');
  assert.ok(local.bytes !== undefined && remote.bytes !== undefined);
  assert.equal(remote.rows, local.rows);
  assert.equal(remote.minSequence, local.minSequence);
  assert.deepEqual(await cells(remote.bytes), await cells(local.bytes));
  // The memtable is untouched: a flush may fail and be retried, and scans read it meanwhile.
  assert.equal(
    memtable.sortedRun().reduce((sum, batch) => sum + batch.numRows, 0),
    memtable.rows,
  );
});

test('errors in the worker come back as TesseraErrors with their code, and the worker goes on', async () => {
  const pool = new SstBuildPool(1);
  const memtable = allTypesMemtable();
  // A schema that does not match the batches: the merge refuses them.
  await assert.rejects(pool.build({ ...flushJob(memtable), schema: schemaWith({ kind: 'int64' }, []) }), (error) => {
    assert.ok(error instanceof Error && error.name === 'TesseraError', String(error));
    assert.ok('code' in error && typeof error.code === 'number' && error.code !== 1003, String(error));
    return true;
  });
  const built = await pool.build(flushJob(memtable));
  assert.ok(built.rows > 0);
});

test('the event loop keeps running while a worker merges and encodes a big memtable', async () => {
  const pool = new SstBuildPool(1);
  pool.warm();
  // The worker is loaded first (warm, then one small job), so the ticks below count only the build.
  await pool.build(flushJob(bigMemtable(100)));
  const job = flushJob(bigMemtable(200_000));
  let ticks = 0;
  let building = true;
  const timer = setInterval(() => {
    if (building) ticks++;
  }, 1);
  try {
    const built = await pool.build(job);
    building = false;
    assert.equal(built.rows, 200_000);
  } finally {
    clearInterval(timer);
  }
  // On this thread the merge and the encoder never give timers a turn until they are done, so
  // this counts 0 there (with SstBuildPool(0)); on a worker the loop is free the whole time.
  assert.ok(ticks > 0, `a 1 ms interval ran ${ticks} times during the build`);
});
