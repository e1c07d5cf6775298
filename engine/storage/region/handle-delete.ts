/**
 * DELETE: tombstones for the keys (tags + time index) in the batch. They hide older versions
 * on read and are kept through flushes and partial compactions until no older file can hold
 * the key. Append-mode regions reject deletes, as GreptimeDB does.
 */

import type { EngineContext } from './engine-context.ts';
import type { DeleteRequest, RegionResponse } from './region-request.ts';
import { writeRows } from './write-rows.ts';

/** Resolves with the keys deleted (rows in the batch) once durable. */
export function handleDelete(context: EngineContext, request: DeleteRequest): Promise<RegionResponse> {
  return writeRows(context, request.regionId, request.batch, 'delete');
}
