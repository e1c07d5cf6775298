/**
 * Running a compaction of one region, in the background (never blocking writes: writes go to
 * memtables, and the only shared step is the short manifest edit):
 *
 *   TTL expiry → pick windows (twcs-picker.ts) → per window: pin the inputs, read them, merge
 *   them (tombstones kept unless no other file overlaps; append mode keeps every row) → one SST
 *   (merge and encoding on a worker thread, ../worker/) →
 *   object store → compaction edit (only if every input is still live: a truncate may have
 *   removed them) → old files deleted once no scan reads them.
 *
 * A crash before the edit leaves an orphan output (cleaned at open); after it, the old files
 * are orphans if their deletion did not happen.
 */

import type { RecordBatch } from 'apache-arrow';
import type { FileMeta } from '../manifest/index.ts';
import type { TimeUnit } from '../region-schema.ts';
import { readSst, readSstMeta, sstSourceFromBytes, type SstMeta } from '../sst/index.ts';
import type { EngineContext } from '../region/engine-context.ts';
import { mergeModeOf } from '../region/merge-mode.ts';
import type { Region } from '../region/region.ts';
import { newFileId, sstPathOf } from '../region/region-layout.ts';
import { adaptFileRun, fileColumns } from '../region/file-column-adapter.ts';
import { sstMetaOf, sstSourceOf, ttlCutoff } from '../region/scan-region.ts';
import { expireFiles } from './ttl-expiry.ts';
import { compactionWindowMs, pickCompactions, type CompactionPick } from './twcs-picker.ts';

/** Options of one compaction run. */
export interface CompactOptions {
  /** A window compacts once it holds this many files (at least 2). */
  minFiles: number;
}

/**
 * Expires and compacts `region`; resolves when done. A run already going is waited for first
 * (then this one runs, so an explicit request sees its own pass).
 */
export async function compactRegion(context: EngineContext, region: Region, options: CompactOptions): Promise<void> {
  while (region.compacting !== undefined) await region.compacting.catch(() => undefined);
  if (region.phase !== 'open') return;
  const run = compactOnce(context, region, options);
  const compacting = run.finally(() => {
    if (region.compacting === compacting) region.compacting = undefined;
  });
  region.compacting = compacting;
  await compacting;
}

async function compactOnce(context: EngineContext, region: Region, options: CompactOptions): Promise<void> {
  await expireFiles(context, region);
  const files = [...region.state.files.values()];
  const unit = unitOf(region);
  const windowMs = compactionWindowMs(files, unit, region.options.twcsTimeWindowMs);
  for (const pick of pickCompactions(files, unit, windowMs, options.minFiles)) {
    if (region.phase !== 'open') return;
    await compactWindow(context, region, pick);
  }
}

function unitOf(region: Region): TimeUnit {
  const timeIndex = region.schema.columns.find((c) => c.semantic === 'timestamp')!;
  return (timeIndex.type as { unit: TimeUnit }).unit;
}

async function compactWindow(context: EngineContext, region: Region, pick: CompactionPick): Promise<void> {
  const started = performance.now();
  const inputIds = pick.inputs.map((f) => f.fileId);
  region.files.acquire(inputIds);
  try {
    const schema = region.schema;
    const inputs = [...pick.inputs].sort((a, b) => (a.sequenceRange?.[0] ?? 0) - (b.sequenceRange?.[0] ?? 0));
    const metas = await Promise.all(inputs.map((file) => sstMetaOf(context, region, file)));
    const cutoff = ttlCutoff(region.options.ttlMs, unitOf(region), context.settings.now());
    // Older types are cast and defaults filled on the way in, so the output has the current schema.
    // Read (and decode) here, one row group at a time; merge and encode on a worker thread.
    const runs: RecordBatch[][] = [];
    for (let i = 0; i < inputs.length; i++) {
      const run: RecordBatch[] = [];
      const batches = adaptFileRun(
        readSst(sstSourceOf(context, region, inputs[i]!), {
          meta: metas[i]!,
          columns: fileColumns(metas[i]!, schema.columns),
          ...(cutoff === undefined ? {} : { timeRange: [cutoff, 2n ** 63n - 1n] as const }),
        }),
        metas[i]!.schema,
        schema.columns,
      );
      for await (const batch of batches) if (batch.numRows > 0) run.push(batch);
      runs.push(run);
    }
    const built = await context.buildSst({
      schema,
      runs,
      merge: { mode: mergeModeOf(region.options), keepDeletes: !pick.dropDeletes },
      rowGroupRows: context.settings.rowGroupRows,
    });
    const addFiles: FileMeta[] = [];
    let path: string | undefined;
    let meta: SstMeta | undefined;
    const fileId = newFileId();
    if (built.bytes !== undefined) {
      const bytes = built.bytes;
      path = sstPathOf(region.regionDir, fileId);
      meta = await readSstMeta(sstSourceFromBytes(bytes, path));
      await context.store.write(path, bytes);
      const sequences = inputs.flatMap((f) => f.sequenceRange ?? []);
      const file: FileMeta = {
        fileId,
        level: 1,
        timeRange: meta.timeRange,
        rows: meta.rows,
        sizeBytes: bytes.length,
        rowGroups: meta.rowGroups.length,
        schemaVersion: schema.version,
      };
      if (sequences.length > 0) file.sequenceRange = [Math.min(...sequences), Math.max(...sequences)];
      addFiles.push(file);
    }
    const committed = await region.queue.run(async () => {
      const live = region.state.files;
      if (region.phase !== 'open' || region.schema !== schema || !inputIds.every((id) => live.has(id))) return false;
      await region.manifest.update({ type: 'compaction', addFiles, removeFiles: inputIds });
      if (meta !== undefined) region.sstMetas.set(fileId, meta);
      for (const id of inputIds) region.sstMetas.delete(id);
      region.files.remove(inputIds);
      return true;
    });
    if (!committed) {
      if (path !== undefined) await context.store.delete(path).catch(() => undefined);
      return;
    }
    region.logger.debug('storage.compacted', {
      inputs: inputIds.length,
      rows: meta?.rows ?? 0,
      dropDeletes: pick.dropDeletes,
      ms: Math.round(performance.now() - started),
    });
  } finally {
    region.files.release(inputIds);
  }
}
