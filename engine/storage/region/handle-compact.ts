/** COMPACT: TTL expiry and time-window compaction now (ADMIN compact_region / compact_table). */

import { compactRegion } from '../compaction/compact-region.ts';
import { regionOf, type EngineContext } from './engine-context.ts';
import type { CompactRegionRequest, RegionResponse } from './region-request.ts';
import { regionDowngraded } from './write-rows.ts';

/** Compacts every time window holding two or more files; resolves when the edits are committed. */
export async function handleCompact(context: EngineContext, request: CompactRegionRequest): Promise<RegionResponse> {
  const region = regionOf(context, request.regionId);
  // Another datanode may have opened the manifest already: a downgraded region edits it no more.
  if (region.downgraded) throw regionDowngraded(request.regionId, 'compact');
  await compactRegion(context, region, { minFiles: 2 });
  return { affectedRows: 0 };
}
