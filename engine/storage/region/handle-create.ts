/**
 * CREATE: a new region's manifest in the object store, then the region opens here empty.
 * Its initial flushed entry id is this WAL's last id: entries a region of the same id left in
 * this WAL before (dropped elsewhere, or moved away) must never replay into the new one.
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import { RegionManifestManager, checkRegionOptions, defaultRegionOptions } from '../manifest/index.ts';
import { regionColumnsOf } from '../merge/index.ts';
import type { EngineContext } from './engine-context.ts';
import { FileUsage } from './file-usage.ts';
import { Region } from './region.ts';
import { regionDirOf } from './region-layout.ts';
import type { CreateRegionRequest, RegionResponse } from './region-request.ts';
import { checkUserColumnNames } from './validate-batch.ts';

/** Creates and opens the region; `RegionAlreadyExists` when it is open here or has a manifest. */
export async function handleCreate(context: EngineContext, request: CreateRegionRequest): Promise<RegionResponse> {
  const { regionId } = request;
  checkRegionId(regionId);
  if (context.regions.has(regionId) || context.opening.has(regionId)) {
    throw new TesseraError(ErrorCode.RegionAlreadyExists, `Region ${regionId} already exists on this datanode`);
  }
  checkUserColumnNames(regionId, request.schema);
  regionColumnsOf(request.schema);
  const options = request.options === undefined ? defaultRegionOptions() : checkRegionOptions(request.options);
  const creating = (async () => {
    let manifest: RegionManifestManager;
    try {
      manifest = await RegionManifestManager.create(
        context.store,
        regionDirOf(regionId),
        { regionId, schema: request.schema, options, flushedEntryId: context.wal.lastEntryId },
        { checkpointInterval: context.settings.checkpointInterval, logger: context.logger },
      );
    } catch (error) {
      if (error instanceof TesseraError && error.code === ErrorCode.ManifestAlreadyExists) {
        throw new TesseraError(
          ErrorCode.RegionAlreadyExists,
          `Region ${regionId} already exists in ${context.store.name}`,
          { cause: error },
        );
      }
      throw error;
    }
    const logger = context.logger.child({ regionId });
    const region = new Region(manifest, new FileUsage(context.store, manifest.regionDir, logger), logger);
    await context.wal.markFlushed(regionId, manifest.state.flushedEntryId);
    context.regions.set(regionId, region);
    return region;
  })();
  context.opening.set(regionId, creating);
  try {
    await creating;
  } finally {
    context.opening.delete(regionId);
  }
  return { affectedRows: 0 };
}

/** Throws `InvalidArguments` unless `regionId` is a region id (a non-negative safe integer). */
export function checkRegionId(regionId: unknown): asserts regionId is number {
  if (typeof regionId !== 'number' || !Number.isSafeInteger(regionId) || regionId < 0) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Invalid region id ${String(regionId)}`);
  }
}
