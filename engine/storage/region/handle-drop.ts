/**
 * DROP: manifest destroy (publishes the drop marker) → delete every SST of the region →
 * `finishDrop` (the marker goes last) → `wal.dropRegion`. A crash in between leaves the
 * marker; the next open finishes the drop and reports the region as not found.
 */

import { RegionManifestManager } from '../manifest/index.ts';
import { regionOf, type EngineContext } from './engine-context.ts';
import { dataDirOf } from './region-layout.ts';
import type { DropRegionRequest, RegionResponse } from './region-request.ts';

/** Drops an open region and all its files. */
export async function handleDrop(context: EngineContext, request: DropRegionRequest): Promise<RegionResponse> {
  const region = regionOf(context, request.regionId);
  region.phase = 'dropped';
  await Promise.all(region.memtableSlots().map((slot) => slot.drained()));
  await region.flushing?.catch(() => undefined);
  await region.compacting?.catch(() => undefined);
  await region.queue.run(async () => {
    await region.manifest.destroy();
    await region.files.settle();
    for (const entry of await context.store.list(dataDirOf(region.regionDir))) {
      await context.store.delete(entry.path);
    }
    await RegionManifestManager.finishDrop(context.store, region.regionDir);
  });
  await context.wal.dropRegion(region.regionId);
  context.regions.delete(region.regionId);
  context.writeBuffer.released();
  return { affectedRows: 0 };
}
