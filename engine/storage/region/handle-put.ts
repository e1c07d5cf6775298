/** PUT: insert or overwrite rows (by primary key and time). */

import type { EngineContext } from './engine-context.ts';
import type { PutRequest, RegionResponse } from './region-request.ts';
import { writeRows } from './write-rows.ts';

/** Resolves with the rows written once they are durable in the WAL and visible to scans. */
export function handlePut(context: EngineContext, request: PutRequest): Promise<RegionResponse> {
  return writeRows(context, request.regionId, request.batch, 'put');
}
