/**
 * Time-window compaction (TWCS) picking: files are bucketed by the window their newest row
 * falls in; a window holding `minFiles` or more files is merged into one file.
 *
 * The window is the `compaction.twcs.time_window` option, or inferred like GreptimeDB does:
 * the smallest of 1 h, 2 h, 12 h, 1 d, 1 w, 1 y that is at least the widest time span of the
 * region's files — flushes of a steady stream cover similar spans, so a window then holds a
 * few flushes' worth and old windows stop changing.
 *
 * Tombstones can be dropped from the output only when no file outside the inputs can hold the
 * same keys: keys include the time index, so that is when no other live file's time range
 * meets the inputs' (memtable rows are newer than every file and need no masking).
 */

import type { FileMeta } from '../manifest/index.ts';
import type { TimeUnit } from '../region-schema.ts';
import { msToUnit } from '../region/scan-region.ts';

/** One compaction to run. */
export interface CompactionPick {
  /** Window start, in the time index unit. */
  windowStart: bigint;
  inputs: FileMeta[];
  /** No other live file overlaps the inputs: tombstones can be dropped. */
  dropDeletes: boolean;
}

const hourMs = 3_600_000;
const candidateWindowsMs = [hourMs, 2 * hourMs, 12 * hourMs, 24 * hourMs, 7 * 24 * hourMs, 365 * 24 * hourMs];

/** The window in ms: the option, or inferred from the files' spans (see the module comment). */
export function compactionWindowMs(files: readonly FileMeta[], unit: TimeUnit, optionMs: number | undefined): number {
  if (optionMs !== undefined) return optionMs;
  const perMs = msToUnit(1, unit) > 0n ? msToUnit(1, unit) : 1n;
  let widest = 0n;
  for (const file of files) {
    const span = file.timeRange[1] - file.timeRange[0];
    if (span > widest) widest = span;
  }
  const widestMs = unit === 's' ? Number(widest) * 1000 : Number(widest / perMs);
  return candidateWindowsMs.find((window) => window >= widestMs) ?? candidateWindowsMs[candidateWindowsMs.length - 1]!;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The compactions worth running now, oldest window first. */
export function pickCompactions(
  files: readonly FileMeta[],
  unit: TimeUnit,
  windowMs: number,
  minFiles: number,
): CompactionPick[] {
  const window = unit === 's' ? BigInt(Math.max(1, Math.round(windowMs / 1000))) : msToUnit(windowMs, unit);
  const byWindow = new Map<bigint, FileMeta[]>();
  for (const file of files) {
    const start = floorDiv(file.timeRange[1], window) * window;
    const list = byWindow.get(start);
    if (list === undefined) byWindow.set(start, [file]);
    else list.push(file);
  }
  const picks: CompactionPick[] = [];
  for (const [windowStart, inputs] of [...byWindow].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (inputs.length < Math.max(2, minFiles)) continue;
    let min = inputs[0]!.timeRange[0];
    let max = inputs[0]!.timeRange[1];
    for (const file of inputs) {
      if (file.timeRange[0] < min) min = file.timeRange[0];
      if (file.timeRange[1] > max) max = file.timeRange[1];
    }
    const ids = new Set(inputs.map((f) => f.fileId));
    const dropDeletes = !files.some((f) => !ids.has(f.fileId) && f.timeRange[0] <= max && min <= f.timeRange[1]);
    picks.push({ windowStart, inputs, dropDeletes });
  }
  return picks;
}
