/**
 * Flush: a memtable becomes an SST (DESIGN §4), off the write path.
 *
 *   switch memtables (writes go on into the new one) → wait until writes already logged for
 *   the old one have landed → freeze it → merge it with tombstones kept (append mode: as is)
 *   → SST with `__sequence`/`__op_type` (merge and encoding on a worker thread, ../worker/)
 *   → object store → manifest flush edit (the SST, flushedEntryId, flushedSequence)
 *   → `wal.markFlushed` → drop the frozen memtable.
 *
 * Until the edit is committed the frozen memtable stays readable, so scans never miss rows;
 * after it the SST holds them. A crash before the edit leaves an unlisted SST (orphan cleanup
 * removes it) and the rows in the WAL; after it, replay starts past them.
 * Frozen memtables flush oldest first, so the flushed marks only move forward.
 */

import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError } from '../../common/index.ts';
import type { FileMeta } from '../manifest/index.ts';
import { readSstMeta, sstSourceFromBytes } from '../sst/index.ts';
import type { EngineContext } from './engine-context.ts';
import type { MemtableSlot } from './memtable-slot.ts';
import { mergeModeOf } from './merge-mode.ts';
import type { Region } from './region.ts';
import { newFileId, sstPathOf } from './region-layout.ts';

/** Rows of a memtable's sorted run gathered between turns of the event loop during a flush. */
const gatherSliceRows = 32_768;

/**
 * Flushes everything `region` holds in memory now (the mutable memtable and any frozen ones);
 * resolves when it is all in SSTs listed by the manifest. Writes made meanwhile go to a new
 * memtable and are not waited for.
 */
export async function flushRegion(context: EngineContext, region: Region): Promise<void> {
  if (!region.mutable.memtable.isEmpty || region.mutable.pendingWrites > 0) {
    region.switchMemtable();
  }
  const target = region.frozen[region.frozen.length - 1];
  while (target !== undefined && region.frozen.includes(target)) {
    await startFlushLoop(context, region);
  }
}

/** Starts flushing the frozen memtables (oldest first) unless a flush runs already; returns it. */
function startFlushLoop(context: EngineContext, region: Region): Promise<void> {
  if (region.flushing !== undefined) return region.flushing;
  const run = (async () => {
    while (region.frozen.length > 0 && region.phase !== 'dropped') {
      await flushSlot(context, region, region.frozen[0]!);
    }
  })();
  const flushing = run.finally(() => {
    region.flushing = undefined;
    context.writeBuffer.released();
  });
  region.flushing = flushing;
  return flushing;
}

async function flushSlot(context: EngineContext, region: Region, slot: MemtableSlot): Promise<void> {
  const started = performance.now();
  await slot.drained();
  slot.memtable.freeze();
  const done = (): void => {
    const index = region.frozen.indexOf(slot);
    if (index >= 0) region.frozen.splice(index, 1);
  };
  if (slot.epoch !== region.epoch || slot.memtable.isEmpty) {
    done();
    return;
  }
  const schema = slot.memtable.schema;
  const mode = mergeModeOf(region.options);
  // The sorted run owns its buffers (the frozen memtable stays readable), so they can move to a
  // worker thread: merging and Parquet encoding do not hold this event loop. Gathering the run
  // is the part left here; it gives the loop a turn every `gatherSliceRows` rows.
  const run: RecordBatch[] = [];
  let gathered = 0;
  for (const batch of slot.memtable.sortedRunBatches()) {
    run.push(batch);
    gathered += batch.numRows;
    if (gathered >= gatherSliceRows) {
      gathered = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const built = await context.buildSst({
    schema,
    runs: [run],
    ...(mode === 'append' ? {} : { merge: { mode, keepDeletes: true } }),
    rowGroupRows: context.settings.rowGroupRows,
  });
  const bytes = built.bytes;
  if (bytes === undefined) {
    throw new TesseraError(ErrorCode.Internal, `Flush of region ${region.regionId} produced no rows`);
  }
  const fileId = newFileId();
  const path = sstPathOf(region.regionDir, fileId);
  const meta = await readSstMeta(sstSourceFromBytes(bytes, path));
  await context.store.write(path, bytes);
  const file: FileMeta = {
    fileId,
    level: 0,
    timeRange: meta.timeRange,
    rows: meta.rows,
    sizeBytes: bytes.length,
    rowGroups: meta.rowGroups.length,
    schemaVersion: schema.version,
    sequenceRange: [built.minSequence, slot.maxSequence],
  };
  // With an unsynced WAL the flushed id must not point past what is on disk.
  if (!context.settings.walSync) await context.wal.sync();
  const committed = await region.queue.run(async () => {
    if (region.phase === 'dropped' || slot.epoch !== region.epoch) return false;
    const state = region.state;
    await region.manifest.update({
      type: 'flush',
      addFiles: [file],
      flushedEntryId: Math.max(state.flushedEntryId, slot.maxEntryId),
      flushedSequence: Math.max(state.flushedSequence, slot.maxSequence),
    });
    region.sstMetas.set(fileId, meta);
    done();
    return true;
  });
  if (!committed) {
    done();
    await context.store.delete(path).catch(() => undefined);
    return;
  }
  region.logger.debug('storage.flushed', {
    fileId,
    rows: meta.rows,
    bytes: bytes.length,
    ms: Math.round(performance.now() - started),
  });
  await context.wal.markFlushed(region.regionId, region.state.flushedEntryId);
  context.afterFlush(region);
}
