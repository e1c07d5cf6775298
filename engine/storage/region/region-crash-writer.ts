/**
 * Child process of region-crash.test.ts (and the long version in bench/storage.bench.ts):
 * opens (or creates) two regions — one append-mode, one last_row — on `<dir>/node` and a
 * local store at `<dir>/store`, then writes batches of rows with unique ids forever with small
 * flush and compaction thresholds and a manifest checkpoint every 3 edits, so a SIGKILL lands
 * during writes, flushes, compactions and checkpoints alike.
 *
 * Prints `try <region> <firstId> <count>` before a put and `ack <region> <firstId> <count>`
 * once it resolved. Row `id` has host `h<id % 13>`, ts = id, cpu = id: unique keys, so the
 * append-mode region shows any row stored twice.
 *
 *   node --import tsx region-crash-writer.ts <dir> <cycle>
 */

import { join } from 'node:path';
import { ErrorCode, TesseraError, writeLineSync } from '../../common/index.ts';
import { LocalObjectStore } from '../object-store/index.ts';
import { makeRegionId } from '../region-schema.ts';
import { rowsBatch, testSchema, type Row } from './region-test-fixtures.ts';
import { StorageEngine } from './storage-engine.ts';
import { sstBuildPool } from '../worker/sst-build-pool.ts';

/** The crash test's regions: append mode first. */
export const crashRegions = [makeRegionId(77, 0), makeRegionId(77, 1)];

async function main(): Promise<void> {
  const [dir, cycleText] = process.argv.slice(2);
  const cycle = Number(cycleText);
  const useWorkers = cycle % 5 === 0;
  const store = await LocalObjectStore.open(join(dir!, 'store'), { fsync: false });
  const engine = await StorageEngine.open({
    dataHome: join(dir!, 'node'),
    objectStore: store,
    walSync: true,
    regionWriteBufferBytes: 48 * 1024,
    compactionTriggerFiles: 3,
    checkpointInterval: 3,
    orphanGraceMs: 0,
    rowGroupRows: 512,
    walSegmentBytes: 256 * 1024,
    // A kill lands 10–400 ms after the first write, sooner than a worker thread loads: most
    // cycles build SSTs on the event loop so that flushes and compactions do finish and get
    // killed midway; every fifth loads the worker first, so kills also land during its jobs.
    sstWorkers: useWorkers,
  });
  if (useWorkers) await sstBuildPool.warmed();
  const schema = testSchema();
  for (const [i, regionId] of crashRegions.entries()) {
    try {
      await engine.handle({ type: 'open', regionId });
    } catch (error) {
      if (!(error instanceof TesseraError) || error.code !== ErrorCode.RegionNotFound) throw error;
      await engine.handle({
        type: 'create',
        regionId,
        schema,
        options: { appendMode: i === 0, mergeMode: 'last_row' },
      });
    }
  }
  let next = cycle * 10_000_000;
  let batchNumber = 0;
  const writer = async (): Promise<void> => {
    for (;;) {
      const regionId = crashRegions[batchNumber++ % 2]!;
      const count = 1 + Math.floor(Math.random() * 120);
      const first = next;
      next += count;
      const rows: Row[] = [];
      for (let id = first; id < first + count; id++) {
        rows.push({ host: `h${id % 13}`, dc: 'x', ts: BigInt(id), cpu: id, mem: BigInt(id), note: null });
      }
      writeLineSync(`try ${regionId} ${first} ${count}`);
      await engine.handle({ type: 'put', regionId, batch: rowsBatch(schema, rows) });
      writeLineSync(`ack ${regionId} ${first} ${count}`);
      if (batchNumber % 40 === 0) await engine.handle({ type: 'flush', regionId });
      if (batchNumber % 97 === 0) await engine.handle({ type: 'compact', regionId });
    }
  };
  await Promise.all([writer(), writer(), writer()]);
}

main().catch((error: unknown) => {
  process.stderr.write(`crash writer failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
