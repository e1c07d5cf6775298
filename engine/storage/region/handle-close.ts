/**
 * CLOSE: the region stops taking requests; running flushes, compactions and acknowledged
 * writes finish; the manifest closes. The memtable is dropped: its rows are in this
 * datanode's WAL and replay if the region opens here again (a region moving to another
 * datanode is flushed first by its caller, or `wal.dropRegion` is left to whoever decides it
 * will not come back).
 */

import type { EngineContext } from './engine-context.ts';
import type { Region } from './region.ts';
import type { CloseRegionRequest, RegionResponse } from './region-request.ts';

/** Closes the region; closing a region that is not open is not an error. */
export async function handleClose(context: EngineContext, request: CloseRegionRequest): Promise<RegionResponse> {
  const region = context.regions.get(request.regionId);
  if (region === undefined || region.phase !== 'open') return { affectedRows: 0 };
  await closeRegion(context, region);
  return { affectedRows: 0 };
}

/** Closes one region (also used by `StorageEngine.close`). */
export async function closeRegion(context: EngineContext, region: Region): Promise<void> {
  region.phase = 'closing';
  await Promise.all(region.memtableSlots().map((slot) => slot.drained()));
  await region.flushing?.catch(() => undefined);
  await region.compacting?.catch(() => undefined);
  await region.queue.run(async () => {
    await region.manifest.close();
  });
  await region.files.settle();
  region.phase = 'closed';
  if (context.regions.get(region.regionId) === region) context.regions.delete(region.regionId);
  context.writeBuffer.released();
}
