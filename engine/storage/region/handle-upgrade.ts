/**
 * UPGRADE: a downgraded region takes writes again — how a region migration that failed before
 * its route moved rolls back (docs/region-migration.md). Upgrading a writable region is a no-op.
 */

import { regionOf, type EngineContext } from './engine-context.ts';
import type { RegionResponse, UpgradeRegionRequest } from './region-request.ts';

export async function handleUpgrade(context: EngineContext, request: UpgradeRegionRequest): Promise<RegionResponse> {
  const region = regionOf(context, request.regionId);
  if (region.downgraded) region.logger.info('storage.region-upgraded', {});
  region.downgraded = false;
  return { affectedRows: 0 };
}
