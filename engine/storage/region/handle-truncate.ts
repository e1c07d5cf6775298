/**
 * TRUNCATE: every row goes, schema and options stay. Writes switch to a fresh memtable of a
 * new epoch (frozen ones and flushes in progress of the old epoch are discarded), the
 * manifest records a truncate edit through the last entry id and sequence written before,
 * and the SSTs are deleted once no scan reads them. A `truncateId` goes into the edit, so the
 * region can later say which TRUNCATE was its last (`lastTruncateId`).
 */

import { regionOf, type EngineContext } from './engine-context.ts';
import { MemtableSlot } from './memtable-slot.ts';
import type { RegionResponse, TruncateRegionRequest } from './region-request.ts';

/** Truncates the region; resolves when the edit is committed. */
export async function handleTruncate(context: EngineContext, request: TruncateRegionRequest): Promise<RegionResponse> {
  const region = regionOf(context, request.regionId);
  await region.queue.run(async () => {
    region.checkOpen();
    const old = region.memtableSlots();
    region.epoch++;
    region.frozen = [];
    region.mutable = new MemtableSlot(region.schema, region.epoch);
    const lastSequence = region.nextSequence - 1;
    await Promise.all(old.map((slot) => slot.drained()));
    const state = region.state;
    const entryId = Math.max(state.flushedEntryId, state.truncatedEntryId ?? 0, ...old.map((s) => s.maxEntryId));
    const sequence = Math.max(state.flushedSequence, state.truncatedSequence ?? 0, lastSequence);
    const removed = [...state.files.keys()];
    const truncateId = request.truncateId === undefined ? {} : { truncateId: request.truncateId };
    await region.manifest.update({ type: 'truncate', entryId, sequence, ...truncateId });
    for (const fileId of removed) region.sstMetas.delete(fileId);
    region.files.remove(removed);
    await context.wal.markFlushed(region.regionId, entryId);
  });
  context.writeBuffer.released();
  return { affectedRows: 0 };
}
