/**
 * OPEN: manifest → schema, options, files; `wal.markFlushed(flushedEntryId)` (the WAL keeps
 * flushed marks in memory only); replay this WAL's entries after the flushed (and truncated)
 * entry id into the memtable with their sequences; start orphan cleanup in the background.
 *
 * Works on any datanode sharing the object store: a region flushed elsewhere opens here with
 * its SSTs; this WAL's ids jump past the manifest's flushed id, so ids stay increasing.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import { RegionManifestManager } from '../manifest/index.ts';
import { cleanOrphanFiles } from '../compaction/orphan-cleanup.ts';
import type { EngineContext } from './engine-context.ts';
import { FileUsage } from './file-usage.ts';
import { checkRegionId } from './handle-create.ts';
import { decodeMutation } from './mutation-codec.ts';
import { Region } from './region.ts';
import { dataDirOf, regionDirOf } from './region-layout.ts';
import type { OpenRegionRequest, RegionResponse } from './region-request.ts';

/** Opens the region (a no-op when open already); `RegionNotFound` when it has no manifest. */
export async function handleOpen(context: EngineContext, request: OpenRegionRequest): Promise<RegionResponse> {
  const { regionId } = request;
  checkRegionId(regionId);
  if (context.regions.get(regionId)?.phase === 'open') return { affectedRows: 0 };
  const pending = context.opening.get(regionId);
  if (pending !== undefined) {
    await pending;
    return { affectedRows: 0 };
  }
  const opening = openRegion(context, regionId);
  context.opening.set(regionId, opening);
  try {
    await opening;
  } finally {
    context.opening.delete(regionId);
  }
  return { affectedRows: 0 };
}

async function openRegion(context: EngineContext, regionId: number): Promise<Region> {
  const started = performance.now();
  const regionDir = regionDirOf(regionId);
  let manifest: RegionManifestManager;
  try {
    manifest = await RegionManifestManager.open(context.store, regionDir, {
      checkpointInterval: context.settings.checkpointInterval,
      logger: context.logger,
    });
  } catch (error) {
    if (error instanceof TesseraError && error.code === ErrorCode.ManifestNotFound) {
      throw new TesseraError(ErrorCode.RegionNotFound, `Region ${regionId} does not exist in ${context.store.name}`, {
        cause: error,
      });
    }
    if (error instanceof TesseraError && error.code === ErrorCode.ManifestDropped) {
      // A drop stopped half way: finish it, the region is gone.
      await finishDrop(context, regionDir);
      throw new TesseraError(ErrorCode.RegionNotFound, `Region ${regionId} was dropped`, { cause: error });
    }
    throw error;
  }
  const logger = context.logger.child({ regionId });
  const region = new Region(manifest, new FileUsage(context.store, regionDir, logger), logger);
  const state = manifest.state;
  await context.wal.markFlushed(regionId, state.flushedEntryId);
  const skipThrough = Math.max(state.flushedSequence, state.truncatedSequence ?? 0);
  let entries = 0;
  let rows = 0;
  const slot = region.mutable;
  for await (const entry of context.wal.replay(regionId, state.flushedEntryId)) {
    const mutation = decodeMutation(entry.payload, regionId, entry.entryId);
    let sequence = mutation.firstSequence;
    for (const batch of mutation.batches) {
      // Defensive: rows at or below the flushed sequence are in SSTs already.
      if (sequence + batch.numRows - 1 > skipThrough) {
        try {
          slot.memtable.write(batch, sequence, mutation.opType);
        } catch (error) {
          throw new TesseraError(
            ErrorCode.StorageCorrupted,
            `WAL entry ${entry.entryId} of region ${regionId} does not fit schema version ${region.schema.version}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        rows += batch.numRows;
        slot.maxEntryId = Math.max(slot.maxEntryId, entry.entryId);
        slot.maxSequence = Math.max(slot.maxSequence, sequence + batch.numRows - 1);
      }
      sequence += batch.numRows;
    }
    region.nextSequence = Math.max(region.nextSequence, sequence);
    entries++;
  }
  context.regions.set(regionId, region);
  logger.info('storage.region-opened', {
    files: state.files.size,
    replayedEntries: entries,
    replayedRows: rows,
    manifestVersion: state.version,
    ms: Math.round(performance.now() - started),
  });
  context.background('orphan-cleanup', regionId, async () => {
    await cleanOrphanFiles(context, region);
  });
  if (!slot.memtable.isEmpty) context.writeBuffer.afterWrite(region);
  return region;
}

async function finishDrop(context: EngineContext, regionDir: string): Promise<void> {
  for (const entry of await context.store.list(dataDirOf(regionDir))) await context.store.delete(entry.path);
  await RegionManifestManager.finishDrop(context.store, regionDir);
}
