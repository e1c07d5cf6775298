/** FLUSH: the region's memtables to SSTs now (ADMIN flush_region / flush_table). */

import { regionOf, type EngineContext } from './engine-context.ts';
import { flushRegion } from './flush-region.ts';
import type { FlushRegionRequest, RegionResponse } from './region-request.ts';

/** Resolves once everything written before the request is in SSTs listed by the manifest. */
export async function handleFlush(context: EngineContext, request: FlushRegionRequest): Promise<RegionResponse> {
  await flushRegion(context, regionOf(context, request.regionId));
  return { affectedRows: 0 };
}
