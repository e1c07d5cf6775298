/**
 * Which row groups of an SST can hold rows a scan wants, decided from the footer alone: the
 * time range against each row group's time bounds, and column ranges (a tag equality is a
 * range with min = max) against the row group's min/max statistics.
 *
 * Rows are sorted by (primary key, time), so a row group spans a few whole series and all of
 * their times: the primary-key columns' statistics are what narrow a one-series scan to one or
 * two row groups; the time range mostly prunes whole files (which a time window compacts into).
 */

import { ErrorCode, TesseraError } from '../../common/index.ts';
import { compareStatValues, type SstStatValue } from './column-statistics.ts';
import type { SstMeta } from './sst-meta.ts';

/** Inclusive bounds on one column's values; either bound may be left open. */
export interface SstColumnRange {
  column: string;
  min?: SstStatValue;
  max?: SstStatValue;
}

/** What a scan wants, as far as the footer can tell; every part is optional. */
export interface SstPruneOptions {
  /** Inclusive [start, end] in the time index unit. */
  timeRange?: readonly [bigint, bigint];
  /** Every range must be satisfiable for a row group to be kept. */
  ranges?: readonly SstColumnRange[];
}

/** Whether any row of the file can fall in the inclusive time range. */
export function sstOverlapsTimeRange(meta: SstMeta, timeRange: readonly [bigint, bigint]): boolean {
  return meta.timeRange[0] <= timeRange[1] && timeRange[0] <= meta.timeRange[1];
}

function compare(range: SstColumnRange, statistic: SstStatValue, bound: SstStatValue): number {
  try {
    return compareStatValues(statistic, bound);
  } catch {
    throw new TesseraError(
      ErrorCode.InvalidArguments,
      `A range on column "${range.column}" has a ${typeof bound} bound, but the column holds ${typeof statistic} values`,
    );
  }
}

/**
 * Indexes (ascending) of the row groups that may hold matching rows. Conservative: a range on
 * a column the file does not have, or with no statistics, keeps the row group (a column added
 * by an alter may read as its default value, not as null).
 */
export function pruneRowGroups(meta: SstMeta, options: SstPruneOptions = {}): number[] {
  const { timeRange, ranges = [] } = options;
  const resolved = ranges
    .map((range) => ({ range, index: meta.schema.columns.findIndex((c) => c.name === range.column) }))
    .filter((entry) => entry.index >= 0);
  const kept: number[] = [];
  meta.rowGroups.forEach((group, index) => {
    if (group.rows === 0) return;
    if (timeRange && (group.timeMax < timeRange[0] || group.timeMin > timeRange[1])) return;
    for (const { range, index: column } of resolved) {
      const stats = group.columns[column]!;
      // Only nulls: no value can satisfy a range.
      if (stats.nullCount === group.rows) return;
      if (range.max !== undefined && stats.min !== undefined && compare(range, stats.min, range.max) > 0) return;
      if (range.min !== undefined && stats.max !== undefined && compare(range, stats.max, range.min) < 0) return;
    }
    kept.push(index);
  });
  return kept;
}
