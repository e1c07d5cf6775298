/**
 * The read path (DESIGN §4):
 *
 *   snapshot (memtables + live SSTs, taken at the first pull) → SSTs pruned by time range
 *   (manifest), then by row-group statistics (time range, tag predicates) → each source as a
 *   sorted run → mergeSortedRuns (mode from the options: last_row, last_non_null, append) →
 *   predicates as one selection per batch + one take → projection → Arrow batches.
 *
 * TTL is a lower bound on the time range (rows older than now − ttl are never read); files
 * entirely past it are also dropped from the manifest by compaction (ttl-expiry.ts).
 * Files in the snapshot are pinned (file-usage.ts) until the scan ends, so a compaction or
 * truncate that removes them meanwhile does not delete them under the reader.
 */

import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TesseraError, takeRows } from '../../common/index.ts';
import type { FileMeta } from '../manifest/index.ts';
import { mergeSortedRuns, projectedColumns, type SortedRunSource } from '../merge/index.ts';
import type { RegionSchema, TimeUnit } from '../region-schema.ts';
import { readSst, readSstMeta, type SstMeta, type SstSource } from '../sst/index.ts';
import { regionOf, type EngineContext } from './engine-context.ts';
import { mergeModeOf } from './merge-mode.ts';
import type { Region } from './region.ts';
import { sstPathOf } from './region-layout.ts';
import type { ScanRequest } from './region-request.ts';
import { adaptFileRun, fileColumns, fileRanges } from './file-column-adapter.ts';
import { pruningRanges, resolvePredicates, selectRows } from './scan-predicate.ts';

const minTime = -(2n ** 63n);
const maxTime = 2n ** 63n - 1n;

/** Milliseconds → the time index unit (floor). */
export function msToUnit(ms: number, unit: TimeUnit): bigint {
  const value = BigInt(Math.floor(ms));
  switch (unit) {
    case 's':
      return value / 1000n - (value % 1000n < 0n ? 1n : 0n);
    case 'ms':
      return value;
    case 'us':
      return value * 1000n;
    case 'ns':
      return value * 1_000_000n;
  }
}

/** The oldest time a region with `ttlMs` still keeps, in its unit; undefined without TTL. */
export function ttlCutoff(ttlMs: number | undefined, unit: TimeUnit, now: number): bigint | undefined {
  // ttl 'instant' (0) keeps nothing, not even a row stamped with this very millisecond.
  return ttlMs === undefined ? undefined : ttlMs === 0 ? maxTime : msToUnit(now - ttlMs, unit);
}

/** An SST of a region as an `SstSource` over the object store (explicit ranges only). */
export function sstSourceOf(context: EngineContext, region: Region, file: FileMeta): SstSource {
  const path = sstPathOf(region.regionDir, file.fileId);
  return {
    name: path,
    size: file.sizeBytes,
    read: (offset, length) => context.store.readRange(path, offset, length),
  };
}

/** The footer of `file`, read once per region and kept. */
export async function sstMetaOf(context: EngineContext, region: Region, file: FileMeta): Promise<SstMeta> {
  let meta = region.sstMetas.get(file.fileId);
  if (meta === undefined) {
    meta = await readSstMeta(sstSourceOf(context, region, file));
    region.sstMetas.set(file.fileId, meta);
  }
  return meta;
}

/** Scans a region; see the module comment. Nothing happens before the first pull. */
export function scanRegion(
  context: EngineContext,
  regionId: number,
  request: ScanRequest = {},
): AsyncIterable<RecordBatch> {
  return { [Symbol.asyncIterator]: () => scanBatches(context, regionId, request) };
}

async function* scanBatches(
  context: EngineContext,
  regionId: number,
  request: ScanRequest,
): AsyncGenerator<RecordBatch, void, undefined> {
  const region = regionOf(context, regionId);
  const schema: RegionSchema = region.schema;
  const output = projectedColumns(schema, request.projection);
  const predicates = resolvePredicates(regionId, schema, request.predicates);
  const batchRows = request.batchRows ?? 8192;
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new TesseraError(ErrorCode.InvalidArguments, `Region ${regionId}: batchRows must be a positive integer`);
  }
  const timeIndex = schema.columns.find((c) => c.semantic === 'timestamp')!;
  const unit = (timeIndex.type as { unit: TimeUnit }).unit;
  let start = request.timeRange?.start ?? minTime;
  const end = request.timeRange?.end ?? maxTime;
  if (typeof start !== 'bigint' || typeof end !== 'bigint') {
    throw new TesseraError(ErrorCode.InvalidArguments, `Region ${regionId}: time range bounds must be bigints`);
  }
  const cutoff = ttlCutoff(region.options.ttlMs, unit, context.settings.now());
  if (cutoff !== undefined && cutoff > start) start = cutoff;
  if (start >= end) return;
  // Inclusive bounds for SST pruning; half-open for memtables.
  const last = end - 1n;

  // The merge reads the projected columns plus those the predicates need.
  const mergeNames = [...new Set([...output.map((c) => c.name), ...predicates.map((p) => p.column.name)])];
  const mergeColumns = projectedColumns(schema, mergeNames);
  const keyColumns = schema.columns.filter((c) => c.semantic !== 'field');
  const fileWanted = [...new Set([...keyColumns, ...mergeColumns])];
  const mode = mergeModeOf(region.options);
  const ranges = pruningRanges(predicates, mode === 'append');

  // Snapshot: taken synchronously, so memtables and files agree.
  const slots = region.memtableSlots();
  const files = [...region.state.files.values()].filter((f) => f.timeRange[0] <= last && start <= f.timeRange[1]);
  const fileIds = files.map((f) => f.fileId);
  region.files.acquire(fileIds);
  try {
    const metas = await Promise.all(files.map((file) => sstMetaOf(context, region, file)));
    // Older files first (the merge breaks exact ties by run position).
    const order = files
      .map((file, i) => ({ file, meta: metas[i]! }))
      .sort((a, b) => (a.file.sequenceRange?.[0] ?? 0) - (b.file.sequenceRange?.[0] ?? 0));
    const runs: SortedRunSource[] = order.map(({ file, meta }) =>
      adaptFileRun(
        readSst(sstSourceOf(context, region, file), {
          meta,
          columns: fileColumns(meta, fileWanted),
          timeRange: [start, last],
          ranges: fileRanges(meta, schema, ranges),
        }),
        meta.schema,
        fileWanted,
      ),
    );
    for (const slot of slots) {
      if (slot.memtable.isEmpty) continue;
      const memtableSchema = slot.memtable.schema;
      const fields = mergeNames.filter((name) => memtableSchema.columns.some((c) => c.name === name));
      runs.push(slot.memtable.sortedRun({ projection: fields, timeRange: [start, end], batchRows }));
    }
    if (runs.length === 0) return;
    const merged = mergeSortedRuns(runs, { schema, mode, projection: mergeNames, batchRows });
    const outputIndexes =
      mergeNames.length === output.length ? undefined : output.map((c) => mergeNames.indexOf(c.name));
    for await (const batch of merged) {
      const selection = selectRows(batch, predicates);
      if (selection !== undefined && selection.length === 0) continue;
      const kept = selection === undefined ? batch : takeRows(batch, selection);
      yield outputIndexes === undefined ? kept : kept.selectAt(outputIndexes);
    }
  } finally {
    region.files.release(fileIds);
  }
}
