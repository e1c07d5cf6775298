/**
 * The CPU-heavy half of a flush or compaction: merge sorted runs (deduplicating by merge mode)
 * and encode the result as one SST. A pure function of its input, so it runs the same in a
 * worker thread (sst-build-worker.ts) or, as a fallback, on the caller's thread.
 */

import type { RecordBatch } from 'apache-arrow';
import { mergeSortedRuns, sequenceColumnName, type MergeMode } from '../merge/index.ts';
import type { RegionSchema } from '../region-schema.ts';
import { writeSst } from '../sst/index.ts';

/** What to build. */
export interface SstBuildJob {
  /** The region schema the runs are in (the current one). */
  schema: RegionSchema;
  /** Sorted runs (sorted-run format, with `__sequence` / `__op_type`), oldest first. */
  runs: RecordBatch[][];
  /** How to merge; undefined: the runs' batches written as they are (an append-mode flush). */
  merge?: { mode: MergeMode; keepDeletes: boolean };
  rowGroupRows: number;
}

/** The built file; no file when the merge left no rows. */
export interface SstBuildResult {
  /** The SST's bytes, undefined when no row is left. */
  bytes: Uint8Array | undefined;
  rows: number;
  /** Smallest `__sequence` written, `Number.MAX_SAFE_INTEGER` when no row. */
  minSequence: number;
}

/** Runs `job` on this thread. */
export async function buildSst(job: SstBuildJob): Promise<SstBuildResult> {
  const batches: RecordBatch[] = [];
  if (job.merge === undefined) {
    for (const run of job.runs) for (const batch of run) if (batch.numRows > 0) batches.push(batch);
  } else {
    const merged = mergeSortedRuns(job.runs, {
      schema: job.schema,
      mode: job.merge.mode,
      keepDeletes: job.merge.keepDeletes,
      internalColumns: true,
    });
    for await (const batch of merged) if (batch.numRows > 0) batches.push(batch);
  }
  const rows = batches.reduce((sum, batch) => sum + batch.numRows, 0);
  if (rows === 0) return { bytes: undefined, rows: 0, minSequence: Number.MAX_SAFE_INTEGER };
  const { bytes } = await writeSst(job.schema, batches, { internalColumns: true, rowGroupRows: job.rowGroupRows });
  return { bytes, rows, minSequence: minSequence(batches) };
}

function minSequence(batches: readonly RecordBatch[]): number {
  let min = Number.MAX_SAFE_INTEGER;
  for (const batch of batches) {
    for (const data of batch.getChild(sequenceColumnName)!.data) {
      const values = (data.values as Float64Array).subarray(data.offset, data.offset + data.length);
      for (let i = 0; i < values.length; i++) if (values[i]! < min) min = values[i]!;
    }
  }
  return min;
}
