/**
 * DOWNGRADE: the first step of moving a region to another datanode (docs/region-migration.md).
 * The region stops taking puts and deletes (they fail with the retryable RegionReadonly, and
 * the frontend retries them on the new route), then flushes, so every acknowledged row is in
 * an SST in the shared object store and the region's `flushedSequence` covers it; the target
 * opens the region from that manifest. A compaction still running is waited for: the target
 * must open after the last manifest edit this datanode makes. Downgrading a downgraded region
 * just flushes again.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import { regionOf, type EngineContext } from './engine-context.ts';
import { flushRegion } from './flush-region.ts';
import type { DowngradeRegionRequest, RegionResponse } from './region-request.ts';

/** Resolves once the region refuses writes and everything it acknowledged is flushed. */
export async function handleDowngrade(
  context: EngineContext,
  request: DowngradeRegionRequest,
): Promise<RegionResponse> {
  const region = regionOf(context, request.regionId);
  // Set before the flush switches memtables: a write that has not logged yet is refused, one
  // that has is in the memtable the flush waits for.
  region.downgraded = true;
  await flushRegion(context, region);
  while (region.compacting !== undefined) await region.compacting.catch(() => undefined);
  if (region.phase !== 'open') {
    throw new TesseraError(
      ErrorCode.RegionNotFound,
      `Region ${request.regionId} was ${region.phase} while it was being downgraded`,
    );
  }
  region.logger.info('storage.region-downgraded', { flushedSequence: region.state.flushedSequence });
  return { affectedRows: 0 };
}
