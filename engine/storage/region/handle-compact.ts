/** COMPACT: TTL expiry and time-window compaction now (ADMIN compact_region / compact_table). */

import { compactRegion } from '../compaction/compact-region.ts';
import { regionOf, type EngineContext } from './engine-context.ts';
import type { CompactRegionRequest, RegionResponse } from './region-request.ts';

/** Compacts every time window holding two or more files; resolves when the edits are committed. */
export async function handleCompact(context: EngineContext, request: CompactRegionRequest): Promise<RegionResponse> {
  await compactRegion(context, regionOf(context, request.regionId), { minFiles: 2 });
  return { affectedRows: 0 };
}
