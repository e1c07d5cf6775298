/**
 * The write path shared by put and delete (DESIGN §4):
 *
 *   validate against the schema → wait if the write buffer is over twice its budget →
 *   (one synchronous step) take sequences, pick the memtable slot, encode, append to the WAL →
 *   await the group-committed fsync → write the memtable → acknowledge.
 *
 * The WAL batches appends of every region that arrive while the previous batch syncs, so
 * concurrent writers share fsyncs (group commit). The synchronous step is what makes WAL
 * entry ids and sequences increase together and lets a flush find exactly which entries its
 * memtable holds (memtable-slot.ts).
 */

import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError, ipcSourceOf } from '../../common/index.ts';
import { regionOf, type EngineContext } from './engine-context.ts';
import { encodeMutation } from './mutation-codec.ts';
import type { RegionResponse } from './region-request.ts';
import { validateBatch } from './validate-batch.ts';

/** Logs and applies one put or delete; resolves with the rows once durable. */
export async function writeRows(
  context: EngineContext,
  regionId: number,
  batch: RecordBatch,
  opType: 'put' | 'delete',
): Promise<RegionResponse> {
  for (;;) {
    const region = regionOf(context, regionId);
    if (region.writesPaused !== undefined) {
      await region.writesPaused;
      continue;
    }
    if (region.downgraded) throw regionDowngraded(regionId, opType);
    if (opType === 'delete' && region.options.appendMode) {
      throw new TesseraError(ErrorCode.InvalidArguments, `Region ${regionId}: DELETE is not allowed under append mode`);
    }
    const schema = region.schema;
    const logged = validateBatch(regionId, schema, batch, opType);
    const rows = logged.numRows;
    // ttl 'instant' keeps nothing: GreptimeDB acknowledges such writes with zero rows.
    if (rows === 0 || (opType === 'put' && region.options.ttlMs === 0)) return { affectedRows: 0 };
    await context.writeBuffer.admit();
    // Anything may have happened while waiting (an alter began, the region closed): look again.
    if (region.phase !== 'open' || region.writesPaused !== undefined || region.schema !== schema) continue;
    if (region.downgraded) throw regionDowngraded(regionId, opType);

    const firstSequence = region.nextSequence;
    region.nextSequence += rows;
    const slot = region.mutable;
    slot.begin();
    let entryId: number | undefined;
    try {
      entryId = await context.wal.append(regionId, encodeMutation(opType, firstSequence, logged, ipcSourceOf(logged)));
      slot.memtable.write(logged, firstSequence, opType);
    } catch (error) {
      slot.end(undefined, 0);
      throw error;
    }
    slot.end(entryId, firstSequence + rows - 1);
    context.writeBuffer.afterWrite(region);
    return { affectedRows: rows };
  }
}

/** What a change to a downgraded region (one handing over to another datanode) meets: retry, the route moves. */
export function regionDowngraded(regionId: number, opType: 'put' | 'delete' | 'compact'): TesseraError {
  return new TesseraError(
    ErrorCode.RegionReadonly,
    `Region ${regionId} is downgraded: it is being migrated to another datanode and refuses '${opType}'; retry once the route moves`,
    { retryable: true },
  );
}
