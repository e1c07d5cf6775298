/** Messages between sst-build-pool.ts and sst-build-worker.ts. */

import type { MergeMode } from '../merge/index.ts';
import type { RegionSchema } from '../region-schema.ts';
import type { BatchesWire } from './batch-transfer.ts';

/** One job, its batches described for transfer (batch-transfer.ts). */
export interface SstBuildRequest {
  id: number;
  schema: RegionSchema;
  runs: BatchesWire[];
  merge?: { mode: MergeMode; keepDeletes: boolean };
  rowGroupRows: number;
}

/** The job's outcome: the file (bytes transferred back), or the error as code and message. */
export type SstBuildReply =
  | { id: number; ok: true; bytes: Uint8Array | undefined; rows: number; minSequence: number }
  | { id: number; ok: false; message: string; code: number | undefined };
